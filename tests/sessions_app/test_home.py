"""The home page: my sessions, upcoming and recent, with AAR counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aar.models import AAR
from sessions_app.models import AssistSession
from tests.factories import AARFactory, AssistSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

HOME = reverse("sessions_app:home")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["member", "facilitator", "coordinator", "outsider"])
def test_every_signed_in_persona_gets_the_page(request, persona):
    response = request.getfixturevalue(persona).get(HOME)
    assert response.status_code == 200
    assert "sessions_app/home.html" in [t.name for t in response.templates]


def test_outsider_does_not_see_our_sessions(outsider, assist_session):
    response = outsider.get(HOME)
    assert assist_session.title not in response.content.decode()
    assert response.context["recent"].paginator.count == 0


def test_member_sees_the_organisation_sessions(member, assist_session):
    assert assist_session.title in member.get(HOME).content.decode()


def test_sessions_split_into_upcoming_and_recent(facilitator, org):
    later = AssistSessionFactory(organiser=org, date=_days(3), status="planned", title="ภายหลัง")
    soon = AssistSessionFactory(organiser=org, date=_days(0), status="planned", title="วันนี้")
    old = AssistSessionFactory(organiser=org, date=_days(-30), title="เก่า")
    recent = AssistSessionFactory(organiser=org, date=_days(-2), title="ใหม่")
    response = facilitator.get(HOME)
    assert response.context["upcoming"] == [soon, later]
    assert list(response.context["recent"]) == [recent, old]


def test_counts_participants_on_roster_and_submitted_aars(facilitator, assist_session):
    submitted = ParticipantFactory.create_batch(3, session=assist_session)
    for p in submitted:
        AARFactory(participant=p)
    AARFactory(participant=ParticipantFactory(session=assist_session), draft=True)
    ParticipantFactory(session=assist_session)  # nothing written
    removed = ParticipantFactory(session=assist_session, removed_at=timezone.now())
    AARFactory(participant=removed)
    response = facilitator.get(HOME)
    row = list(response.context["recent"])[0]
    assert row.participant_count == 5
    assert row.aar_count == 3
    assert AAR.objects.submitted().count() == 4


def test_counts_shown_in_english(facilitator, settings, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session))
    ParticipantFactory(session=assist_session)
    facilitator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = facilitator.get(HOME).content.decode()
    assert "2 participants" in html
    assert "AARs submitted: 1 of 2" in html


def test_record_button_is_prominent(facilitator):
    html = facilitator.get(HOME).content.decode()
    assert f'class="btn btn-primary btn-lg" href="{reverse("sessions_app:session_create")}"' in html


def test_empty_state(facilitator):
    response = facilitator.get(HOME)
    assert "empty-state" in response.content.decode()


def test_user_without_organisation_gets_no_record_button(client):
    from tests.conftest import _client_for
    from tests.factories import UserFactory

    response = _client_for(UserFactory(username="lonely")).get(HOME)
    assert response.context["can_record"] is False
    assert reverse("sessions_app:session_create") not in response.content.decode()


def test_archived_sessions_are_hidden_but_listed_separately(facilitator, assist_session):
    assist_session.archive()
    response = facilitator.get(HOME)
    assert assist_session.title not in response.content.decode()
    archived = facilitator.get(HOME, {"show": "archived"})
    assert list(archived.context["recent"]) == [assist_session]


def test_recent_sessions_are_paginated(facilitator, org):
    AssistSessionFactory.create_batch(25, organiser=org, date=_days(-5))
    first = facilitator.get(HOME)
    assert len(first.context["recent"]) == 20
    second = facilitator.get(HOME, {"page": 2})
    assert len(second.context["recent"]) == 5
    assert facilitator.get(HOME, {"page": "nonsense"}).status_code == 200


def _sessions_with_participants(org, count):
    for i in range(count):
        session = AssistSessionFactory(
            organiser=org,
            date=_days(-i - 1 if i % 2 else i),
            status=AssistSession.Status.PLANNED if i % 2 == 0 else AssistSession.Status.HELD,
        )
        participant = ParticipantFactory(session=session)
        AARFactory(participant=participant)


@pytest.mark.parametrize("count", [5, 50])
def test_home_runs_the_same_number_of_queries(facilitator, org, django_assert_num_queries, count):
    _sessions_with_participants(org, count)
    # 1 session, 2 user, 3 upcoming (with counts), 4 recent count, 5 recent page (with
    # counts), 6 membership check for the "Record a session" button.
    with django_assert_num_queries(6):
        response = facilitator.get(HOME)
    assert response.status_code == 200
    shown = len(response.context["upcoming"]) + len(response.context["recent"])
    assert shown == min(count, count // 2 + 20)
