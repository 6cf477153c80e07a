import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from aar.followup_queries import missing_aar
from aar.management.commands._demo_library import LIBRARY
from aar.models import (
    AAR,
    AARVersion,
    Commitment,
    CommitmentAnswer,
    MethodReview,
    QuestionSet,
    Recommendation,
    ReminderLog,
    SessionQuestionSet,
)
from aar.recommendations import removed_recommendations, responses_for_participant
from sessions_app.models import AssistSession, Organisation, Participant

pytestmark = pytest.mark.django_db

MICRO = "Micro Peer Assist สคส. กับ สสส."
OVERDUE = "Peer Assist: การจัดการความรู้ในโรงพยาบาลชุมชน"
ARMY = "Peer Assist: เตรียมรับผู้บาดเจ็บจากอุบัติเหตุช่วงวันหยุดยาว"
ARMY_KEYS = {"supposed", "happened", "why_different", "sustain_improve"}


def authenticate(**credentials):
    # django-axes wants the request that carries the sign-in.
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def _micro():
    return AssistSession.objects.get(title=MICRO)


def _snapshot():
    """Every row the demo writes, counted, and what identifies the rows that matter."""
    return {
        "organisations": Organisation.objects.count(),
        "sessions": sorted(AssistSession.objects.values_list("title", flat=True)),
        "links": sorted(Participant.objects.values_list("token", flat=True)),
        "expectations": sorted(
            Participant.objects.exclude(expectation="").values_list(
                "full_name", "expectation", "expectation_at"
            )
        ),
        "aars": sorted(
            (aar.participant.full_name, aar.participant.session_id, aar.status, aar.answers)
            for aar in AAR.objects.select_related("participant")
        ),
        "versions": AARVersion.objects.count(),
        "commitments": sorted(Commitment.objects.values_list("text", flat=True)),
        "answers": CommitmentAnswer.objects.count(),
        "recommendations": [
            (r.position, r.text, r.theme, r.response, r.is_removed, r.commitment_id is not None)
            for r in Recommendation.objects.order_by("session", "position")
        ],
        "reviews": MethodReview.objects.count(),
        "question_choices": SessionQuestionSet.objects.count(),
        "own_sets": [
            (qs.organisation.short_name, qs.prompt_themes())
            for qs in QuestionSet.objects.filter(organisation__isnull=False)
        ],
        "told": ReminderLog.objects.filter(kind=ReminderLog.Kind.RESPONSES).count(),
    }


def test_load_demo_is_idempotent_and_keeps_links():
    call_command("load_demo", verbosity=0)
    first = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == first
    assert first["organisations"] == 3
    assert first["sessions"] == sorted([MICRO, OVERDUE, ARMY, *(past.title for past in LIBRARY)])
    assert len(first["recommendations"]) == 9
    assert first["reviews"] == 2 and first["question_choices"] == 1
    # The organisation's own set, unused, two of its prompts counted in the themes.
    assert first["own_sets"] == [("สคส.", {"p2": "not_achieved", "p3": "next_steps"})]


def test_demo_signs_in_as_a_coordinator_of_kmi():
    call_command("load_demo", verbosity=0)
    user = authenticate(username="demo", password="peerassist-demo")
    assert user is not None and user.is_staff
    assert user.memberships.get().organisation.short_name == "สคส."


def test_demo_holds_the_source_post_and_an_overdue_session():
    call_command("load_demo", verbosity=0)
    micro = _micro()
    assert micro.host.short_name == "สสส."
    author = micro.participants.get(full_name__contains="อ้อ")
    assert author.aar.goal.startswith("มาฟังวัฒนธรรมแลกเปลี่ยนฯ ของ สสส.")
    assert micro.participants.filter(aar__status=AAR.Status.DRAFT).count() == 1
    assert missing_aar(micro.participants.all()).count() >= 3

    older = AssistSession.objects.get(title=OVERDUE)
    assert older.aar_deadline < timezone.localdate()
    assert missing_aar(older.participants.all()).exists()
    assert any(aar.is_late for aar in AAR.objects.filter(participant__session=older))


def test_no_demo_account_outside_development(settings):
    settings.DEMO_USER_ALLOWED = False
    call_command("load_demo", verbosity=0)
    assert authenticate(username="demo", password="peerassist-demo") is None
    assert AssistSession.objects.count() == 3 + len(LIBRARY)
    # Without a staff account the Peer Assist is still whole, recorded by nobody named.
    assert Recommendation.objects.current().count() == 8
    assert MethodReview.objects.count() == 2
    paper = _micro().participants.get(full_name="นพ.กิตติ รักษ์ไทย").aar
    assert paper.is_submitted and paper.entered_by is None


def test_demo_has_commitments_some_answered_and_counted_the_same_each_run():
    from aar.commitments import counted, kept

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    # Six written in AARs, two the host made of adopted recommendations.
    assert Commitment.objects.count() == 8
    assert set(Commitment.objects.values_list("status", flat=True)) == {
        "open",
        "done",
        "partly",
        "not_yet",
    }
    assert CommitmentAnswer.objects.count() == 3
    assert kept() == counted() and sum(made for made, *_ in kept().values()) == 8


def test_demo_session_has_the_hosts_brief():
    call_command("load_demo", verbosity=0)
    micro = _micro()
    assert micro.has_brief and "สคส." in micro.brief_questions
    assert "https://www.gotoknow.org/" in micro.brief_reading


