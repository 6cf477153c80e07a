"""Question sets (issue 17, item 6): the list, custom sets, a session's choice, and an
AAR written in the chosen set all the way to the synthesis and the export."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from aar.models import AAR, QuestionSet, SessionQuestionSet
from aar.question_sets import QuestionsFixed, question_set_choose
from aar.services import aar_save
from sessions_app.models import Membership
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("followup:question_sets")
CREATE = reverse("followup:question_set_create")
ARMY = ["supposed", "happened", "why_different", "sustain_improve"]
ARMY_QUESTIONS = [
    "What was supposed to happen?",
    "What actually happened?",
    "Why was there a difference?",
    "What will we sustain or improve?",
]


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(prompts, *, name_th="ชุดคำถามของเรา", name_en="Our questions", organisation=None):
    """A post of the set form: the names and the prompts' rows (eight, or more)."""
    rows = max(8, len(prompts))
    data = {
        "name_th": name_th,
        "name_en": name_en,
        "prompts-TOTAL_FORMS": str(rows),
        "prompts-INITIAL_FORMS": "0",
        "prompts-MIN_NUM_FORMS": "0",
        "prompts-MAX_NUM_FORMS": "8",
    }
    if organisation is not None:
        data["organisation"] = str(organisation.pk)
    for n, (th, en) in enumerate(prompts):
        data[f"prompts-{n}-th"] = th
        data[f"prompts-{n}-en"] = en
    return data


THREE = [("ได้เรียนรู้อะไร", "What did you learn?"), ("จะใช้อย่างไร", "How will you use it?"),
         ("อยากถามอะไรต่อ", "What would you still ask?")]  # fmt: skip


@pytest.fixture
def custom(org, coordinator_user):
    return QuestionSet.objects.create(
        slug="custom-test0000001",
        organisation=org,
        name_th="ชุดทดลอง",
        name_en="Trial set",
        prompts=[{"th": th, "en": en} for th, en in THREE],
        created_by=coordinator_user,
    )


def edit_url(question_set):
    return reverse("followup:question_set_edit", args=[question_set.pk])


def delete_url(question_set):
    return reverse("followup:question_set_delete", args=[question_set.pk])


def choose_url(session):
    return reverse("followup:session_question_set", args=[session.pk])


def kmi():
    return QuestionSet.objects.get(slug="kmi")


def army():
    return QuestionSet.objects.get(slug="army")


# --- The list -------------------------------------------------------------------------


def test_list_persona_matrix(client, outsider, member, coordinator, custom):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(LIST).status_code == 302

    html = english(outsider).get(LIST).content.decode()
    assert "Trial set" not in html  # another organisation's set
    assert "The US Army" in html  # the built-in ones for everyone

    html = english(member).get(LIST).content.decode()
    assert "Trial set" in html and "What did you learn?" in html and "ได้เรียนรู้อะไร" in html
    assert edit_url(custom) not in html and CREATE not in html  # not a coordinator

    html = english(coordinator).get(LIST).content.decode()
    assert edit_url(custom) in html and delete_url(custom) in html and CREATE in html
    assert "What actually happened?" in html and "My goal" in html
    assert coordinator.post(LIST).status_code == 405


def test_list_shows_an_empty_state(member):
    html = english(member).get(LIST).content.decode()
    assert "No custom sets yet" in html


@pytest.mark.parametrize("sets", [5, 50])
def test_list_queries_are_constant(org, coordinator, sets, django_assert_num_queries):
    QuestionSet.objects.bulk_create(
        QuestionSet(
            slug=f"custom-{n:012d}",
            organisation=org,
            name_th=f"ชุด {n}",
            name_en=f"Set {n}",
            prompts=[{"th": "ก", "en": "a"}, {"th": "ข", "en": "b"}],
        )
        for n in range(sets)
    )
    AARFactory(
        participant=ParticipantFactory(session=AssistSessionFactory(organiser=org)),
        question_set=QuestionSet.objects.filter(organisation=org).first(),
    )
    # auth session + user (2), the organisations the user coordinates (1), the sets with
    # their organisation and whether each is in use (1)
    with django_assert_num_queries(4):
        response = coordinator.get(LIST)
    assert response.content.decode().count("question-sets/") >= sets * 2


# --- Making and changing a custom set --------------------------------------------------


