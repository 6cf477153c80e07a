"""Themes (issue 19, item 4): the words of "what was not achieved, and why" and of "what I
will do next", counted by the code that writes (``lessons.index``) and shown for one of
the user's organisations and a period, each a link to the search."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aar.models import AAR, QuestionSet, Recommendation
from aar.question_sets import question_set_choose
from aar.recommendations import recommendation_add
from aar.services import aar_delete, aar_save, participant_erase
from lessons import index, theme_views, themes
from lessons.models import ThemeCount
from lessons.themes import counts_changed, rebuild_themes, theme_words, top_themes
from sessions_app.models import Participant
from tests.factories import (
    AARFactory,
    AssistSessionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.helpers import session_form_data
from tests.lessons.test_index_paths import FULL, post_form, write

pytestmark = pytest.mark.django_db

URL = reverse("lessons:themes")
MARCH = datetime.date(2025, 3, 10)
# Words found in no other text of these tests.
BUDGET = "ยังไม่ได้คุยเรื่องงบประมาณ เพราะเวลาไม่พอ"
TRANSPORT = "ยังไม่ได้คุยเรื่องรถรับส่งชาวบ้าน"
NEXT = "ชวนทีมลองวงเล่าเรื่องเดือนหน้า"


def counts(part: str = themes.NOT_ACHIEVED, organisation=None) -> dict[str, int]:
    """Every word's count for ``part`` (of every month), as the page would sum them."""
    rows = ThemeCount.objects.filter(part=part, count__gt=0)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    total: Counter = Counter()
    for word, n in rows.values_list("word", "count"):
        total[word] += n
    return dict(total)


def all_counts() -> Counter:
    """The whole table, as a rebuild must make it again (rows at 0 are not read)."""
    return Counter(
        {
            (org, month, part, word): n
            for org, month, part, word, n in ThemeCount.objects.filter(count__gt=0).values_list(
                "organisation_id", "month", "part", "word", "count"
            )
        }
    )


@pytest.fixture
def session(org, facilitator_user):
    return AssistSessionFactory(organiser=org, facilitator=facilitator_user, date=MARCH)


@pytest.fixture
def writer(session):
    return ParticipantFactory(session=session, role=Participant.Role.PEER)


def submit(person, **answers) -> AAR:
    return aar_save(participant=person, data={**FULL, **answers}, submit=True)


# --- Words ----------------------------------------------------------------------------------


def test_thai_is_segmented_and_stop_words_are_dropped():
    words = theme_words(BUDGET)
    assert {"งบประมาณ", "เวลา", "คุย"} <= words
    assert "เรื่อง" not in words  # every answer says it: one of themes' own stop words
    # Thai stop words from PyThaiNLP's list: "ยัง", "ไม่", "ได้", "เพราะ", "พอ".
    assert not words & {"ยัง", "ไม่", "ได้", "เพราะ", "พอ", "ไม่ได้"}
    assert all(len(word) >= 2 for word in words)


def test_two_words_side_by_side_make_a_phrase_and_a_stop_word_or_thai_space_breaks_it():
    words = theme_words("ขาดงบประมาณกิจกรรม เพราะงบประมาณ เวลาน้อย", phrases=True)
    assert "งบประมาณ กิจกรรม" in words
    # "เพราะ" (a stop word) and the space stand between งบประมาณ and เวลา.
    assert "งบประมาณ เวลา" not in words
    # A space between Thai words is a break between phrases; between English, not.
    assert "ทีมงาน ชุมชน" not in theme_words("ทีมงาน ชุมชน", phrases=True)
    assert "budget review" in theme_words("the budget review", phrases=True)
    # Off by default (not cheap: see themes.PHRASES).
    assert not [word for word in theme_words(BUDGET) if " " in word]


def test_english_is_lowercased_and_its_stop_words_numbers_and_punctuation_are_dropped():
    words = theme_words("The Budget was not enough, 2024 staff!! x 3.5 Budget review")
    assert words == {"budget", "enough", "staff", "review"}