def test_most_people_wrote_an_expectation_before_the_session():
    call_command("load_demo", verbosity=0)
    micro = _micro()
    written = micro.participants.exclude(expectation="")
    assert written.count() == 7 and micro.participants.count() == 8
    assert all(timezone.localdate(p.expectation_at) < micro.date for p in written)
    # Someone who has written no AAR yet finds "My goal" started from it.
    surachai = written.get(full_name="นพ.สุรชัย ปัญญาดี")
    assert not AAR.objects.filter(participant=surachai).exists()
    response = Client().get(reverse("aar:entry", args=[surachai.token]))
    assert response.status_code == 200
    assert response.context["form"]["goal"].value() == surachai.expectation


def test_peers_recommendations_with_givers_themes_and_the_hosts_responses():
    call_command("load_demo", verbosity=0)
    micro = _micro()
    current = micro.recommendations.current()
    assert current.count() == 8
    assert all(r.theme and r.created_by.username == "aor" for r in current)
    named = current.filter(given_by__isnull=False)
    assert set(named.values_list("given_by__organisation__short_name", flat=True)) == {"สคส."}
    assert named.values("given_by").distinct().count() == 3
    by_organisation = current.filter(given_by__isnull=True)
    assert by_organisation.count() == 2
    assert {r.given_by_organisation.short_name for r in by_organisation} == {"สคส."}

    responses = list(current.values_list("response", flat=True))
    assert responses.count("adopt") == 4
    assert responses.count("adapt") == 2
    assert responses.count("not_adopted") == 1
    assert responses.count("") == 1  # the host has not decided on one yet
    for r in current.responded():
        assert r.response_reason
        assert r.responded_by.username == "aor" and r.responded_at is not None
        if r.response_owner:
            assert r.response_owner.role == Participant.Role.HOST
    not_adopted = current.get(response="not_adopted")
    assert not_adopted.response_owner is None and "งบ" in not_adopted.response_reason


def test_two_adopted_recommendations_are_commitments_of_their_host_team_owners():
    call_command("load_demo", verbosity=0)
    made = Recommendation.objects.filter(commitment__isnull=False).select_related(
        "commitment__aar__participant", "response_owner"
    )
    assert made.count() == 2
    for r in made:
        assert r.response == Recommendation.Response.ADOPT
        assert r.response_owner.role == Participant.Role.HOST
        assert r.commitment.aar.participant == r.response_owner
        assert r.commitment.text == r.text
        assert r.commitment.due_date == r.response_due
    assert {r.response_owner.full_name for r in made} == {"มาลี ทองดี", "นพ.กิตติ รักษ์ไทย"}


def test_the_peers_who_gave_advice_see_the_responses_and_were_told_once():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    kamol = _micro().participants.get(full_name="อ.กมล ศรีสว่าง")
    shown = responses_for_participant(kamol)
    assert len(shown) == 7 and sum(r.is_own for r in shown) >= 2
    told = ReminderLog.objects.filter(kind=ReminderLog.Kind.RESPONSES)
    assert set(told.values_list("participant__organisation__short_name", flat=True)) == {"สคส."}
    assert told.count() == told.values("participant").distinct().count() == 4


def test_one_recommendation_was_removed_and_is_kept_in_the_history():
    call_command("load_demo", verbosity=0)
    micro = _micro()
    (removed,) = removed_recommendations(micro)
    assert removed.removed_by.username == "aor" and removed.response == ""
    assert not micro.recommendations.current().filter(pk=removed.pk).exists()
    # A duplicate typed during the session: the one kept says the same, and more.
    assert micro.recommendations.current().filter(text__startswith=removed.text).count() == 1


def test_one_aar_was_typed_in_from_paper_by_the_facilitator():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    aor = get_user_model().objects.get(username="aor")
    (paper,) = AAR.objects.filter(entered_by__isnull=False)
    assert paper.entered_by == aor and paper.is_submitted
    assert paper.participant.full_name == "นพ.กิตติ รักษ์ไทย"
    assert paper.participant.session == _micro()
    assert set(paper.answers) == {"goal", "achieved", "not_achieved", "next_steps"}
    (version,) = paper.versions.all()  # one, however often the demo is loaded
    assert version.entered_by == aor and version.saved_by == "วรรณา มีสุข"


def test_an_older_session_used_the_army_questions():
    call_command("load_demo", verbosity=0)
    army = AssistSession.objects.get(title=ARMY)
    micro = _micro()
    assert army.date < AssistSession.objects.get(title=OVERDUE).date < micro.date
    assert army.question_choice.question_set.slug == "army"
    aars = AAR.objects.filter(participant__session=army)
    assert aars.count() == 4
    for aar in aars:
        assert aar.is_submitted and not aar.is_late
        assert aar.question_set.slug == "army"
        assert set(aar.answers) == ARMY_KEYS and all(aar.answers.values())
    # The other sessions keep the default, KMI's four parts.
    assert not AAR.objects.exclude(participant__session=army).filter(question_set__isnull=False)


def test_method_reviews_of_two_sessions_are_listed():
    call_command("load_demo", verbosity=0)
    reviews = MethodReview.objects.select_related("session", "updated_by")
    assert {r.session.title for r in reviews} == {MICRO, ARMY}
    for review in reviews:
        assert not review.is_empty and review.updated_by.username == "aor"
        assert review.worked and review.did_not_work and review.change_next
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    response = client.get(reverse("followup:method_reviews"))
    assert response.status_code == 200
    assert [r.session.title for r in response.context["page_obj"]] == [MICRO, ARMY]
