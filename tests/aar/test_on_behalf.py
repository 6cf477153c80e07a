"""AARs typed in by staff for a participant who wrote on paper (issue 17, item 7)."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from aar.models import AAR, AARVersion, QuestionSet, SessionQuestionSet
from aar.services import participant_erase
from tests.factories import AAR_FORM, AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

DRAFT = {"goal": "เขียนในกระดาษ", "achieved": "", "not_achieved": "", "next_steps": ""}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(participant):
    return reverse("followup:aar_on_behalf", args=[participant.session.pk, participant.pk])


def page_keys(client, participant) -> dict:
    """The hidden fields of the page as it is now: the loaded version and the form key."""
    html = client.get(url(participant)).content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("loaded_version", "submit_key")
    }


def post(client, participant, data, action="draft"):
    return client.post(
        url(participant), {**page_keys(client, participant), **data, "action": action}
    )


@pytest.fixture
def participant(assist_session):
    return ParticipantFactory(session=assist_session, full_name="สมศรี กระดาษ")


def staff(user) -> str:
    return user.get_full_name() or user.get_username()


def test_persona_matrix(client, outsider, member, facilitator, coordinator, participant):
    response = client.get(url(participant))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(url(participant), AAR_FORM).status_code == 302
    assert outsider.get(url(participant)).status_code == 404
    assert outsider.post(url(participant), AAR_FORM).status_code == 404
    assert member.get(url(participant)).status_code == 403  # may read, may not write
    assert member.post(url(participant), {**AAR_FORM, "action": "submit"}).status_code == 403
    assert facilitator.get(url(participant)).status_code == 200
    assert coordinator.get(url(participant)).status_code == 200
    assert not AAR.objects.exists()


def test_someone_from_another_session_removed_or_erased_is_not_found(
    facilitator, coordinator_user, participant
):
    elsewhere = ParticipantFactory()
    wrong = reverse("followup:aar_on_behalf", args=[participant.session.pk, elsewhere.pk])
    assert facilitator.get(wrong).status_code == 404
    removed = ParticipantFactory(session=participant.session)
    AARFactory(participant=removed)
    removed.remove()
    assert facilitator.get(url(removed)).status_code == 404
    participant_erase(participant=participant, erased_by=coordinator_user)
    assert facilitator.get(url(participant)).status_code == 404
    assert facilitator.post(url(participant), {**AAR_FORM, "action": "submit"}).status_code == 404


def test_the_page_says_whose_it_is_and_that_their_link_still_works(facilitator, participant):
    html = english(facilitator).get(url(participant)).content.decode()
    assert "on behalf of สมศรี กระดาษ" in html
    assert "สมศรี กระดาษ can still open their own link and edit it" in html
    assert "My goal" in html and "What I will do next" in html  # KMI's, the default


def test_saving_a_draft_marks_the_aar_and_its_version(facilitator, facilitator_user, participant):
    response = post(facilitator, participant, {**DRAFT, "sharing": "organisers"})
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:session", args=[participant.session.pk])
    aar = AAR.objects.get(participant=participant)
    assert aar.status == AAR.Status.DRAFT and aar.goal == "เขียนในกระดาษ"
    assert aar.entered_by == facilitator_user
    version = aar.versions.get()
    assert version.entered_by == facilitator_user
    assert version.saved_by == staff(facilitator_user)
    messages = [str(m) for m in facilitator.get(url(participant)).context["messages"]]
    assert any("สมศรี กระดาษ" in m for m in messages)


def test_submitting_needs_every_part_and_keeps_what_was_typed(facilitator, participant):
    response = post(english(facilitator), participant, DRAFT, action="submit")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please write “What was achieved” before you submit." in html
    assert "There is a problem" in html and "เขียนในกระดาษ" in html
    assert not AAR.objects.filter(participant=participant).exists()  # nothing half-saved

    response = post(facilitator, participant, AAR_FORM, action="submit")
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert aar.is_submitted and aar.submitted_at and aar.sharing == "participants"


def test_a_submitted_aar_stays_submitted(facilitator, participant):
    post(facilitator, participant, AAR_FORM, action="submit")
    html = facilitator.get(url(participant)).content.decode()
    assert 'value="draft"' not in html  # only "Save changes"
    response = post(facilitator, participant, {**AAR_FORM, "goal": ""}, action="draft")
    assert response.status_code == 200  # saved whole, so every part is needed
    post(facilitator, participant, {**AAR_FORM, "goal": "แก้แล้ว"}, action="draft")
    aar = AAR.objects.get(participant=participant)
    assert aar.is_submitted and aar.goal == "แก้แล้ว"


def test_it_uses_the_sessions_question_set(facilitator, participant):
    army = QuestionSet.objects.get(slug="army")
    SessionQuestionSet.objects.create(session=participant.session, question_set=army)
    html = english(facilitator).get(url(participant)).content.decode()
    assert "What was supposed to happen?" in html and "My goal" not in html
    answers = {"supposed": "ก", "happened": "ข", "why_different": "ค", "sustain_improve": "ง"}
    post(facilitator, participant, {**answers, "sharing": "organisers"}, action="submit")
    aar = AAR.objects.get(participant=participant)
    assert aar.question_set == army and aar.answers == answers


def test_the_participant_can_still_edit_through_their_link(
    client, facilitator, facilitator_user, participant
):
    post(facilitator, participant, AAR_FORM, action="submit")
    entry = reverse("aar:entry", args=[participant.token])
    assert client.get(entry).status_code == 200
    response = client.post(entry, {**AAR_FORM, "goal": "แก้เองทีหลัง", "action": "submit"})
    assert response.status_code == 302
    aar = AAR.objects.get(participant=participant)
    assert aar.goal == "แก้เองทีหลัง" and aar.is_submitted
    versions = list(aar.versions.order_by("saved_at", "pk"))
    assert [v.entered_by for v in versions] == [facilitator_user, None]
    assert versions[1].saved_by == participant.full_name


def test_the_session_export_says_who_entered_it(
    coordinator, facilitator, facilitator_user, participant
):
    post(facilitator, participant, AAR_FORM, action="submit")
    ParticipantFactory(session=participant.session, full_name="เขียนเอง")
    response = english(coordinator).get(
        reverse("followup:session_export", args=[participant.session.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Entered by")
    by_name = {row[0]: row[column] for row in rows[1:]}
    assert by_name == {"สมศรี กระดาษ": staff(facilitator_user), "เขียนเอง": ""}


def test_history_shows_who_entered_each_version(
    client, member, facilitator, facilitator_user, participant
):
    post(facilitator, participant, DRAFT)
    client.post(reverse("aar:entry", args=[participant.token]), {**AAR_FORM, "action": "submit"})
    html = (
        english(member)
        .get(reverse("history:aar", args=[participant.session.pk, participant.pk]))
        .content.decode()
    )
    assert f"entered by {staff(facilitator_user)}" in html
    assert html.count("entered by") == 1  # the participant's own save is theirs
    assert participant.full_name in html


@pytest.mark.parametrize("saves", [2, 20])
def test_history_queries_stay_constant_with_entered_versions(
    coordinator, facilitator, participant, saves, django_assert_num_queries
):
    for n in range(saves):
        post(facilitator, participant, {**DRAFT, "goal": f"ร่าง {n}"})
    assert AARVersion.objects.filter(entered_by__isnull=False).count() == saves
    # auth session + user (2), session with the can-edit check (1), participant (1),
    # AAR (1), versions count + page (2): the staff name needs no query of its own
    with django_assert_num_queries(7):
        coordinator.get(reverse("history:aar", args=[participant.session.pk, participant.pk]))


def test_a_closed_session_is_read_only(facilitator, participant):
    AARFactory(participant=participant, goal="เขียนไว้ก่อนปิด")
    participant.session.close()
    response = english(facilitator).get(url(participant))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This session is closed, so AARs can no longer be changed." in html
    assert "เขียนไว้ก่อนปิด" in html and "<textarea" not in html
    response = facilitator.post(url(participant), {**AAR_FORM, "action": "submit"})
    assert response.status_code == 302
    assert AAR.objects.get(participant=participant).goal == "เขียนไว้ก่อนปิด"


def test_a_change_made_meanwhile_is_not_overwritten(client, facilitator, participant):
    keys = page_keys(facilitator, participant)
    AARFactory(participant=participant, goal="ผู้เข้าร่วมเขียนเอง", draft=True)
    response = english(facilitator).post(url(participant), {**keys, **AAR_FORM, "action": "draft"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "ผู้เข้าร่วมเขียนเอง" in html and "Saved from another tab or device" in html
    assert AAR.objects.get(participant=participant).goal == "ผู้เข้าร่วมเขียนเอง"


def test_the_same_form_posted_twice_saves_once(facilitator, participant):
    keys = page_keys(facilitator, participant)
    data = {**keys, **AAR_FORM, "action": "submit"}
    assert facilitator.post(url(participant), data).status_code == 302
    assert facilitator.post(url(participant), data).status_code == 302
    assert AARVersion.objects.filter(aar__participant=participant).count() == 1


def test_a_new_aar_starts_from_the_expectation(facilitator, participant):
    participant.expectation = "อยากรู้วิธีของทีมอื่น"
    participant.save()
    form = facilitator.get(url(participant)).context["form"]
    assert form["goal"].value() == "อยากรู้วิธีของทีมอื่น"