def test_an_answer_counts_a_word_once_however_often_it_repeats_it():
    assert themes.answers_delta((), [("not_achieved", "งบประมาณ งบประมาณ งบประมาณ")]) == Counter(
        {("not_achieved", "งบประมาณ"): 1}
    )


def test_only_the_two_parts_count_and_the_army_questions_count_as_them():
    delta = themes.answers_delta(
        (),
        [
            ("goal", "เป้าหมายส่วนตัว"),
            ("achieved", "สำเร็จแล้ว"),
            ("why_different", "งบประมาณ"),
            ("sustain_improve", "อบรมทีม"),
            ("p1", "คำถามเอง"),
        ],
    )
    assert set(delta) == {
        ("not_achieved", "งบประมาณ"),
        ("next_steps", "อบรม"),
        ("next_steps", "ทีม"),
    }


def test_a_custom_sets_prompts_count_as_their_coordinators_marked_them(session):
    """An AAR in an organisation's own set: the prompts marked "not achieved" or "next
    steps" count as those parts, the others not at all; a rebuild counts the same; and
    a theme's link finds the answer (and the Army's "why different", as KMI's part)."""
    custom = QuestionSet.objects.create(
        slug="custom-themes00001",
        organisation=session.organiser,
        name_th="ชุดของเรา",
        name_en="Ours",
        prompts=[
            {"th": "ได้อะไร", "en": "Gained?"},
            {"th": "ติดอะไร", "en": "Stuck?", "theme": "not_achieved"},
            {"th": "ทำอะไรต่อ", "en": "Next?", "theme": "next_steps"},
        ],
    )
    question_set_choose(session=session, question_set=custom)
    writer = ParticipantFactory(session=session)
    answers = {"p1": "ได้เพื่อนใหม่จากอำเภออื่น", "p2": BUDGET, "p3": NEXT, "sharing": "participants"}
    aar_save(participant=writer, data=answers, submit=True)
    assert AAR.objects.get(participant=writer).question_set == custom
    assert counts()["งบประมาณ"] == 1 and "เพื่อน" not in counts()
    assert counts(themes.NEXT_STEPS)["เดือน"] == 1
    kept = all_counts()
    rebuild_themes()
    assert all_counts() == kept
    # The theme's link: the answers counted as the part, in any set.
    army = ParticipantFactory(session=AssistSessionFactory(organiser=session.organiser))
    question_set_choose(session=army.session, question_set=QuestionSet.objects.get(slug="army"))
    aar_save(
        participant=army, data={"why_different": TRANSPORT, "sharing": "participants"}, submit=True
    )
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=session.organiser, role="coordinator")
    (url,) = theme_views.search_urls(
        ["ยังไม่ได้"], organisation=session.organiser, part=themes.NOT_ACHIEVED, period=(None, None)
    )
    client = Client()
    client.force_login(coordinator)
    found = {result["row"].text for result in client.get(url).context["page_obj"].object_list}
    assert found == {BUDGET, TRANSPORT}


def test_empty_text_has_no_words():
    assert theme_words("") == set()
    assert theme_words("  ๑๒๓ 45 !! ๆ ") == set()


# --- Counts follow every write ---------------------------------------------------------------


def test_a_draft_is_not_counted_and_its_submission_is(client, writer):
    write(client, writer, **{**FULL, "not_achieved": BUDGET})
    assert counts() == {}
    write(client, writer, "submit")  # the page as loaded, submitted: the text unchanged
    assert counts()["งบประมาณ"] == 1
    assert counts(themes.NEXT_STEPS)["เล่าเรื่อง"] == 1
    write(client, writer, "submit")  # saved again: counted once still
    assert counts()["งบประมาณ"] == 1


def test_an_edit_after_submitting_moves_the_counts_to_the_new_words(client, writer):
    write(client, writer, "submit", **{**FULL, "not_achieved": BUDGET})
    write(client, writer, "submit", not_achieved=TRANSPORT)
    assert "งบประมาณ" not in counts()
    assert counts()["ชาวบ้าน"] == 1
    assert counts()["คุย"] == 1  # in both: still one AAR


