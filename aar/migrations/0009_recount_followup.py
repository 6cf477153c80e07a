from django.db import migrations


def count(apps, schema_editor):
    """Nothing now: the sessions already there are counted by 0014, after the last
    migration that changes the counts' tables (sessions_app 0015 added ``late`` and
    ``commitments_answered``), because the counting code is the live module and reads
    the tables as they are at the end (here they lack those columns)."""


class Migration(migrations.Migration):
    dependencies = [
        ("aar", "0008_commitments"),
        ("sessions_app", "0011_checkback_people"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
