from django.db import migrations


def count(apps, schema_editor):
    """Nothing now: the sessions already there are counted by 0015, after the last
    migration that changes the counts' tables (sessions_app 0017 added the role rows),
    because the counting code is the live module and reads the tables as they are at
    the end (here the role rows' table is not there yet)."""


class Migration(migrations.Migration):
    dependencies = [
        ("aar", "0013_sharing_organisations_and_anonymous"),
        ("sessions_app", "0015_late_and_answered_counts"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
