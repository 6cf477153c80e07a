from django.db import migrations


def count(apps, schema_editor):
    """Count the sessions already there afresh (rosters, months, commitments, and now the
    late AARs and the answered commitments of sessions_app 0015).

    This calls the live counting code, which reads the tables as the models are now: if
    a later migration changes SessionTally, OrganisationMonth or Commitment, move this
    step after it (and make this one do nothing, as 0009 does). A new database has no
    sessions, so it does nothing there."""
    if apps.get_model("sessions_app", "AssistSession").objects.exists():
        from aar import commitments
        from sessions_app import tally

        tally.recount_all()
        commitments.recount_all()


class Migration(migrations.Migration):
    dependencies = [
        ("aar", "0013_sharing_organisations_and_anonymous"),
        ("sessions_app", "0015_late_and_answered_counts"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
