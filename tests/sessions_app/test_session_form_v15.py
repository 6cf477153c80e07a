"""The session form of issue 15: essentials first and the rest in sections that open by
themselves on an error, specific messages, dates typed with Buddhist-era years, and
adding an organisation as a step of its own that comes back with everything typed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app.models import AssistSession, Organisation
from sessions_app.views import DRAFTS, MAX_DRAFTS
from tests.factories import MembershipFactory
from tests.helpers import session_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("session_form_day")]

CREATE = reverse("sessions_app:session_create")
CREATE_ORG = reverse("sessions_app:session_create_organisation")


def _data(org, host_org, **overrides):
    """Dates typed the Thai way, no place."""
    thai = {"purpose": "สร้างวัฒนธรรมการแลกเปลี่ยนเรียนรู้", "date": "22/11/2569", "place": ""}
    return session_form_data(org, host_org, **{**thai, **overrides})


def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _open_sections(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'<details class="form-section[^"]*" id="section-(\w+)" open>', html))


def _errors(response, field):
    with translation.override("en"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- essentials first, the rest in sections -------------------------------------------


def test_essentials_come_before_the_sections(facilitator):
    html = facilitator.get(CREATE).content.decode()
    first_section = html.index('<details class="form-section')
    positions = [
        html.index(f'id="{id_}"') for id_ in ("id_title", "id_host", "id_date", "id_purpose")
    ]
    assert positions == sorted(positions)
    assert max(positions) < first_section
    assert html.index('name="peers"') < first_section
    # Everything else sits in a section.
    for name in ("context", "start_time", "place", "summary", "source_url", "aar_deadline"):
        assert html.index(f'id="id_{name}"') > first_section, name


def test_sections_start_closed_and_say_what_they_hold(facilitator, settings):
    response = _english(facilitator, settings).get(CREATE)
    assert _open_sections(response) == set()
    html = response.content.decode()
    assert "<summary" in html
    assert "Summary, advice or agreed direction" not in html  # labels, not invented text
    with translation.override("en"):
        sections = {s.key: s.contents for s in response.context["form"].sections}
        assert "Facilitator" in str(sections["more"])
        assert "AAR deadline" in str(sections["aars"])


@pytest.mark.parametrize(
    ("field", "value", "section"),
    [
        ("duration_minutes", "0", "more"),
        ("start_time", "half past nine", "more"),
        ("source_url", "not a link", "after"),
        ("aar_deadline", "20/11/2569", "aars"),  # before the session
    ],
)
def test_a_section_with_an_error_opens_by_itself(facilitator, org, host_org, field, value, section):
    response = facilitator.post(CREATE, _data(org, host_org, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert _open_sections(response) == {section}
    assert not AssistSession.objects.exists()


def test_editing_a_held_session_opens_the_summary(facilitator, assist_session):
    assist_session.status = AssistSession.Status.HELD
    assist_session.save()
    response = facilitator.get(reverse("sessions_app:session_edit", args=[assist_session.pk]))
    assert _open_sections(response) == {"after"}


def test_organiser_is_an_essential_only_for_members_of_several(
    facilitator, facilitator_user, other_org
):
    html = facilitator.get(CREATE).content.decode()
    assert html.index('id="id_organiser"') > html.index('<details class="form-section')
    MembershipFactory(user=facilitator_user, organisation=other_org)
    html = facilitator.get(CREATE).content.decode()
    assert html.index('id="id_organiser"') < html.index('<details class="form-section')


def test_no_nested_form_and_add_organisation_is_a_plain_button(facilitator):
    html = facilitator.get(CREATE).content.decode()
    start = html.index('<form method="post" action="/sessions/new/"')
    assert "<form" not in html[start + 1 : html.index("</form>", start)]
    assert "new_org-" not in html
    assert re.search(
        r'<button type="submit" name="add_organisation" value="1" formnovalidate', html
    )


# --- specific messages ------------------------------------------------------------------


def test_an_empty_form_says_what_to_enter_in_english(facilitator, settings, org):
    response = _english(facilitator, settings).post(CREATE, {"organiser": org.pk})
    expected = {
        "title": "Enter the session's title.",
        "host": "Choose the host organisation. Not in the list? Add it.",
        "date": "Enter the date of the session.",
        "purpose": "Enter what the host wants to learn.",
        "duration_minutes": "Enter how long the session lasts, in minutes.",
        "status": "Choose the session's status.",
    }
    for field, message in expected.items():
        assert _errors(response, field) == [message]
    assert "This field is required" not in response.content.decode()


def test_an_empty_form_says_what_to_enter_in_thai(facilitator, org):
    html = facilitator.post(CREATE, {"organiser": org.pk}).content.decode()
    for message in (
        "กรุณาใส่ชื่อวง",
        "กรุณาเลือกองค์กรเจ้าภาพ",
        "กรุณาใส่วันที่จัดวง",
        "กรุณาใส่สิ่งที่เจ้าภาพอยากเรียนรู้",
    ):
        assert message in html
    assert "ฟิลด์นี้จำเป็น" not in html
    assert "กรุณาใส่ข้อมูลในช่องนี้" not in html  # every field has its own words


def test_a_user_without_organisation_is_told_to_choose_one(client, host_org, org):
    from tests.conftest import _client_for
    from tests.factories import UserFactory

    lonely = _client_for(UserFactory(username="lonely"))
    lonely.cookies["peerassist_language"] = "en"
    response = lonely.post(CREATE, _data(org, host_org))
    assert _errors(response, "organiser") == ["Choose one of your own organisations."]


# --- dates with Buddhist-era years --------------------------------------------------------


def test_date_is_shown_in_the_buddhist_era_in_thai_with_a_hint(facilitator):
    html = facilitator.get(CREATE).content.decode()
    field = re.search(r'<input[^>]*name="date"[^>]*>', html)[0]
    assert 'value="24/11/2569"' in field
    assert 'type="text"' in field
    assert 'inputmode="numeric"' in field
    assert 'aria-describedby="id_date_helptext"' in field
    assert 'type="date"' not in html
    assert "วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569" in html


def test_date_is_shown_in_the_christian_era_in_english(facilitator, settings):
    html = _english(facilitator, settings).get(CREATE).content.decode()
    assert 'value="24/11/2026"' in html
    assert "Day/month/year, e.g. 24/11/2026." in html


def test_an_edited_session_shows_its_dates_in_the_buddhist_era(facilitator, assist_session):
    assist_session.date = datetime.date(2026, 12, 2)
    assist_session.aar_deadline = datetime.date(2026, 12, 9)
    assist_session.save()
    html = facilitator.get(
        reverse("sessions_app:session_edit", args=[assist_session.pk])
    ).content.decode()
    assert 'value="2/12/2569"' in html
    assert 'value="9/12/2569"' in html


@pytest.mark.parametrize("typed", ["22/11/2569", "2026-11-22", "22/11/2026", "22.11.2569"])
def test_a_thai_user_may_type_either_era(facilitator, org, host_org, typed):
    response = facilitator.post(CREATE, _data(org, host_org, date=typed, aar_deadline="1/12/2569"))
    assert response.status_code == 302
    session = AssistSession.objects.get()
    assert session.date == datetime.date(2026, 11, 22)
    assert session.aar_deadline == datetime.date(2026, 12, 1)


def test_543_added_twice_is_refused_naming_the_year_meant(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, date="22/11/3112"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ปี 3112 ไกลเกินไป" in html
    assert "กรุณาพิมพ์ 2569" in html
    assert 'value="22/11/3112"' in html  # what was typed stays
    assert not AssistSession.objects.exists()


def test_impossible_date_is_refused_beside_the_field_and_in_the_summary(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, date="31/2/2569"))
    html = response.content.decode()
    assert 'id="error_1_id_date"' in html
    assert '<a class="alert-link" href="#id_date">' in html
    assert "ไม่มีวันที่ 31/2/2569 ในปฏิทิน" in html


# --- adding an organisation: its own step, back with everything ---------------------------


def _to_step(client, url, data):
    step = client.post(url, {**data, "add_organisation": "1"})
    assert step.status_code == 302
    return step.url


def test_the_step_keeps_everything_typed_and_chooses_the_new_host(facilitator, org):
    typed = _data(
        org,
        None,
        title="ยังพิมพ์ไม่เสร็จ",
        date="2/12/2569",
        summary="บรรทัดแรก\nบรรทัดที่สอง",
        walkin_open=None,  # unticked
        status="planned",
    )
    step_url = _to_step(facilitator, CREATE, typed)
    assert step_url.startswith(CREATE_ORG + "?draft=")
    page = facilitator.get(step_url)
    assert page.status_code == 200
    assert "sessions_app/organisation_form.html" in [t.name for t in page.templates]
    assert page.context["org_form"].initial["use_as"] == "host"
    assert not Organisation.objects.filter(name="กรมอนามัย").exists()  # a GET adds nothing

    added = facilitator.post(step_url, {"new_org-name": "กรมอนามัย", "new_org-use_as": "host"})
    assert added.status_code == 302
    assert added.url.startswith(CREATE + "?draft=")
    new = Organisation.objects.get(name="กรมอนามัย")
    back = facilitator.get(added.url)
    form = back.context["form"]
    assert not form.is_bound
    assert str(form["host"].value()) == str(new.pk)
    assert form["title"].value() == "ยังพิมพ์ไม่เสร็จ"
    assert form["summary"].value() == "บรรทัดแรก\nบรรทัดที่สอง"
    assert form["walkin_open"].value() is False
    html = back.content.decode()
    assert 'value="2/12/2569"' in html  # the date as typed
    assert f'<option value="{new.pk}" selected>' in html
    assert not AssistSession.objects.exists()

    # Saving with the draft saves the session and forgets the draft.
    draft = back.context["draft"]
    assert draft in facilitator.session[DRAFTS]
    saved = facilitator.post(
        CREATE, _data(org, new, date="2/12/2569", status="planned", draft=draft)
    )
    assert saved.status_code == 302
    assert AssistSession.objects.get().host == new
    assert draft not in facilitator.session.get(DRAFTS, {})


def test_going_back_without_adding_keeps_what_was_typed(facilitator, org, host_org):
    step_url = _to_step(facilitator, CREATE, _data(org, host_org, title="ที่พิมพ์ไว้"))
    page = facilitator.get(step_url)
    back = facilitator.get(page.context["back_url"])
    assert back.context["form"]["title"].value() == "ที่พิมพ์ไว้"
    assert f'href="{page.context["back_url"]}"'.replace("&", "&amp;") in page.content.decode()


def test_a_second_organisation_uses_the_same_draft(facilitator, org, host_org):
    first = _to_step(facilitator, CREATE, _data(org, None))
    added = facilitator.post(first, {"new_org-name": "กรมอนามัย", "new_org-use_as": "host"})
    draft = facilitator.get(added.url).context["draft"]
    second = _to_step(facilitator, CREATE, {**_data(org, None), "draft": draft})
    assert second.endswith(f"draft={draft}")
    page = facilitator.get(second)
    assert page.context["org_form"].initial["use_as"] == "host"  # the host was not typed again


def test_a_refused_organisation_adds_nothing_and_the_draft_stays(facilitator, org, host_org):
    step_url = _to_step(facilitator, CREATE, _data(org, host_org, title="ที่พิมพ์ไว้"))
    before = Organisation.objects.count()
    response = facilitator.post(step_url, {"new_org-name": "สสส.", "new_org-use_as": "peer"})
    assert response.status_code == 200
    assert response.context["org_form"].errors["name"]
    assert Organisation.objects.count() == before
    back = facilitator.get(response.context["back_url"])
    assert back.context["form"]["title"].value() == "ที่พิมพ์ไว้"


def test_an_unknown_or_foreign_draft_gives_a_fresh_form(facilitator, org, assist_session):
    assert facilitator.get(CREATE, {"draft": "nope"}).context["form"]["title"].value() == ""
    step_url = _to_step(facilitator, CREATE, _data(org, None, title="วงใหม่"))
    draft = step_url.rsplit("=", 1)[1]
    edit = reverse("sessions_app:session_edit", args=[assist_session.pk])
    response = facilitator.get(edit, {"draft": draft})
    assert response.context["form"]["title"].value() == assist_session.title
    assert response.context["draft"] == ""


def test_drafts_are_few(facilitator, org, host_org):
    for _ in range(MAX_DRAFTS + 3):
        _to_step(facilitator, CREATE, _data(org, host_org))
    assert len(facilitator.session[DRAFTS]) == MAX_DRAFTS


def test_an_organisation_added_without_a_draft_is_still_chosen(facilitator):
    added = facilitator.post(CREATE_ORG, {"new_org-name": "กรมอนามัย", "new_org-use_as": "peer"})
    assert added.status_code == 302
    new = Organisation.objects.get(name="กรมอนามัย")
    form = facilitator.get(added.url).context["form"]
    assert [str(p) for p in form["peers"].value()] == [str(new.pk)]


def test_a_form_from_before_the_step_still_adds_its_organisation(facilitator, org, host_org):
    # The nested form's fields, posted to the session form by a page opened before.
    data = {
        **_data(org, host_org, title="ที่พิมพ์ไว้"),
        "add_organisation": "1",
        "new_org-name": "กรมอนามัย",
        "new_org-use_as": "peer",
    }
    response = facilitator.post(CREATE, data, follow=True)
    new = Organisation.objects.get(name="กรมอนามัย")
    form = response.context["form"]
    assert form["title"].value() == "ที่พิมพ์ไว้"
    assert str(new.pk) in [str(p) for p in form["peers"].value()]
    assert not AssistSession.objects.exists()


# --- the step's persona matrix ----------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_the_step(client, assist_session):
    edit_step = reverse("sessions_app:session_edit_organisation", args=[assist_session.pk])
    for url in (CREATE_ORG, edit_step):
        for response in (client.get(url), client.post(url, {"new_org-name": "x"})):
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
    assert not Organisation.objects.filter(name="x").exists()


def test_outsider_gets_404_and_member_403_on_the_edit_step(outsider, member, assist_session):
    url = reverse("sessions_app:session_edit_organisation", args=[assist_session.pk])
    payload = {"new_org-name": "กรมอนามัย", "new_org-use_as": "peer"}
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, payload).status_code == 404
    assert member.get(url).status_code == 403
    assert member.post(url, payload).status_code == 403
    assert not Organisation.objects.filter(name="กรมอนามัย").exists()


def test_editor_adds_an_organisation_while_editing(facilitator, assist_session, org):
    edit = reverse("sessions_app:session_edit", args=[assist_session.pk])
    data = _data(org, assist_session.host, title="แก้แล้ว", date="22/11/2569")
    step_url = _to_step(facilitator, edit, data)
    assert step_url.startswith(
        reverse("sessions_app:session_edit_organisation", args=[assist_session.pk])
    )
    page = facilitator.get(step_url)
    assert page.context["org_form"].initial["use_as"] == "peer"  # a host is chosen
    added = facilitator.post(step_url, {"new_org-name": "กรมอนามัย", "new_org-use_as": "peer"})
    assert added.url.startswith(edit + "?draft=")
    assert facilitator.get(added.url).context["form"]["title"].value() == "แก้แล้ว"
    assist_session.refresh_from_db()
    assert assist_session.title != "แก้แล้ว"


def test_the_step_is_get_and_post_only(facilitator):
    assert facilitator.put(CREATE_ORG).status_code == 405
