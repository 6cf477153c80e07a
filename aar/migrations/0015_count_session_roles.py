from django.db import migrations


def count(apps, schema_editor):
    """Count the sessions already there afresh: rosters, months, commitments, late AARs
    and answered commitments (sessions_app 0015), and the sessions' role rows
    (sessions_app 0017).

    This calls the live counting code, which reads the tables as the models are now: if
    a later migration changes SessionTally, SessionRoleTally, OrganisationMonth,
    Participant, AAR or Commitment, move this step after it (and make this one do
    nothing, as 0014 does). A new database has no sessions, so it does nothing there."""
    if apps.get_model("sessions_app", "AssistSession").objects.exists():
        from aar import commitments
        from sessions_app import tally

        tally.recount_all()
        commitments.recount_all()


class Migration(migrations.Migration):
    dependencies = [
        ("aar", "0014_recount_followup_late"),
        ("sessions_app", "0017_session_role_tally"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
