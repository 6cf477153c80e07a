"""Where SQLite and PostgreSQL could behave differently, the behaviour is pinned here.

CI runs the whole suite on both databases, so each test holds on both:
- text search (LIKE is case-insensitive for ASCII only on SQLite; PostgreSQL uses UPPER);
- NUL bytes (SQLite stores them, PostgreSQL refuses them with an error): refused by the
  forms on both, so never a 500 and never a difference in what is stored;
- email uniqueness per session (case: SQLite and PostgreSQL compare text differently,
  so emails are lower-cased before saving);
- text up to the 20,000-character limit, emoji and combining marks come back exactly;
- row locks: PostgreSQL locks rows (select_for_update); SQLite ignores that and relies on
  IMMEDIATE transactions, which serialise writers (tests/test_concurrency.py and
  tests/aar/test_send_aar_reminders.py cover each).
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from aar.models import AAR
from sessions_app.models import Participant
from tests.factories import AAR_FORM, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

SUBMIT = {**AAR_FORM, "action": "submit"}


def test_dashboard_search_ignores_case_and_finds_thai(coordinator, org):
    AssistSessionFactory(organiser=org, title="Peer Assist สุขภาพชุมชน")
    AssistSessionFactory(organiser=org, title="วงเรียนรู้อื่น")
    for q in ("peer assist", "PEER", "สุขภาพ"):
        response = coordinator.get(reverse("followup:dashboard"), {"q": q})
        titles = [s.title for s in response.context["page_obj"]]
        assert titles == ["Peer Assist สุขภาพชุมชน"], (connection.vendor, q)


def test_nul_byte_is_refused_with_a_message_on_both(client, assist_session):
    participant = ParticipantFactory(session=assist_session)
    response = client.post(
        reverse("aar:entry", args=[participant.token]), {**SUBMIT, "goal": "a\x00b"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["goal"]
    assert not AAR.objects.exists()


def test_email_is_unique_per_session_whatever_its_case(assist_session):
    ParticipantFactory(session=assist_session, email="Nok@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(session=assist_session, email="nok@example.ORG")
    assert Participant.objects.get().email == "nok@example.org"


@pytest.mark.parametrize(
    "text",
    ["ก" * 20_000, "🙏🏽👩🏽‍⚕️ \U0001f600", "น้ำ\u0e49\u0e34 \u200f rtl \u202e", "line\r\nbreaks\n"],
    ids=["20k-thai-the-limit", "emoji", "marks", "crlf"],
)
def test_text_comes_back_exactly(client, assist_session, text):
    participant = ParticipantFactory(session=assist_session)
    response = client.post(reverse("aar:entry", args=[participant.token]), {**SUBMIT, "goal": text})
    assert response.status_code == 302
    assert AAR.objects.get(participant=participant).goal == text