def test_each_aar_counts_once(session):
    for _ in range(3):
        submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    submit(ParticipantFactory(session=session), not_achieved=TRANSPORT)
    assert counts()["งบประมาณ"] == 3
    assert counts()["คุย"] == 4


def test_restoring_an_earlier_version_brings_its_words_back(client, facilitator, writer):
    aar = write(client, writer, "submit", **{**FULL, "not_achieved": BUDGET})
    first = aar.versions.get()
    write(client, writer, "submit", not_achieved=TRANSPORT)
    url = reverse("history:restore", args=[writer.session_id, writer.pk, first.pk])
    assert facilitator.post(url).status_code == 302
    assert counts()["งบประมาณ"] == 1
    assert "ชาวบ้าน" not in counts()


def test_a_check_back_or_an_adopted_recommendation_counts_nothing_twice(
    client, facilitator, session
):
    host_person = ParticipantFactory(
        session=session, role=Participant.Role.HOST, organisation=session.host
    )
    # Saved as a draft first, then submitted: its newest versions say draft, submitted.
    write(
        client,
        host_person,
        **{**FULL, "not_achieved": BUDGET, "commitments-0-text": "ตั้งกองทุน"},
    )
    aar = write(client, host_person, "submit")
    before = all_counts()
    assert before
    commitment = aar.commitments.get()
    prefix = f"c{commitment.pk}"
    response = post_form(
        client,
        reverse("aar:checkback", args=[host_person.token]),
        f"{prefix}-outcome",
        **{f"{prefix}-status": "partly", f"{prefix}-outcome": "ได้สมาชิกสิบครัวเรือน"},
    )
    assert response.status_code == 302
    recommendation = recommendation_add(session=session, text="ทำป้ายบอกทาง")
    response = post_form(
        facilitator,
        reverse("followup:recommendation_response", args=[session.pk, recommendation.pk]),
        "reason",
        response=Recommendation.Response.ADOPT,
        reason="รับไปทำ",
        owner=str(host_person.pk),
        make_commitment="on",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert aar.commitments.count() == 2
    assert all_counts() == before
    assert all_counts() == _rebuilt()


def test_a_late_aar_shows_on_a_page_already_computed(coordinator, session):
    submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    query = {"organisation": session.organiser_id, "year": "2025"}
    assert "ชาวบ้าน" not in coordinator.get(URL, query).content.decode()
    late = ParticipantFactory(session=session)
    aar_save(participant=late, data={**FULL, "not_achieved": TRANSPORT}, submit=True)
    page = coordinator.get(URL, query).content.decode()
    assert "ชาวบ้าน" in page


def test_erasing_a_person_takes_their_words_out(coordinator, writer):
    submit(writer, not_achieved=BUDGET)
    url = reverse("followup:participant_erase", args=[writer.session_id, writer.pk])
    assert coordinator.post(url).status_code == 302
    assert counts() == {} and counts(themes.NEXT_STEPS) == {}


def test_erasure_at_the_end_of_retention_takes_the_words_out(settings, org):
    settings.RETENTION_YEARS = 5
    old = AssistSessionFactory(organiser=org, date=datetime.date(2015, 6, 1))
    submit(ParticipantFactory(session=old), not_achieved=BUDGET)
    assert counts()["งบประมาณ"] == 1
    call_command("send_aar_reminders", stdout=io.StringIO())
    assert counts() == {}


def test_deleting_an_aar_takes_its_words_out(session):
    gone = submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    submit(ParticipantFactory(session=session), not_achieved=TRANSPORT)
    aar_delete(aar=gone)
    assert "งบประมาณ" not in counts()
    assert counts()["ชาวบ้าน"] == 1
    assert all_counts() == _rebuilt()


def test_the_admins_aar_delete_takes_its_words_out(client, writer):
    aar = submit(writer, not_achieved=BUDGET)
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    assert (
        client.post(reverse("admin:aar_aar_delete", args=[aar.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert counts() == {}


def test_erasing_a_draft_changes_nothing(coordinator, writer, session):
    submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    aar_save(participant=writer, data={"not_achieved": BUDGET}, submit=False)
    participant_erase(participant=writer, erased_by=None)
    assert counts()["งบประมาณ"] == 1


def test_the_army_questions_are_counted_and_a_custom_set_is_not(org):
    army_session = AssistSessionFactory(organiser=org, date=MARCH)
    question_set_choose(session=army_session, question_set=QuestionSet.objects.get(slug="army"))
    person = ParticipantFactory(session=army_session)
    aar_save(
        participant=person,
        data={"why_different": BUDGET, "sustain_improve": NEXT, "supposed": "ก", "happened": "ข"},
        submit=True,
    )
    assert counts()["งบประมาณ"] == 1
    assert counts(themes.NEXT_STEPS)["เล่าเรื่อง"] == 1

    custom = QuestionSet.objects.create(
        slug="own-set",
        organisation=org,
        prompts=[{"th": "อะไรติดขัด", "en": "What got stuck"}, {"th": "ทำอะไรต่อ", "en": "Next"}],
    )
    custom_session = AssistSessionFactory(organiser=org, date=MARCH)
    question_set_choose(session=custom_session, question_set=custom)
    aar_save(
        participant=ParticipantFactory(session=custom_session),
        data={"p1": TRANSPORT, "p2": NEXT},
        submit=True,
    )
    assert "ชาวบ้าน" not in counts()
    assert counts(themes.NEXT_STEPS)["เล่าเรื่อง"] == 1


def test_counts_are_by_the_organising_organisation_and_the_sessions_month(org, other_org):
    submit(
        ParticipantFactory(session=AssistSessionFactory(organiser=org, date=MARCH)),
        not_achieved=BUDGET,
    )
    april = AssistSessionFactory(organiser=org, date=datetime.date(2025, 4, 30))
    submit(ParticipantFactory(session=april), not_achieved=BUDGET)
    theirs = AssistSessionFactory(organiser=other_org, date=MARCH)
    submit(ParticipantFactory(session=theirs), not_achieved=BUDGET)
    rows = ThemeCount.objects.filter(word="งบประมาณ", part=themes.NOT_ACHIEVED)
    assert sorted(rows.values_list("organisation_id", "month", "count")) == sorted(
        [
            (org.pk, datetime.date(2025, 3, 1), 1),
            (org.pk, datetime.date(2025, 4, 1), 1),
            (other_org.pk, datetime.date(2025, 3, 1), 1),
        ]
    )


def test_a_session_that_moves_takes_its_words_along(org, other_org, session):
    submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    # As sessions_app would send it, before saving (the receiver reads the old values).
    themes.on_session_moving(
        None, session_id=session.pk, organiser_id=other_org.pk, date=datetime.date(2025, 7, 2)
    )
    session.organiser, session.date = other_org, datetime.date(2025, 7, 2)
    session.save()
    assert counts(organisation=org) == {}
    assert counts(organisation=other_org)["งบประมาณ"] == 1
    assert all_counts() == _rebuilt()

    themes.on_session_deleting(None, session_id=session.pk)
    assert counts() == {}
    session.delete()
    assert all_counts() == _rebuilt()


def test_editing_a_sessions_date_moves_its_words_to_the_new_month(facilitator, org, session):
    """Through the session's edit page: sessions_app sends session_moving."""
    submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    data = session_form_data(org, session.host, date="2/7/2568", aar_deadline="")
    response = facilitator.post(reverse("sessions_app:session_edit", args=[session.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    months = set(ThemeCount.objects.filter(count__gt=0).values_list("month", flat=True))
    assert months == {datetime.date(2025, 7, 1)}
    assert all_counts() == _rebuilt()


def test_the_admins_session_delete_takes_its_aars_words_out(client, session):
    """Through the admin, which may delete a session with AARs: session_deleting."""
    submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    assert counts()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    url = reverse("admin:sessions_app_assistsession_delete", args=[session.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert counts() == {}
    assert all_counts() == _rebuilt()


def test_a_count_never_goes_below_zero(org):
    month = datetime.date(2025, 3, 1)
    counts_changed(organisation_id=org.pk, month=month, delta=Counter({("not_achieved", "คำ"): 1}))
    counts_changed(organisation_id=org.pk, month=month, delta=Counter({("not_achieved", "คำ"): -3}))
    assert ThemeCount.objects.get(word="คำ").count == 0
    assert top_themes(org, None, None, "not_achieved") == []


def _rebuilt() -> Counter:
    rebuild_themes()
    return all_counts()


def test_rebuild_makes_exactly_the_counts_the_writes_made(
    client, coordinator, session, writer, other_org
):
    write(client, writer, **{**FULL, "not_achieved": BUDGET})
    write(client, writer, "submit")
    write(client, writer, "submit", next_steps="อบรมทีมเรื่องการเงิน")
    draft = ParticipantFactory(session=session)
    write(client, draft, **{**FULL, "not_achieved": TRANSPORT})
    erased = ParticipantFactory(session=session)
    submit(erased, not_achieved="ห้องประชุมเสียงก้อง")
    coordinator.post(reverse("followup:participant_erase", args=[session.pk, erased.pk]))
    elsewhere = AssistSessionFactory(organiser=other_org, date=datetime.date(2024, 12, 31))
    for text in (BUDGET, TRANSPORT, "งบประมาณหมดกลางปี"):
        submit(ParticipantFactory(session=elsewhere), not_achieved=text)
    AARFactory(participant__session=session, draft=True)
    incremental = all_counts()
    assert len(incremental) > 15
    assert _rebuilt() == incremental
    index.rebuild()  # the search's rebuild counts them again too
    assert all_counts() == incremental


# --- top_themes ---------------------------------------------------------------------------------


def test_top_themes_are_most_used_first_then_by_word_within_whole_months(org, other_org):
    march = AssistSessionFactory(organiser=org, date=datetime.date(2025, 3, 31))
    for text in (BUDGET, BUDGET, TRANSPORT):
        submit(ParticipantFactory(session=march), not_achieved=text)
    may = AssistSessionFactory(organiser=org, date=datetime.date(2025, 5, 1))
    submit(ParticipantFactory(session=may), not_achieved=TRANSPORT)
    theirs = AssistSessionFactory(organiser=other_org, date=datetime.date(2025, 3, 5))
    for _ in range(5):
        submit(ParticipantFactory(session=theirs), not_achieved="น้ำท่วมหนัก")

    found = top_themes(org, datetime.date(2025, 3, 15), datetime.date(2025, 5, 1), "not_achieved")
    assert found[0] == ("คุย", 4)  # every answer says it
    assert dict(found)["งบประมาณ"] == 2 and dict(found)["ชาวบ้าน"] == 2
    assert [count for _word, count in found] == sorted((c for _w, c in found), reverse=True)
    ties = [word for word, count in found if count == 2]
    assert ties == sorted(ties)
    assert "น้ำท่วม" not in dict(found)  # another organisation's
    # March only: the session of 31 March counts for a period that starts on the 15th.
    assert (
        dict(
            top_themes(org, datetime.date(2025, 3, 15), datetime.date(2025, 3, 20), "not_achieved")
        )["งบประมาณ"]
        == 2
    )
    assert (
        top_themes(org, datetime.date(2025, 4, 1), datetime.date(2025, 4, 30), "not_achieved") == []
    )
    assert len(top_themes(org, None, None, "not_achieved", limit=3)) == 3


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def written(session):
    """Two AARs of the organisation's session in March 2025, one a draft."""
    submit(ParticipantFactory(session=session), not_achieved=BUDGET, next_steps=NEXT)
    aar_save(
        participant=ParticipantFactory(session=session),
        data={"not_achieved": TRANSPORT},
        submit=False,
    )
    return session


def page(client, **query):
    return client.get(URL, {"year": "2025", **query})


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_post_is_refused(coordinator):
    assert coordinator.post(URL).status_code == 405


@pytest.mark.parametrize("persona", ["coordinator", "facilitator", "member"])
def test_members_of_the_organisation_see_its_themes(request, persona, written, org):
    client = request.getfixturevalue(persona)
    response = page(client, organisation=org.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "งบประมาณ" in html and "เล่าเรื่อง" in html
    assert "ชาวบ้าน" not in html  # a draft's


def test_an_outsider_choosing_the_organisation_gets_an_error_and_none_of_its_words(
    outsider, written, org
):
    response = page(outsider, organisation=org.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"].errors["organisation"]
    assert "งบประมาณ" not in html and "เล่าเรื่อง" not in html
    assert response.context["lists"] == []


def test_an_outsider_sees_only_their_own_organisation_offered(outsider, written, org, other_org):
    response = outsider.get(URL)
    form = response.context["form"]
    assert form.fields["organisation"].choices == [(other_org.pk, str(other_org))]
    assert "งบประมาณ" not in response.content.decode()


def test_the_first_visit_shows_the_first_organisation_this_year(coordinator, org):
    this_year = AssistSessionFactory(organiser=org, date=timezone.localdate())
    submit(ParticipantFactory(session=this_year), not_achieved=BUDGET)
    response = coordinator.get(URL)
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["organisation"] == org
    assert "งบประมาณ" in response.content.decode()


def test_someone_in_no_organisation_is_told_so(client):
    client.force_login(UserFactory(username="loner"))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["member"] is False
    assert not response.context["form"].errors
    assert response.context["title"]


def test_each_theme_links_to_its_search_which_finds_the_answers(coordinator, written, org):
    response = page(coordinator, organisation=org.pk)
    (not_achieved, next_steps) = response.context["lists"]
    budget = next(theme for theme in not_achieved["themes"] if theme["word"] == "งบประมาณ")
    assert budget["count"] == 1
    assert budget["url"] in response.content.decode().replace("&amp;", "&")
    results = coordinator.get(budget["url"])
    assert results.status_code == 200
    assert results.context["form"].is_valid(), results.context["form"].errors
    data = results.context["form"].cleaned_data
    assert data["organisation"] == org and data["part"] == "theme:not_achieved"
    assert (data["date_from"], data["date_to"]) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    assert results.context["page_obj"].count == 1


def test_phrases_when_turned_on_are_counted_and_their_link_finds_them_first(
    monkeypatch, coordinator, org, session
):
    monkeypatch.setattr(themes, "PHRASES", True)
    submit(ParticipantFactory(session=session), not_achieved="ขาดงบประมาณกิจกรรม")
    submit(ParticipantFactory(session=session), not_achieved="กิจกรรมเลื่อน งบประมาณมาช้า")
    assert counts()["งบประมาณ กิจกรรม"] == 1
    assert all_counts() == _rebuilt()
    (not_achieved, _next) = page(coordinator, organisation=org.pk).context["lists"]
    phrase = next(theme for theme in not_achieved["themes"] if theme["word"] == "งบประมาณ กิจกรรม")
    results = coordinator.get(phrase["url"]).context["page_obj"]
    # Both answers hold both words; the one with the phrase as written comes first.
    assert results.count == 2
    assert results.object_list[0]["row"].text == "ขาดงบประมาณกิจกรรม"


def test_one_part_can_be_chosen(coordinator, written, org):
    response = page(coordinator, organisation=org.pk, part="next_steps")
    assert [item["part"] for item in response.context["lists"]] == ["next_steps"]
    assert "งบประมาณ" not in response.content.decode()


def test_dates_count_their_months_whole_and_say_so(coordinator, written, org):
    response = coordinator.get(
        URL, {"organisation": org.pk, "date_from": "20/3/2568", "date_to": "25/3/2568"}
    )
    assert response.context["period"] == (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    html = response.content.decode()
    assert "งบประมาณ" in html
    assert "2568" in html  # the period shown in the Buddhist era
    response = coordinator.get(URL, {"organisation": org.pk, "date_from": "1/4/2568"})
    assert response.context["lists"][0]["themes"] == []
    assert 'class="list-group-item' not in response.content.decode()  # the empty state


def test_the_years_are_buddhist_era_in_thai_and_christian_in_english(coordinator, written, org):
    this_year = timezone.localdate().year
    html = coordinator.get(URL).content.decode()
    assert f'<option value="{this_year}" selected>{this_year + 543}</option>' in html
    assert "ประเด็นที่พบบ่อย" in html or "Themes" in html
    coordinator.cookies["peerassist_language"] = "en"
    html = coordinator.get(URL).content.decode()
    assert f'<option value="{this_year}" selected>{this_year}</option>' in html
    assert "<h1" in html and "Themes" in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "31/2/2568"}, "date_from"),
        ({"date_from": "hello"}, "date_from"),
        ({"date_from": "1/5/2568", "date_to": "1/3/2568"}, "date_to"),
        ({"year": "1999"}, "year"),
        ({"year": "abc"}, "year"),
        ({"part": "goal"}, "part"),
        ({"organisation": "abc"}, "organisation"),
        ({"organisation": "999999"}, "organisation"),
    ],
)
def test_bad_input_is_an_error_beside_its_field_and_stays_typed(
    coordinator, written, org, query, field
):
    response = coordinator.get(URL, {"organisation": org.pk, **query})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert response.context["lists"] == []
    html = response.content.decode()
    assert "งบประมาณ" not in html
    typed = query[field]
    if field in ("date_from", "date_to"):
        assert f'value="{typed}"' in html
    assert re.search(r'class="[^"]*is-invalid', html)
    # The reason is under the field, and the field says so to a screen reader.
    reason = f'<div class="invalid-feedback d-block" id="id_{field}_error">'
    assert reason in html
    widget = html[html.index(f'name="{field}"') : html.index(reason)]
    assert 'aria-invalid="true"' in widget and f"id_{field}_error" in widget


def test_the_page_makes_the_same_queries_with_5_aars_or_50(
    coordinator, org, session, django_assert_num_queries
):
    for n in range(5):
        submit(ParticipantFactory(session=session), not_achieved=f"{BUDGET} เรื่องที่{n}")
    query = {"organisation": org.pk, "year": "2025"}
    # Session and user; the organisation chosen (validation); the organisations offered
    # (rendering); the two parts' themes.
    with django_assert_num_queries(5):
        first = coordinator.get(URL, query)
    for n in range(45):
        submit(ParticipantFactory(session=session), not_achieved=f"{TRANSPORT} ข้อ{n}")
    with django_assert_num_queries(5):
        second = coordinator.get(URL, query)
    assert second.context["lists"][0]["themes"][0]["count"] == 50
    assert first.context["lists"][0]["themes"] != second.context["lists"][0]["themes"]


def test_a_member_of_two_organisations_chooses_between_them(
    coordinator_user, coordinator, org, session
):
    second = OrganisationFactory(name="ก่อนอื่น")
    MembershipFactory(user=coordinator_user, organisation=second)
    theirs = AssistSessionFactory(organiser=second, date=MARCH)
    submit(ParticipantFactory(session=theirs), not_achieved=TRANSPORT)
    submit(ParticipantFactory(session=session), not_achieved=BUDGET)
    assert "ชาวบ้าน" in page(coordinator, organisation=second.pk).content.decode()
    html = page(coordinator, organisation=org.pk).content.decode()
    assert "งบประมาณ" in html and "ชาวบ้าน" not in html


def test_the_page_shows_the_30_most_used_words_of_each_part(coordinator, org, session):
    words = themes.thai_stop_words()
    places = (
        "กองทุน ชุมชน ตำบล หมู่บ้าน โรงเรียน วัด ตลาด สวน ทุ่ง นา ไร่ ป่า ถนน สะพาน คลอง บ่อ "
        "ฝาย อ่าง ลำธาร ภูเขา ทะเล ชายหาด เกาะ เมือง อำเภอ จังหวัด ภาค ประเทศ โลก ดาว แม่น้ำ บึง ตะวัน"
    )
    vocabulary = [word for word in places.split() if word not in words]
    assert len(vocabulary) > 30
    submit(ParticipantFactory(session=session), not_achieved=" ".join(vocabulary))
    submit(ParticipantFactory(session=session), not_achieved=vocabulary[-1])
    (not_achieved, _next) = page(coordinator, organisation=org.pk).context["lists"]
    shown = [theme["word"] for theme in not_achieved["themes"]]
    assert len(shown) == 30
    assert shown[0] == vocabulary[-1]  # used by two AARs