def test_create_persona_matrix(client, outsider, member, coordinator, org):
    response = client.get(CREATE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert member.get(CREATE).status_code == 403  # not a coordinator
    assert member.post(CREATE, form_data(THREE, organisation=org)).status_code == 403
    assert coordinator.get(CREATE).status_code == 200
    # A coordinator of another organisation cannot make a set for ours.
    response = english(outsider).post(CREATE, form_data(THREE, organisation=org))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not QuestionSet.objects.filter(organisation=org).exists()


def test_coordinator_creates_a_set_and_empty_rows_are_ignored(coordinator, org, coordinator_user):
    prompts = [THREE[0], ("", ""), *THREE[1:]]
    response = coordinator.post(CREATE, form_data(prompts, organisation=org), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    created = QuestionSet.objects.get(organisation=org)
    assert created.slug.startswith("custom-") and len(created.slug) == len("custom-") + 12
    assert created.prompts == [{"th": th, "en": en} for th, en in THREE]
    assert (created.name_th, created.name_en) == ("ชุดคำถามของเรา", "Our questions")
    assert created.created_by == coordinator_user
    assert [part.key for part in created.parts()] == ["p1", "p2", "p3"]
    assert "ชุดคำถามของเรา" in response.content.decode()  # and a message after the action
    assert list(response.context["messages"])


BAD = {
    "one prompt": ([THREE[0]], "Please write at least 2 prompts.", None),
    "nine prompts": ([(f"ข้อ {n}", f"Item {n}") for n in range(9)], "at most 8", None),
    "a missing English": ([THREE[0], ("จะใช้อย่างไร", "")], "in English too", "prompts-1-en"),
    "a missing Thai": ([THREE[0], ("", "How?")], "in Thai too", "prompts-1-th"),
    "too long": ([THREE[0], ("ก" * 301, "b")], "at most 300 characters", "prompts-1-th"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_prompts_are_refused_beside_the_field_and_nothing_is_saved(coordinator, org, case):
    prompts, error, field = BAD[case]
    response = english(coordinator).post(CREATE, form_data(prompts, organisation=org))
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert html.count(error) >= 2  # in the summary at the top and beside the field
    if field:
        # Beside the box: crispy's error under the field with its id.
        assert f'id="error_1_id_{field}"' in html
    assert "There is a problem" in html and "<title>Error:" in html
    assert prompts[0][0] in html  # typed text kept
    assert not QuestionSet.objects.filter(organisation=org).exists()


def test_a_prompt_may_count_in_the_themes_and_the_list_says_as_what(coordinator, org):
    """Each prompt chooses whether its answers count in the themes, and as which part;
    a value that is not one of them is an error beside the field, the text kept."""
    data = form_data(THREE, organisation=org)
    data["prompts-1-theme"] = "not_achieved"
    data["prompts-2-theme"] = "next_steps"
    bad = english(coordinator).post(CREATE, {**data, "prompts-0-theme": "goal"})
    html = bad.content.decode()
    assert "Please choose one of the parts listed." in html
    assert 'id="error_1_id_prompts-0-theme"' in html and THREE[0][0] in html
    assert not QuestionSet.objects.filter(organisation=org).exists()
    assert coordinator.post(CREATE, data).status_code == 302
    created = QuestionSet.objects.get(organisation=org)
    assert [prompt.get("theme") for prompt in created.prompts] == [
        None,
        "not_achieved",
        "next_steps",
    ]
    assert created.prompt_themes() == {"p2": "not_achieved", "p3": "next_steps"}
    listed = english(coordinator).get(LIST).content.decode()
    assert "Counted in the themes as “What was not achieved, and why”" in listed
    assert "Counted in the themes as “What will be done next”" in listed
    # The edit page shows the choices saved.
    edit = coordinator.get(edit_url(created)).content.decode()
    assert re.search(r'<option value="next_steps" selected>', edit)


def test_names_are_required(coordinator, org):
    response = english(coordinator).post(CREATE, form_data(THREE, name_en="", organisation=org))
    assert "This field is required." in response.content.decode()
    assert not QuestionSet.objects.filter(organisation=org).exists()


def test_edit_persona_matrix(client, outsider, member, facilitator, coordinator, custom):
    url = edit_url(custom)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, form_data(THREE)).status_code == 404
    assert member.get(url).status_code == 403
    assert facilitator.post(url, form_data(THREE[:2])).status_code == 403
    assert coordinator.get(url).status_code == 200
    # The built-in sets are nobody's to edit.
    assert coordinator.get(edit_url(army())).status_code == 404
    assert coordinator.post(delete_url(kmi())).status_code == 404


def test_edit_shows_the_saved_prompts_and_changes_them(coordinator, custom):
    html = coordinator.get(edit_url(custom)).content.decode()
    assert "What would you still ask?" in html and "ชุดทดลอง" in html
    response = coordinator.post(edit_url(custom), form_data(THREE[:2], name_en="Renamed"))
    assert response.status_code == 302
    custom.refresh_from_db()
    assert custom.name_en == "Renamed" and len(custom.prompts) == 2


def test_bad_edit_changes_nothing(coordinator, custom):
    response = english(coordinator).post(edit_url(custom), form_data([THREE[0]]))
    assert "Please write at least 2 prompts." in response.content.decode()
    custom.refresh_from_db()
    assert len(custom.prompts) == 3


def test_delete_asks_first_then_deletes_and_sessions_go_back_to_the_default(
    coordinator, member, custom, assist_session
):
    SessionQuestionSet.objects.create(session=assist_session, question_set=custom)
    assert member.post(delete_url(custom)).status_code == 403
    response = english(coordinator).get(delete_url(custom))
    html = response.content.decode()
    assert response.status_code == 200 and "Sessions that chose this set: 1." in html
    assert QuestionSet.objects.filter(pk=custom.pk).exists()  # a GET changes nothing
    response = coordinator.post(delete_url(custom))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not QuestionSet.objects.filter(pk=custom.pk).exists()
    assert not SessionQuestionSet.objects.filter(session=assist_session).exists()


def test_a_set_in_use_cannot_be_edited_or_deleted(coordinator, custom, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session), question_set=custom)
    coordinator = english(coordinator)
    response = coordinator.get(edit_url(custom), follow=True)
    assert "can no longer be changed or deleted" in response.content.decode()
    coordinator.post(edit_url(custom), form_data(THREE[:2]))
    custom.refresh_from_db()
    assert len(custom.prompts) == 3
    response = coordinator.post(delete_url(custom), follow=True)
    assert "can no longer be changed or deleted" in response.content.decode()
    assert QuestionSet.objects.filter(pk=custom.pk).exists()
    html = coordinator.get(LIST).content.decode()
    assert edit_url(custom) not in html and "In use" in html


# --- A session's choice ----------------------------------------------------------------


def test_choose_persona_matrix(client, outsider, member, facilitator, coordinator, assist_session):
    url = choose_url(assist_session)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"question_set": army().pk}).status_code == 404
    assert member.get(url).status_code == 403
    assert member.post(url, {"question_set": army().pk}).status_code == 403
    assert facilitator.get(url).status_code == 200
    assert coordinator.get(url).status_code == 200
    assert not SessionQuestionSet.objects.exists()


