"""The host's response to each recommendation: validation, the commitment it can become
(once, with the counts kept), the peers told once by the worker, and what a
participant's own pages show."""

import datetime

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from aar.models import AAR, COMMITMENTS_MAX, Commitment, Recommendation, ReminderLog
from aar.recommendations import (
    CommitmentRefused,
    response_save,
    responses_for_participant,
    responses_notify,
)
from sessions_app.models import Participant, SessionTally
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    CommitmentFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

ADOPT = Recommendation.Response.ADOPT
ADAPT = Recommendation.Response.ADAPT
NOT_ADOPTED = Recommendation.Response.NOT_ADOPTED


def rec(session, text="ให้ทีมเจ้าภาพทดลองกับหนึ่งทีมก่อน", **kwargs):
    kwargs.setdefault("position", session.recommendations.count())
    return Recommendation.objects.create(session=session, text=text, **kwargs)


def url_of(r):
    return reverse("followup:recommendation_response", args=[r.session_id, r.pk])


@pytest.fixture
def owner(assist_session):
    return ParticipantFactory(
        session=assist_session, role=Participant.Role.HOST, full_name="สมศรี เจ้าภาพ"
    )


def test_persona_matrix(client, outsider, member, facilitator, coordinator, assist_session):
    r = rec(assist_session)
    url = url_of(r)
    data = {"response": ADOPT}
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(url, data).status_code == 302
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, data).status_code == 404
    assert member.get(url).status_code == 403
    assert member.post(url, data).status_code == 403
    assert facilitator.get(url).status_code == 200
    assert coordinator.get(url).status_code == 200
    r.refresh_from_db()
    assert r.response == ""


