"""The participant downloads everything held about them (PDPA right of access), by
personal link: /aar/<token>/my-data/ (a page) and /aar/<token>/my-data.json (a file)."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from aar.models import AAR, Recommendation, ReminderLog
from aar.privacy import participant_data
from sessions_app.models import Participant
from tests.factories import (
    AARFactory,
    AARVersionFactory,
    ParticipantFactory,
    ReminderLogFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page(token):
    return reverse("aar:my_data", args=[token])


def download(token):
    return reverse("aar:my_data_json", args=[token])


@pytest.fixture
def person(assist_session):
    person = ParticipantFactory(
        session=assist_session,
        full_name="สมหญิง ใจดี",
        email="somying@example.org",
        language="th",
    )
    aar = AARFactory(participant=person, goal="อยากเรียนรู้", sharing=AAR.Sharing.ORGANISERS)
    AARVersionFactory(aar=aar, goal="ร่างแรก", status=AAR.Status.DRAFT)
    AARVersionFactory(aar=aar, goal="อยากเรียนรู้")
    ReminderLogFactory(participant=person, sent_by=UserFactory(first_name="ผู้ประสาน"))
    ReminderLogFactory(participant=person, channel=ReminderLog.Channel.COPIED)
    return person


def test_the_urls_are_under_the_personal_link():
    assert page("abc") == "/aar/abc/my-data/"
    assert download("abc") == "/aar/abc/my-data.json"


def test_json_download_holds_everything_in_utf8(client, person, assist_session):
    response = client.get(download(person.token))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="peerassist-my-data-')
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    body = response.content.decode("utf-8")
    assert "สมหญิง ใจดี" in body  # written as Thai, not \u-escaped
    data = json.loads(body)
    me = data["participant"]
    assert me["full_name"] == "สมหญิง ใจดี"
    assert me["email"] == "somying@example.org"
    assert me["organisation"] == assist_session.host.label
    assert me["role"] == Participant.Role.HOST
    assert me["language"] == "th"
    assert {"added_at", "invited_at", "removed_at", "joined_by_walkin"} <= me.keys()
    assert data["session"]["title"] == assist_session.title
    assert data["session"]["date"] == assist_session.date.isoformat()
    assert data["session"]["host"] == assist_session.host.label
    assert data["aar"]["goal"] == "อยากเรียนรู้"
    assert data["aar"]["status"] == "submitted" and data["aar"]["sharing"] == "organisers"
    assert data["aar"]["submitted_at"]
    assert [v["goal"] for v in data["aar_versions"]] == ["ร่างแรก", "อยากเรียนรู้"]
    assert all(v["saved_by"] == "สมหญิง ใจดี" for v in data["aar_versions"])
    assert sorted((r["channel"], r["automatic"]) for r in data["reminders"]) == [
        ("copied", True),
        ("email", False),
    ]
    assert "ผู้ประสาน" not in body  # the staff member who reminded is not named
    assert data["commitments"] == [] and data["comments"] == []


def test_commitments_and_their_answers_are_in_the_page_and_the_download(client, person):
    from aar.commitments import checkback_save
    from tests.factories import CommitmentFactory

    commitment = CommitmentFactory(aar=person.aar, text="ชวนทีมเล่าเรื่องทุกสัปดาห์")
    checkback_save(participant=person, answers={commitment.pk: ("partly", "ได้สองครั้ง")})
    data = json.loads(client.get(reverse("aar:my_data_json", args=[person.token])).content)
    [row] = data["commitments"]
    assert row["text"] == "ชวนทีมเล่าเรื่องทุกสัปดาห์" and row["status"] == "partly"
    assert [(a["status"], a["outcome"]) for a in row["answers"]] == [("partly", "ได้สองครั้ง")]
    body = client.get(page(person.token)).content.decode()
    assert "ชวนทีมเล่าเรื่องทุกสัปดาห์" in body and "ได้สองครั้ง" in body


def test_page_shows_the_data_in_the_participants_language(client, person):
    response = client.get(page(person.token))
    assert response.status_code == 200
    assert response["Content-Language"] == "th"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert "สมหญิง ใจดี" in html and "somying@example.org" in html
    assert "ร่างแรก" in html  # an earlier version
    assert download(person.token) in html
    assert response.context["data"]["aar"]["goal"] == "อยากเรียนรู้"
    english = client.get(page(person.token) + "?lang=en")
    assert english["Content-Language"] == "en"
    assert "My data" in english.content.decode()


def test_someone_without_an_aar_gets_empty_lists(client, assist_session):
    person = ParticipantFactory(session=assist_session)
    data = client.get(download(person.token)).json()
    assert data["aar"] is None
    assert data["aar_versions"] == [] and data["reminders"] == []
    assert client.get(page(person.token)).status_code == 200


@pytest.mark.parametrize("view", [page, download])
def test_an_unknown_or_replaced_link_is_the_friendly_404(client, person, view):
    old = person.token
    person.regenerate_token()
    for token in (old, "not-a-token"):
        response = client.get(view(token))
        assert response.status_code == 404
        assert "ไม่พบลิงก์นี้" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("view", [page, download])
def test_a_post_is_refused(client, person, view):
    assert client.post(view(person.token)).status_code == 405


def test_the_page_and_the_file_are_made_from_the_same_function(person):
    person = Participant.objects.select_related("session__host", "organisation", "aar").get(
        pk=person.pk
    )
    data = participant_data(person)
    assert set(data) == {
        "generated_at",
        "participant",
        "session",
        "questions",
        "aar",
        "aar_versions",
        "reminders",
        "commitments",
        "recommendations",
        "comments",
    }


@pytest.mark.parametrize("view", [page, download])
@pytest.mark.parametrize("versions", [1, 5])
def test_query_count_does_not_grow_with_the_history(
    client, assist_session, view, versions, django_assert_num_queries
):
    from tests.factories import CommitmentFactory

    person = ParticipantFactory(session=assist_session)
    aar = AARFactory(participant=person)
    AARVersionFactory.create_batch(versions, aar=aar)
    ReminderLogFactory.create_batch(versions, participant=person)
    CommitmentFactory.create_batch(versions, aar=aar)
    for n in range(versions):
        Recommendation.objects.create(session=assist_session, given_by=person, text=f"ข้อเสนอ {n}")
    # participant with session, host, organisation and AAR (1), peers (1),
    # versions (1), reminders (1), commitments (1) and their answers (1),
    # the recommendations they gave (1)
    with django_assert_num_queries(7):
        assert client.get(view(person.token)).status_code == 200


def _notice(settings, years: int) -> str:
    settings.RETENTION_YEARS = years
    with translation.override("en"):
        return render_to_string("includes/privacy_notice.html")  # no context needed


def test_the_privacy_notice_needs_no_context_and_says_how_long(settings):
    html = _notice(settings, 5)
    assert "<details" in html
    assert "5 years after the session" in html
    assert "1 year after the session" in _notice(settings, 1)
    assert "Until the organisers delete it." in _notice(settings, 0)


def test_the_privacy_notice_is_on_the_walk_in_and_my_data_pages(client, person, assist_session):
    walkin = client.get(reverse("sessions_app:walkin_join", args=[assist_session.walkin_code]))
    assert walkin.status_code == 200
    assert "privacy-notice" in walkin.content.decode()
    assert "privacy-notice" in client.get(page(person.token)).content.decode()


def test_the_recommendations_a_person_gave_are_in_their_data(client, assist_session):
    person = ParticipantFactory(session=assist_session)
    Recommendation.objects.create(
        session=assist_session, given_by=person, text="ชวนทีมเล่าเรื่องทุกสัปดาห์", response="adapt"
    )
    Recommendation.objects.create(session=assist_session, text="ของคนอื่น")
    data = client.get(reverse("aar:my_data_json", args=[person.token])).json()
    assert [r["text"] for r in data["recommendations"]] == ["ชวนทีมเล่าเรื่องทุกสัปดาห์"]
    assert data["recommendations"][0]["response"] == "adapt"
    page = client.get(reverse("aar:my_data", args=[person.token])).content.decode()
    assert "ชวนทีมเล่าเรื่องทุกสัปดาห์" in page and "ของคนอื่น" not in page