def test_the_page_lists_the_built_in_and_the_organisers_sets(
    facilitator, assist_session, custom, other_org
):
    QuestionSet.objects.create(
        slug="custom-elsewhere01", organisation=other_org, name_th="ของที่อื่น", name_en="Theirs",
        prompts=[{"th": "ก", "en": "a"}, {"th": "ข", "en": "b"}],
    )  # fmt: skip
    html = english(facilitator).get(choose_url(assist_session)).content.decode()
    assert "KMI&#x27;s four parts" in html and "What was supposed to happen?" in html
    assert "Trial set" in html and "What did you learn?" in html
    assert "Theirs" not in html
    # The default is chosen until something else is.
    assert checked(html) == str(kmi().pk)
    facilitator.post(choose_url(assist_session), {"question_set": custom.pk})
    assert checked(facilitator.get(choose_url(assist_session)).content.decode()) == str(custom.pk)


def checked(html) -> str:
    """The value of the checked radio button."""
    (value,) = re.findall(r'<input type="radio"[^>]*value="(\d+)"[^>]*checked', html)
    return value


def test_choosing_a_set_and_going_back_to_the_default(facilitator, assist_session, custom):
    response = facilitator.post(choose_url(assist_session), {"question_set": army().pk})
    assert response.status_code == 302
    assert SessionQuestionSet.objects.get(session=assist_session).question_set == army()
    facilitator.post(choose_url(assist_session), {"question_set": custom.pk})
    assert SessionQuestionSet.objects.get(session=assist_session).question_set == custom
    # KMI, the default, is no choice at all.
    facilitator.post(choose_url(assist_session), {"question_set": kmi().pk})
    assert not SessionQuestionSet.objects.filter(session=assist_session).exists()


def test_another_organisations_set_cannot_be_chosen(facilitator, assist_session, other_org):
    theirs = QuestionSet.objects.create(
        slug="custom-elsewhere02", organisation=other_org, name_th="ของที่อื่น", name_en="Theirs",
        prompts=[{"th": "ก", "en": "a"}, {"th": "ข", "en": "b"}],
    )  # fmt: skip
    response = english(facilitator).post(choose_url(assist_session), {"question_set": theirs.pk})
    assert response.status_code == 200
    assert "Please choose one of the sets listed." in response.content.decode()
    assert not SessionQuestionSet.objects.exists()
    with pytest.raises(ValueError):
        question_set_choose(session=assist_session, question_set=theirs)


