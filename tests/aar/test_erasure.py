"""Erasing a person on request (PDPA): coordinators of the organiser only; the person is
anonymised, their slot on the roster and the follow-up counts stay."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from aar.models import AAR, AARVersion, AuditEntry, ReminderLog
from aar.services import AlreadyErased, aar_save, participant_erase
from sessions_app import tally
from sessions_app.models import ERASED_NAME, Participant
from tests.factories import (
    AAR_FORM,
    AARFactory,
    AARVersionFactory,
    AssistSessionFactory,
    ParticipantFactory,
    ReminderLogFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(assist_session):
    person = ParticipantFactory(
        session=assist_session, full_name="สมชาย ลบได้", email="somchai@example.org"
    )
    aar = AARFactory(participant=person, goal="เป้าหมายส่วนตัว", sharing=AAR.Sharing.ORGANISERS)
    AARVersionFactory(aar=aar, goal="ร่างแรก", status=AAR.Status.DRAFT)
    AARVersionFactory(aar=aar)
    ReminderLogFactory(participant=person)
    return person


def url(person):
    return reverse("followup:participant_erase", args=[person.session_id, person.pk])


def test_persona_matrix(client, outsider, member, facilitator, coordinator, person):
    for method in ("get", "post"):
        response = getattr(client, method)(url(person))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert getattr(outsider, method)(url(person)).status_code == 404
        assert getattr(member, method)(url(person)).status_code == 403  # read-only
        # The facilitator may edit the session, but erasure is the coordinators' call.
        assert getattr(facilitator, method)(url(person)).status_code == 403
    assert coordinator.get(url(person)).status_code == 200
    person.refresh_from_db()
    assert person.full_name == "สมชาย ลบได้"  # no GET, nor any refused POST, erased
    assert not AuditEntry.objects.exists()


def test_a_participant_of_another_session_is_404(coordinator, assist_session, org):
    other = ParticipantFactory(session=AssistSessionFactory(organiser=org))
    target = reverse("followup:participant_erase", args=[assist_session.pk, other.pk])
    assert coordinator.post(target).status_code == 404
    other.refresh_from_db()
    assert not other.is_erased


def test_the_confirmation_page_says_what_will_happen(coordinator, person):
    response = coordinator.get(url(person))
    assert response.context["participant"] == person
    html = response.content.decode()
    assert "สมชาย ลบได้" in html
    assert 'method="post"' in html


def test_erasure_anonymises_and_keeps_the_slot(coordinator, coordinator_user, person):
    old_link = person.get_aar_url()
    old_token = person.token
    submitted_at = person.aar.submitted_at
    response = coordinator.post(url(person))
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:session", args=[person.session_id])
    assert [m.level_tag for m in response.wsgi_request._messages] == ["success"]

    person.refresh_from_db()
    assert person.full_name == ERASED_NAME == str(person)
    assert person.email == ""
    assert person.token != old_token
    assert person.erased_at is not None
    # Kept: the row, its role, organisation, roster and invitation state.
    assert person.role == Participant.Role.HOST
    assert person.organisation == person.session.host
    assert person.removed_at is None

    aar = AAR.objects.get(participant=person)
    assert (aar.goal, aar.achieved, aar.not_achieved, aar.next_steps) == ("", "", "", "")
    assert aar.status == AAR.Status.SUBMITTED and aar.submitted_at == submitted_at
    assert aar.sharing == AAR.Sharing.ORGANISERS
    versions = AARVersion.objects.filter(aar=aar)
    assert versions.count() == 2
    for version in versions:
        assert (version.goal, version.achieved, version.not_achieved, version.next_steps) == (
            "",
            "",
            "",
            "",
        )
        assert version.saved_by == ERASED_NAME
    assert ReminderLog.objects.filter(participant=person).count() == 1  # times only

    # The old link stops working, for writing and for the data download alike.
    assert coordinator.get(old_link).status_code == 404
    assert coordinator.get(reverse("aar:my_data", args=[old_token])).status_code == 404

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.ERASE
    assert entry.actor == coordinator_user
    assert entry.session == person.session
    assert entry.organisation == person.session.organiser
    assert entry.participant_pk == person.pk
    # No personal data of the erased person in the audit log.
    values = " ".join(str(v) for v in AuditEntry.objects.values().get().values())
    assert "สมชาย" not in values and "somchai" not in values


def test_an_erased_person_cannot_be_erased_twice(coordinator, person):
    coordinator.post(url(person), follow=True)  # shows (and so uses up) its message
    response = coordinator.post(url(person), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert AuditEntry.objects.count() == 1
    page = coordinator.get(url(person))
    assert page.status_code == 200
    assert 'method="post"' not in page.content.decode().split("<main", 1)[1].split("</main>")[0]
    with pytest.raises(AlreadyErased):
        participant_erase(participant=person, erased_by=None)


def test_erasure_leaves_the_follow_up_counts_and_recount_agrees(coordinator, assist_session):
    people = [ParticipantFactory(session=assist_session) for _ in range(4)]
    AARFactory(participant=people[0])
    AARFactory(participant=people[1], draft=True)
    people[2].mark_invited()
    AARFactory(participant=people[3])
    people[3].remove()  # kept in the archive, off the roster

    def counts():
        return tally.sessions_kept()[assist_session.pk], tally.months_kept()

    followup = reverse("followup:session", args=[assist_session.pk])
    before = counts()
    page_counts = coordinator.get(followup).context["counts"]
    for person in people:
        assert coordinator.post(url(person)).status_code == 302
    assert Participant.objects.filter(erased_at__isnull=False).count() == 4
    assert counts() == before
    assert coordinator.get(followup).context["counts"] == page_counts
    out = io.StringIO()
    call_command("recount_followup", stdout=out)  # raises if the kept counts disagree
    assert "agree" in out.getvalue()


def test_erased_people_show_as_the_placeholder_in_exports(coordinator, person):
    coordinator.post(url(person))
    csv = coordinator.get(
        reverse("followup:session_export", args=[person.session_id, "csv"])
    ).content.decode("utf-8-sig")
    assert ERASED_NAME in csv
    assert "สมชาย" not in csv and "เป้าหมายส่วนตัว" not in csv


def test_a_person_removed_from_the_roster_can_be_erased(coordinator, person):
    person.remove()
    assert coordinator.post(url(person)).status_code == 302
    person.refresh_from_db()
    assert person.is_erased and person.removed_at is not None


def test_a_page_open_during_the_erasure_cannot_bring_the_words_back(
    client, coordinator_user, person
):
    stale = Participant.objects.get(pk=person.pk)  # loaded before the erasure
    participant_erase(participant=person, erased_by=coordinator_user)
    with pytest.raises(AlreadyErased):
        aar_save(participant=stale, data={**AAR_FORM}, submit=True)
    assert AAR.objects.get(participant=person).goal == ""