def test_a_response_is_saved(facilitator, facilitator_user, assist_session, owner):
    r = rec(assist_session)
    response = facilitator.post(
        url_of(r),
        {"response": ADAPT, "reason": " ปรับให้เข้ากับทีมเล็ก ", "owner": owner.pk, "due": "2027-01-31"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rec-{r.pk}")
    r.refresh_from_db()
    assert (r.response, r.response_reason, r.response_owner, r.response_due) == (
        ADAPT,
        "ปรับให้เข้ากับทีมเล็ก",
        owner,
        datetime.date(2027, 1, 31),
    )
    assert r.responded_by == facilitator_user and r.responded_at is not None
    assert r.commitment is None
    page = facilitator.get(reverse("followup:recommendations", args=[assist_session.pk]))
    assert "text-bg-info" in page.content.decode()  # the Adapt badge


def test_the_response_is_required(facilitator, assist_session):
    r = rec(assist_session)
    response = facilitator.post(url_of(r), {"reason": "พิมพ์ไว้"})
    assert response.status_code == 200
    assert response.context["form"].errors["response"]
    assert "พิมพ์ไว้" in response.content.decode()
    r.refresh_from_db()
    assert r.response == "" and r.responded_at is None


def test_not_adopted_needs_a_reason(facilitator, assist_session):
    r = rec(assist_session)
    response = facilitator.post(url_of(r), {"response": NOT_ADOPTED, "reason": "  "})
    assert response.context["form"].errors["reason"]
    r.refresh_from_db()
    assert r.response == ""
    # With a reason it is saved.
    facilitator.post(url_of(r), {"response": NOT_ADOPTED, "reason": "งบประมาณไม่พอ"})
    r.refresh_from_db()
    assert (r.response, r.response_reason) == (NOT_ADOPTED, "งบประมาณไม่พอ")


def test_a_bad_date_is_refused_and_kept(facilitator, assist_session):
    r = rec(assist_session)
    response = facilitator.post(url_of(r), {"response": ADOPT, "due": "31/02/2570"})
    assert response.context["form"].errors["due"]
    assert "31/02/2570" in response.content.decode()
    r.refresh_from_db()
    assert r.response == ""


def test_the_owner_must_be_on_the_host_team_of_this_session(facilitator, assist_session):
    r = rec(assist_session)
    peer = ParticipantFactory(session=assist_session, role=Participant.Role.PEER)
    elsewhere = ParticipantFactory(session=AssistSessionFactory(organiser=assist_session.organiser))
    for pk in (peer.pk, elsewhere.pk):
        response = facilitator.post(url_of(r), {"response": ADOPT, "owner": pk})
        assert response.context["form"].errors["owner"]
    r.refresh_from_db()
    assert r.response == ""


# --- The commitment ------------------------------------------------------------------------


def counts(session):
    t = SessionTally.objects.get(session=session)
    return t.commitments, t.drafts, t.submitted


def test_a_commitment_needs_an_owner(facilitator, assist_session):
    r = rec(assist_session)
    response = facilitator.post(url_of(r), {"response": ADOPT, "make_commitment": "on"})
    assert response.context["form"].errors["owner"]
    r.refresh_from_db()
    assert r.response == "" and not Commitment.objects.exists()


def test_a_not_adopted_recommendation_is_no_commitment(facilitator, assist_session, owner):
    r = rec(assist_session)
    response = facilitator.post(
        url_of(r),
        {"response": NOT_ADOPTED, "reason": "ไม่เหมาะ", "owner": owner.pk, "make_commitment": "on"},
    )
    assert response.context["form"].errors["make_commitment"]
    assert not Commitment.objects.exists()


def test_adopted_becomes_a_commitment_of_an_owner_without_an_aar(
    facilitator, facilitator_user, assist_session, owner
):
    r = rec(assist_session, "จัดวงเล่าเรื่องทุกเดือน")
    assert counts(assist_session) == (0, 0, 0)
    response = facilitator.post(
        url_of(r),
        {"response": ADOPT, "owner": owner.pk, "due": "2027-03-01", "make_commitment": "on"},
    )
    assert response.status_code == 302
    r.refresh_from_db()
    commitment = r.commitment
    assert commitment is not None
    assert (commitment.text, commitment.due_date) == (
        "จัดวงเล่าเรื่องทุกเดือน",
        datetime.date(2027, 3, 1),
    )
    aar = AAR.objects.get(participant=owner)
    assert commitment.aar == aar
    assert aar.status == AAR.Status.DRAFT
    # Made through aar_save: a version saved by the staff member, and the counts right.
    assert aar.versions.get().saved_by == (
        facilitator_user.get_full_name() or facilitator_user.username
    )
    assert counts(assist_session) == (1, 1, 0)

    # Saving the response again never makes a second commitment.
    again = facilitator.get(url_of(r))
    assert "make_commitment" not in again.context["form"].fields
    facilitator.post(url_of(r), {"response": ADOPT, "owner": owner.pk, "make_commitment": "on"})
    assert Commitment.objects.count() == 1
    assert counts(assist_session) == (1, 1, 0)


def test_a_commitment_is_appended_to_an_existing_aar(facilitator, assist_session, owner):
    aar = AARFactory(participant=owner)
    CommitmentFactory(aar=aar, position=0)
    CommitmentFactory(aar=aar, position=1)
    r = rec(assist_session)
    facilitator.post(url_of(r), {"response": ADAPT, "owner": owner.pk, "make_commitment": "on"})
    r.refresh_from_db()
    assert r.commitment.aar == aar and r.commitment.position == 2
    assert aar.commitments.count() == 3
    assert counts(assist_session) == (3, 0, 1)
    assert AAR.objects.get(pk=aar.pk).status == AAR.Status.SUBMITTED  # untouched


def test_an_owner_with_five_commitments_gets_a_clear_error_and_nothing_is_saved(
    facilitator, assist_session, owner
):
    aar = AARFactory(participant=owner)
    for n in range(COMMITMENTS_MAX):
        CommitmentFactory(aar=aar, position=n)
    r = rec(assist_session)
    response = facilitator.post(
        url_of(r),
        {"response": ADOPT, "reason": "ดีมาก", "owner": owner.pk, "make_commitment": "on"},
    )
    assert response.status_code == 200
    error = response.context["form"].errors["make_commitment"][0]
    assert owner.full_name in error and str(COMMITMENTS_MAX) in error
    assert "ดีมาก" in response.content.decode()
    r.refresh_from_db()
    assert r.response == "" and r.commitment is None
    assert aar.commitments.count() == COMMITMENTS_MAX


def test_the_service_refuses_a_full_owner_too(assist_session, owner):
    """The form checks first; the service checks again under the owner's lock."""
    aar = AARFactory(participant=owner)
    for n in range(COMMITMENTS_MAX):
        CommitmentFactory(aar=aar, position=n)
    r = rec(assist_session)
    with pytest.raises(CommitmentRefused):
        response_save(recommendation=r, response=ADOPT, owner=owner, make_commitment=True)
    r.refresh_from_db()
    assert r.response == ""


def test_a_recommendation_too_long_for_a_commitment(facilitator, assist_session, owner):
    r = rec(assist_session, "ก" * 600)
    response = facilitator.post(
        url_of(r), {"response": ADOPT, "owner": owner.pk, "make_commitment": "on"}
    )
    assert response.context["form"].errors["make_commitment"]
    assert not AAR.objects.filter(participant=owner).exists()


# --- Telling the peers, once -----------------------------------------------------------------


@pytest.fixture
def peers(assist_session):
    """A named peer, and a peer organisation with three people: one with emails on, one
    who stopped them, one without an email address; and someone taken off the roster."""
    peer_org = OrganisationFactory(name_en="Peer Org")
    assist_session.peers.add(peer_org)
    named = ParticipantFactory(
        session=assist_session,
        role=Participant.Role.PEER,
        email="named@example.org",
        language=Participant.Language.ENGLISH,
    )
    in_org = ParticipantFactory(
        session=assist_session,
        role=Participant.Role.PEER,
        organisation=peer_org,
        email="in-org@example.org",
    )
    ParticipantFactory(
        session=assist_session,
        role=Participant.Role.PEER,
        organisation=peer_org,
        email="stopped@example.org",
        emails_stopped_at="2026-01-01T00:00Z",
    )
    ParticipantFactory(
        session=assist_session, role=Participant.Role.PEER, organisation=peer_org, email=""
    )
    ParticipantFactory(
        session=assist_session,
        role=Participant.Role.PEER,
        organisation=peer_org,
        email="removed@example.org",
        removed_at="2026-01-01T00:00Z",
    )
    ParticipantFactory(session=assist_session, role=Participant.Role.PEER, email="quiet@x.org")
    return {"org": peer_org, "named": named, "in_org": in_org}


def test_the_task_tells_each_peer_once(assist_session, peers):
    by_named = rec(assist_session, "ข้อเสนอของคนที่ระบุชื่อ", given_by=peers["named"])
    rec(assist_session, "ข้อเสนอขององค์กร", given_by_organisation=peers["org"])
    rec(assist_session, "ยังไม่ตอบ", given_by=peers["named"])
    # Nobody is told before a response.
    assert responses_notify.call(assist_session.pk) == 0
    assert mail.outbox == []

    by_named.response = ADOPT
    by_named.save()
    assert responses_notify.call(assist_session.pk) == 1
    assert [m.to for m in mail.outbox] == [["named@example.org"]]
    english = mail.outbox[0]
    assert "The host has responded" in english.subject  # in the person's language
    assert peers["named"].get_absolute_aar_url() in english.body
    assert "ข้อเสนอของคนที่ระบุชื่อ" in english.body
    assert "List-Unsubscribe" in english.extra_headers

    Recommendation.objects.filter(given_by_organisation=peers["org"]).update(
        response=NOT_ADOPTED, response_reason="ไม่ทันเวลา"
    )
    assert responses_notify.call(assist_session.pk) == 1
    assert [m.to for m in mail.outbox] == [["named@example.org"], ["in-org@example.org"]]
    assert "ไม่ทันเวลา" in mail.outbox[1].body
    # Run again: each was told once.
    assert responses_notify.call(assist_session.pk) == 0
    assert len(mail.outbox) == 2
    logs = ReminderLog.objects.filter(kind=ReminderLog.Kind.RESPONSES)
    assert sorted(logs.values_list("participant__email", flat=True)) == [
        "in-org@example.org",
        "named@example.org",
    ]
    assert set(logs.values_list("channel", flat=True)) == {ReminderLog.Channel.EMAIL}


def test_saving_a_response_enqueues_the_task_after_commit(
    facilitator, assist_session, peers, django_capture_on_commit_callbacks
):
    r = rec(assist_session, given_by=peers["named"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        facilitator.post(url_of(r), {"response": ADOPT})
    assert mail.outbox == []  # nothing is sent inside the request
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (the immediate backend in tests)
    assert [m.to for m in mail.outbox] == [["named@example.org"]]
    # A second response (another recommendation) tells nobody twice.
    r2 = rec(assist_session, given_by=peers["named"])
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(url_of(r2), {"response": ADAPT})
    assert len(mail.outbox) == 1


# --- What a participant's own pages show ------------------------------------------------------


def test_responses_for_participant(assist_session, peers, owner):
    mine = rec(
        assist_session,
        "ของฉัน",
        given_by=peers["named"],
        response=ADOPT,
        response_owner=owner,
        response_due=datetime.date(2027, 2, 1),
    )
    org = rec(
        assist_session,
        "ขององค์กร",
        given_by_organisation=peers["org"],
        response=NOT_ADOPTED,
        response_reason="ไม่เหมาะ",
    )
    rec(assist_session, "ยังไม่ตอบ", given_by=peers["named"])
    rec(assist_session, "ถูกลบ", response=ADOPT, removed_at="2026-01-01T00:00Z")
    rec(AssistSessionFactory(), "วงอื่น", response=ADOPT)

    rows = responses_for_participant(peers["named"])
    assert [(r.pk, r.is_own) for r in rows] == [(mine.pk, True), (org.pk, False)]
    rows = responses_for_participant(peers["in_org"])
    assert [(r.pk, r.is_own) for r in rows] == [(mine.pk, False), (org.pk, True)]

    html = render_to_string("aar/_responses_for_participant.html", {"responses": rows})
    assert "ของฉัน" in html and "ขององค์กร" in html and "ไม่เหมาะ" in html
    assert "ยังไม่ตอบ" not in html and "ถูกลบ" not in html and "วงอื่น" not in html
    assert owner.full_name in html
    assert html.count("border-primary") == 1
    assert render_to_string("aar/_responses_for_participant.html", {"responses": []}).strip() == ""


def test_someone_already_told_is_not_told_again(assist_session, peers):
    ReminderLog.objects.create(
        participant=peers["in_org"],
        channel=ReminderLog.Channel.EMAIL,
        kind=ReminderLog.Kind.RESPONSES,
    )
    rec(assist_session, given_by_organisation=peers["org"], response=ADOPT)
    assert responses_notify.call(assist_session.pk) == 0
    assert mail.outbox == []