def test_the_set_cannot_change_after_the_first_aar(facilitator, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session), draft=True)
    response = english(facilitator).post(
        choose_url(assist_session), {"question_set": army().pk}, follow=True
    )
    html = response.content.decode()
    assert "The questions cannot change once the first AAR is written" in html
    assert not SessionQuestionSet.objects.exists()
    assert "Use this set" not in html  # the page shows the set, without the form
    with pytest.raises(QuestionsFixed):
        question_set_choose(session=assist_session, question_set=army())


def test_a_removed_persons_aar_counts_too(facilitator, assist_session):
    participant = ParticipantFactory(session=assist_session)
    AARFactory(participant=participant)
    participant.remove()
    facilitator.post(choose_url(assist_session), {"question_set": army().pk})
    assert not SessionQuestionSet.objects.exists()


# --- An AAR in the chosen set, through every page --------------------------------------


def test_an_aar_in_the_army_set_from_entry_to_synthesis(facilitator, assist_session):
    facilitator.post(choose_url(assist_session), {"question_set": army().pk})
    written = ParticipantFactory(session=assist_session, language="en")
    aar = aar_save(
        participant=written,
        data={key: f"answer {key}" for key in ARMY} | {"sharing": "participants"},
        submit=True,
    )
    aar.refresh_from_db()
    assert aar.question_set == army()
    assert aar.answers == {key: f"answer {key}" for key in ARMY}

    # The personal link shows the four Army questions; one left empty is an error.
    participant = ParticipantFactory(session=assist_session, language="en")
    entry = reverse("aar:entry", args=[participant.token])
    html = facilitator.get(entry).content.decode()
    for question in ARMY_QUESTIONS:
        assert question in html
    assert "My goal" not in html
    posted = dict.fromkeys(ARMY, "x") | {"happened": "", "sharing": "participants"}
    response = facilitator.post(entry, {**posted, "action": "submit"})
    assert "Please write “What actually happened?” before you submit." in response.content.decode()
    assert not AAR.objects.filter(participant=participant).exists()

    html = english(facilitator).get(reverse("followup:synthesis", args=[assist_session.pk]))
    html = html.content.decode()
    for question in ARMY_QUESTIONS:
        assert question in html
    assert "answer why_different" in html


def test_the_session_export_has_the_custom_prompts_as_columns(coordinator, assist_session, custom):
    question_set_choose(session=assist_session, question_set=custom)
    participant = ParticipantFactory(session=assist_session)
    aar_save(participant=participant, data={"p1": "หนึ่ง", "p2": "สอง", "p3": "สาม"}, submit=True)
    response = coordinator.get(reverse("followup:session_export", args=[assist_session.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    # Thai: the prompts in Thai.
    assert header[-3:] == [th for th, _en in THREE]
    assert rows[1][-3:] == ["หนึ่ง", "สอง", "สาม"]
    response = english(coordinator).get(
        reverse("followup:session_export", args=[assist_session.pk, "csv"])
    )
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[-3:] == [en for _th, en in THREE]


def test_a_coordinator_of_two_organisations_picks_which_one(org, other_org):
    user = UserFactory(username="two-hats")
    MembershipFactory(user=user, organisation=org, role=Membership.Role.COORDINATOR)
    MembershipFactory(user=user, organisation=other_org, role=Membership.Role.COORDINATOR)
    elsewhere = OrganisationFactory()
    from django.test import Client

    client = Client()
    client.force_login(user)
    html = client.get(CREATE).content.decode()
    assert org.name in html and other_org.name in html and elsewhere.name not in html
    client.post(CREATE, form_data(THREE, organisation=other_org))
    assert QuestionSet.objects.get(name_en="Our questions").organisation == other_org


def test_history_shows_the_questions_of_the_aars_set(member, assist_session, custom):
    question_set_choose(session=assist_session, question_set=custom)
    participant = ParticipantFactory(session=assist_session)
    aar_save(participant=participant, data={"p1": "หนึ่ง", "p2": "สอง", "p3": "สาม"}, submit=True)
    url = reverse("history:aar", args=[assist_session.pk, participant.pk])
    html = english(member).get(url).content.decode()
    for _th, en in THREE:
        assert en in html
    assert "หนึ่ง" in html and "My goal" not in html
