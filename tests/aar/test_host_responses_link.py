"""The host team's responses to the recommendations through the personal link,
/aar/<token>/recommendations/ (issue 17): open to the host team on the roster only
(anyone else with a link gets the friendly 404), the same form and rules as the staff
page, read-only once the session is closed, and the peers told once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from aar.models import AAR, AARVersion, Commitment, Recommendation
from sessions_app.models import AssistSession, Participant
from tests.factories import AssistSessionFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

ADOPT = Recommendation.Response.ADOPT
ADAPT = Recommendation.Response.ADAPT
NOT_ADOPTED = Recommendation.Response.NOT_ADOPTED


def rec(session, text="ให้ทีมเจ้าภาพทดลองกับหนึ่งทีมก่อน", **kwargs):
    kwargs.setdefault("position", session.recommendations.count())
    return Recommendation.objects.create(session=session, text=text, **kwargs)


def list_url(participant, lang=""):
    url = reverse("aar:host_responses", args=[participant.token])
    return f"{url}?lang={lang}" if lang else url


def response_url(participant, recommendation, lang=""):
    url = reverse("aar:host_response", args=[participant.token, recommendation.pk])
    return f"{url}?lang={lang}" if lang else url


@pytest.fixture
def host(assist_session):
    return ParticipantFactory(
        session=assist_session, role=Participant.Role.HOST, full_name="สมชาย เจ้าภาพ"
    )


@pytest.fixture
def owner(assist_session):
    """Another member of the host team, who owns a response."""
    return ParticipantFactory(
        session=assist_session, role=Participant.Role.HOST, full_name="สมศรี ผู้รับผิดชอบ"
    )


@pytest.fixture
def peer(assist_session):
    return ParticipantFactory(
        session=assist_session,
        role=Participant.Role.PEER,
        organisation=OrganisationFactory(),
        email="peer@example.org",
        full_name="วิไล เพื่อน",
    )


@pytest.fixture
def recommendation(assist_session, peer):
    return rec(assist_session, given_by=peer)


def assert_unchanged(recommendation):
    recommendation.refresh_from_db()
    assert recommendation.response == ""
    assert recommendation.responded_at is None
    assert not Commitment.objects.exists()


# --- Who may respond ---------------------------------------------------------------------


def test_a_host_team_member_sees_the_list(client, host, recommendation, assist_session):
    removed = rec(assist_session, "ข้อที่ถูกลบไปแล้ว", removed_at="2026-01-01T00:00Z")
    answered = rec(assist_session, "ข้อที่ตอบแล้ว", response=ADAPT, response_reason="ปรับให้เล็กลง")
    response = client.get(list_url(host))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert recommendation.text in html and "ข้อที่ตอบแล้ว" in html and "ปรับให้เล็กลง" in html
    assert removed.text not in html
    # In order, each with its link: "Respond" (ตอบ) or "Change the response" (เปลี่ยนคำตอบ).
    assert html.index(recommendation.text) < html.index("ข้อที่ตอบแล้ว")
    assert response_url(host, recommendation) in html
    assert response_url(host, answered) in html
    assert "เปลี่ยนคำตอบ" in html
    assert response_url(host, removed) not in html


def test_the_list_has_an_empty_state(client, host):
    response = client.get(list_url(host, "en"))
    assert response.status_code == 200
    assert "No recommendations have been recorded for this session yet." in (
        response.content.decode()
    )


def test_the_list_is_read_only_to_posts(client, host):
    assert client.post(list_url(host)).status_code == 405


@pytest.mark.parametrize(
    "role",
    [
        Participant.Role.PEER,
        Participant.Role.FACILITATOR,
        Participant.Role.NOTE_TAKER,
        Participant.Role.COORDINATOR,
        Participant.Role.OBSERVER,
    ],
)
def test_anyone_else_with_a_link_gets_404_on_both_urls(
    client, assist_session, recommendation, role
):
    someone = ParticipantFactory(session=assist_session, role=role)
    assert client.get(list_url(someone)).status_code == 404
    assert client.get(response_url(someone, recommendation)).status_code == 404
    response = client.post(
        response_url(someone, recommendation), {"response": NOT_ADOPTED, "reason": "ไม่"}
    )
    assert response.status_code == 404
    # The friendly page of an unknown link: nothing says the page exists.
    assert "aar/link_not_found.html" in [t.name for t in response.templates]
    assert_unchanged(recommendation)


def test_a_peers_link_gets_404(client, peer, recommendation):
    assert client.get(list_url(peer)).status_code == 404
    assert client.get(response_url(peer, recommendation)).status_code == 404
    assert client.post(response_url(peer, recommendation), {"response": ADOPT}).status_code == 404
    assert_unchanged(recommendation)


def test_an_unknown_replaced_removed_or_erased_link_gets_404(client, host, recommendation):
    assert client.get(reverse("aar:host_responses", args=["no-such-link"])).status_code == 404
    old = response_url(host, recommendation)
    host.regenerate_token()
    assert client.get(old).status_code == 404
    host.removed_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    host.save()
    assert client.get(list_url(host)).status_code == 404
    erased = ParticipantFactory(
        session=host.session,
        role=Participant.Role.HOST,
        erased_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    assert client.get(list_url(erased)).status_code == 404
    assert client.post(response_url(erased, recommendation), {"response": ADOPT}).status_code == 404
    assert_unchanged(recommendation)


def test_a_recommendation_of_another_session_or_removed_gets_404(client, host, assist_session):
    elsewhere = rec(AssistSessionFactory(organiser=assist_session.organiser), "ของวงอื่น")
    removed = rec(assist_session, "ถูกลบ", removed_at="2026-01-01T00:00Z")
    for other in (elsewhere, removed):
        assert client.get(response_url(host, other)).status_code == 404
        assert client.post(response_url(host, other), {"response": ADOPT}).status_code == 404
        other.refresh_from_db()
        assert other.response == ""


# --- Responding ----------------------------------------------------------------------------


def test_the_form_is_shown_without_javascript(client, host, owner, recommendation):
    response = client.get(response_url(host, recommendation))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post"' in html and 'type="submit"' in html
    for name in ("response", "reason", "owner", "due", "make_commitment"):
        assert f'name="{name}"' in html
    # The owner is chosen from the host team only.
    assert owner.full_name in html
    assert recommendation.text in html
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.parametrize(
    ("choice", "reason"),
    [(ADOPT, ""), (ADAPT, "ปรับให้เข้ากับทีมเล็ก"), (NOT_ADOPTED, "งบประมาณไม่พอ")],
)
def test_a_host_team_member_responds(client, host, owner, recommendation, choice, reason):
    response = client.post(
        response_url(host, recommendation),
        {"response": choice, "reason": f" {reason} ", "owner": owner.pk, "due": "31/01/2570"},
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(host) + f"#rec-{recommendation.pk}"
    recommendation.refresh_from_db()
    assert (
        recommendation.response,
        recommendation.response_reason,
        recommendation.response_owner,
        recommendation.response_due,
    ) == (choice, reason, owner, datetime.date(2027, 1, 31))  # 2570 is Buddhist era
    assert recommendation.responded_at is not None
    assert recommendation.responded_by is None  # no signed-in user
    assert recommendation.commitment is None
    page = client.get(response["Location"])
    assert "บันทึกคำตอบของเจ้าภาพแล้ว" in page.content.decode()  # the message, in Thai
    # The response is changed the same way.
    client.post(response_url(host, recommendation), {"response": ADOPT})
    recommendation.refresh_from_db()
    assert (recommendation.response, recommendation.response_owner) == (ADOPT, None)


def test_not_adopted_needs_a_reason_and_keeps_what_was_typed(client, host, owner, recommendation):
    response = client.post(
        response_url(host, recommendation),
        {"response": NOT_ADOPTED, "reason": "  ", "owner": owner.pk, "due": "15/02/2570"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    html = response.content.decode()
    assert "กรุณาบอกเหตุผลที่ไม่นำข้อเสนอแนะนี้ไปใช้" in html  # beside the field, in Thai
    assert "is-invalid" in html
    assert "15/02/2570" in html  # what was typed is kept
    assert f'value="{owner.pk}" selected' in html
    assert_unchanged(recommendation)


def test_a_bad_date_is_refused_and_kept(client, host, recommendation):
    response = client.post(
        response_url(host, recommendation),
        {"response": ADOPT, "reason": "ลองทันที", "due": "31/02/2570"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due"]
    html = response.content.decode()
    assert "31/02/2570" in html and "ลองทันที" in html
    assert_unchanged(recommendation)


def test_the_owner_must_be_on_the_host_team(client, host, peer, recommendation):
    response = client.post(
        response_url(host, recommendation), {"response": ADOPT, "owner": peer.pk}
    )
    assert response.context["form"].errors["owner"]
    assert_unchanged(recommendation)


def test_a_commitment_is_made_for_its_owner(client, host, owner, recommendation, assist_session):
    response = client.post(
        response_url(host, recommendation),
        {"response": ADOPT, "owner": owner.pk, "due": "2027-03-01", "make_commitment": "on"},
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    commitment = recommendation.commitment
    assert commitment is not None
    assert commitment.aar.participant == owner
    assert (commitment.text, commitment.due_date) == (
        recommendation.text,
        datetime.date(2027, 3, 1),
    )
    # The owner had no AAR: a draft was made, marked as saved by who responded.
    assert owner.aar.status == AAR.Status.DRAFT
    assert AARVersion.objects.get(aar=owner.aar).saved_by == host.full_name
    page = client.get(response["Location"]).content.decode()
    assert owner.full_name in page
    # Never a second commitment for the same recommendation: the box is gone.
    again = client.get(response_url(host, recommendation)).content.decode()
    assert 'name="make_commitment"' not in again
    client.post(
        response_url(host, recommendation),
        {"response": ADAPT, "owner": owner.pk, "make_commitment": "on"},
    )
    assert Commitment.objects.count() == 1


def test_a_commitment_needs_an_owner(client, host, recommendation):
    response = client.post(
        response_url(host, recommendation), {"response": ADOPT, "make_commitment": "on"}
    )
    assert response.context["form"].errors["owner"]
    assert_unchanged(recommendation)


def test_a_get_changes_nothing(client, host, owner, recommendation):
    client.get(response_url(host, recommendation) + f"?response={ADOPT}&owner={owner.pk}")
    assert_unchanged(recommendation)


# --- A closed session ------------------------------------------------------------------------


def test_a_closed_session_is_read_only(client, host, owner, recommendation, assist_session):
    assist_session.status = AssistSession.Status.CLOSED
    assist_session.save()
    answered = rec(assist_session, "ข้อที่ตอบแล้ว", response=ADOPT, response_owner=owner)

    page = client.get(list_url(host, "en"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "This session is closed" in html
    assert response_url(host, recommendation) not in html  # no Respond link
    assert "ข้อที่ตอบแล้ว" in html

    page = client.get(response_url(host, answered, "en"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "This session is closed" in html
    assert 'name="response"' not in html and owner.full_name in html

    refused = client.post(
        response_url(host, recommendation, "en"),
        {"response": NOT_ADOPTED, "reason": "เหตุผลที่พิมพ์ไว้"},
    )
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Nothing was saved" in html
    assert "เหตุผลที่พิมพ์ไว้" in html  # kept, to copy
    assert_unchanged(recommendation)


# --- Language -------------------------------------------------------------------------------


def test_english_by_lang(client, host, recommendation):
    page = client.get(list_url(host, "en"))
    assert page["Content-Language"] == "en"
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Respond" in html
    assert response_url(host, recommendation, "en") in html  # the choice is kept

    response = client.post(
        response_url(host, recommendation, "en"), {"response": NOT_ADOPTED, "reason": ""}
    )
    assert response["Content-Language"] == "en"
    assert "Say why the recommendation is not adopted." in response.content.decode()

    response = client.post(
        response_url(host, recommendation, "en"),
        {"response": ADOPT, "due": "31/01/2027"},
    )
    assert response["Location"] == list_url(host, "en") + f"#rec-{recommendation.pk}"
    assert "The host&#x27;s response is saved." in client.get(response["Location"]).content.decode()
    recommendation.refresh_from_db()
    assert recommendation.response_due == datetime.date(2027, 1, 31)


def test_a_host_team_member_has_a_link_on_the_before_page(client, host, peer):
    url = reverse("aar:host_responses", args=[host.token])
    assert url in client.get(reverse("aar:before", args=[host.token])).content.decode()
    assert (
        "/recommendations/"
        not in client.get(reverse("aar:before", args=[peer.token])).content.decode()
    )


# --- Performance -----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 50])
def test_the_list_keeps_a_constant_query_count(
    client, host, owner, peer, assist_session, django_assert_num_queries, rows
):
    for n in range(rows):
        rec(
            assist_session,
            f"ข้อเสนอ {n}",
            given_by=peer if n % 2 else None,
            given_by_organisation=None if n % 2 else peer.organisation,
            response=ADOPT if n % 3 else "",
            response_owner=owner if n % 3 else None,
        )
    # 1. the person by the link, with their session, its host and their AAR;
    # 2. the session's peers (prefetched with them);
    # 3. the recommendations, with their givers, organisations and owners.
    with django_assert_num_queries(3):
        response = client.get(list_url(host))
    assert response.status_code == 200
    assert response.content.decode().count('href="/aar/') >= rows


# --- The peers are told, once ----------------------------------------------------------------


def test_the_peers_who_gave_it_are_told_once(
    client, host, peer, assist_session, django_capture_on_commit_callbacks
):
    first = rec(assist_session, "ข้อแรก", given_by=peer)
    second = rec(assist_session, "ข้อสอง", given_by=peer)
    rec(assist_session, "ของคนอื่น", given_by=ParticipantFactory(session=assist_session, email=""))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response_url(host, first), {"response": ADOPT})
    assert [m.to for m in mail.outbox] == [["peer@example.org"]]
    assert "ข้อแรก" in mail.outbox[0].body
    # Another response, or the same one changed: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response_url(host, second), {"response": NOT_ADOPTED, "reason": "ไม่ทัน"})
        client.post(response_url(host, first), {"response": ADAPT})
    assert len(mail.outbox) == 1


def test_nobody_is_told_of_a_refused_post(
    client, host, peer, recommendation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(response_url(host, recommendation), {"response": NOT_ADOPTED})
    assert callbacks == [] and mail.outbox == []
