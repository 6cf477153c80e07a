# The follow-up counts are kept by the code now (sessions_app.tally, tables made and
# filled by sessions_app 0005): drop the SQL triggers that kept these tables in a
# database migrated before, then the tables.

from django.db import migrations

TRIGGERS = {
    "tally_session_insert": "sessions_app_assistsession",
    "tally_session_delete": "sessions_app_assistsession",
    "tally_participant_insert": "sessions_app_participant",
    "tally_participant_delete": "sessions_app_participant",
    "tally_participant_update": "sessions_app_participant",
    "tally_participant_move": "sessions_app_participant",  # SQLite only
    "tally_aar_insert": "aar_aar",
    "tally_aar_delete": "aar_aar",
    "tally_aar_update": "aar_aar",
}
FUNCTIONS = (
    "peerassist_tally_session()",
    "peerassist_tally_participant()",
    "peerassist_tally_aar()",
    "peerassist_tally_recount(bigint)",
    "peerassist_tally_person(bigint, bigint, boolean, boolean, int, boolean)",
    "peerassist_tally_answer(bigint, text, timestamptz, int)",
)


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name, table in TRIGGERS.items():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            for function in FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}")


class Migration(migrations.Migration):

    dependencies = [
        ('aar', '0005_version_form_key'),
        ('sessions_app', '0005_followup_tally'),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='MonthTally',
        ),
        migrations.DeleteModel(
            name='SessionTally',
        ),
    ]
