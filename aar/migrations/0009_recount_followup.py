from django.db import migrations


def count(apps, schema_editor):
    """Count the sessions already there afresh (rosters, months, commitments): a database
    made before the counts were kept (sessions_app 0005), or before the months kept
    commitments (sessions_app 0010), or before the check-back people were kept (0011).

    This calls the live counting code, which reads the tables as the models are now: if
    a later migration changes SessionTally, OrganisationMonth or Commitment, move this
    step after it. A new database has no sessions, so it does nothing there."""
    if apps.get_model("sessions_app", "AssistSession").objects.exists():
        from aar import commitments
        from sessions_app import tally

        tally.recount_all()
        commitments.recount_all()


class Migration(migrations.Migration):
    dependencies = [
        ("aar", "0008_commitments"),
        ("sessions_app", "0011_checkback_people"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
