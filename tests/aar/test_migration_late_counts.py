"""aar 0015 counts the late AARs, the answered commitments (sessions_app 0015 added the
columns at 0) and the sessions' role rows (sessions_app 0017) of a database that
already holds sessions: migrated forwards on a database with a late AAR, an on-time one
and an answered commitment in it."""

import datetime

import pytest
from django.utils import timezone

from tests.helpers import migrate_to, migrate_to_the_end

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("aar", "0013_sharing_organisations_and_anonymous"),
    ("sessions_app", "0014_participant_org_session"),
]
AFTER = [("aar", "0015_count_session_roles")]


@pytest.fixture
def before_the_counts():
    apps = migrate_to(BEFORE)
    yield apps
    migrate_to_the_end()


def test_existing_late_aars_answered_commitments_and_roles_are_counted(before_the_counts):
    apps = before_the_counts
    Organisation = apps.get_model("sessions_app", "Organisation")
    AssistSession = apps.get_model("sessions_app", "AssistSession")
    Participant = apps.get_model("sessions_app", "Participant")
    AAR = apps.get_model("aar", "AAR")
    Commitment = apps.get_model("aar", "Commitment")
    org = Organisation.objects.create(name="สคส.")
    deadline = datetime.date(2026, 3, 16)
    session = AssistSession.objects.create(
        organiser=org, host=org, title="Peer Assist", date=datetime.date(2026, 3, 9),
        aar_deadline=deadline,
    )  # fmt: skip
    moments = {
        "on time": timezone.make_aware(datetime.datetime(2026, 3, 16, 23, 30)),
        "late": timezone.make_aware(datetime.datetime(2026, 3, 17, 0, 30)),
    }
    aars = {}
    roles = {"on time": "host", "late": "peer"}
    for n, (name, moment) in enumerate(moments.items()):
        person = Participant.objects.create(
            session=session, full_name=name, token=f"t{n}", role=roles[name]
        )
        aars[name] = AAR.objects.create(
            participant=person, status="submitted", submitted_at=moment, answers={}
        )
    Commitment.objects.create(aar=aars["late"], text="ทำต่อ", position=0, status="done")
    Commitment.objects.create(aar=aars["late"], text="ยังไม่ทำ", position=1, status="open")

    apps = migrate_to(AFTER)
    tally = apps.get_model("sessions_app", "SessionTally").objects.get(session_id=session.pk)
    month = apps.get_model("sessions_app", "OrganisationMonth").objects.get(
        organisation_id=org.pk, month=datetime.date(2026, 3, 1)
    )
    assert (tally.submitted, tally.late) == (2, 1)
    assert (month.late, month.commitments, month.commitments_answered) == (1, 2, 1)
    roles = {
        row.role: (row.participants, row.submitted, row.late, row.commitments, row.commitments_done)
        for row in apps.get_model("sessions_app", "SessionRoleTally").objects.all()
    }
    assert roles == {"host": (1, 1, 0, 0, 0), "peer": (1, 1, 1, 2, 1)}
