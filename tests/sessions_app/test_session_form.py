"""Recording and editing a session, and adding an organisation from inside the form."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app.models import AssistSession, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import session_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("session_form_day")]

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
TODAY = datetime.date(2026, 11, 24)
CREATE = reverse("sessions_app:session_create")


def _data(org, host_org, **overrides):
    return session_form_data(org, host_org, **overrides)


def _edit_url(session):
    return reverse("sessions_app:session_edit", args=[session.pk])


def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- persona matrix -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, assist_session):
    for url in (CREATE, _edit_url(assist_session)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_outsider_gets_404_on_edit(outsider, assist_session):
    assert outsider.get(_edit_url(assist_session)).status_code == 404
    assert outsider.post(_edit_url(assist_session), {"title": "x"}).status_code == 404


def test_read_only_member_gets_403_on_edit(member, assist_session):
    assert member.get(_edit_url(assist_session)).status_code == 403
    before = assist_session.title
    assert member.post(_edit_url(assist_session), {"title": "changed"}).status_code == 403
    assist_session.refresh_from_db()
    assert assist_session.title == before


@pytest.mark.parametrize("persona", ["facilitator", "coordinator"])
def test_editors_get_the_edit_form(request, persona, assist_session):
    client = request.getfixturevalue(persona)
    response = client.get(_edit_url(assist_session))
    assert response.status_code == 200
    assert response.context["form"].instance == assist_session


def test_creator_who_does_not_facilitate_may_edit(org, assist_session):
    from tests.conftest import _client_for

    creator = UserFactory(username="creator")
    MembershipFactory(user=creator, organisation=org)
    assist_session.created_by = creator
    assist_session.facilitator = None
    assist_session.save()
    assert _client_for(creator).get(_edit_url(assist_session)).status_code == 200


@pytest.mark.parametrize("persona", ["member", "facilitator", "coordinator", "outsider"])
def test_every_member_of_an_organisation_may_open_the_create_form(request, persona):
    response = request.getfixturevalue(persona).get(CREATE)
    assert response.status_code == 200
    assert "sessions_app/session_form.html" in [t.name for t in response.templates]


def test_create_form_offers_only_my_organisations_and_defaults(
    facilitator, org, other_org, facilitator_user
):
    form = facilitator.get(CREATE).context["form"]
    assert list(form.fields["organiser"].queryset) == [org]
    assert form["organiser"].value() == org.pk
    assert form["facilitator"].value() == facilitator_user.pk
    assert form["date"].value() == TODAY


def test_user_without_organisation_sees_why_and_cannot_save(client, host_org, org):
    from tests.conftest import _client_for

    lonely = _client_for(UserFactory(username="lonely"))
    page = lonely.get(CREATE)
    assert page.context["form"].organisation_count == 0
    assert "alert-warning" in page.content.decode()
    response = lonely.post(CREATE, _data(org, host_org))
    assert response.status_code == 200
    assert "organiser" in response.context["form"].errors
    assert not AssistSession.objects.exists()


# --- create and edit ------------------------------------------------------------------


def test_create_saves_everything_and_sets_created_by(facilitator, facilitator_user, org, host_org):
    peer2 = OrganisationFactory()
    response = facilitator.post(
        CREATE,
        _data(
            org,
            host_org,
            peers=[org.pk, peer2.pk],
            facilitator=facilitator_user.pk,
            summary="สรุป",
            advice="คำแนะนำ",
            source_url="https://www.gotoknow.org/posts/1",
            context="บริบท",
        ),
    )
    session = AssistSession.objects.get()
    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    assert session.created_by == facilitator_user
    assert session.facilitator == facilitator_user
    assert session.organiser == org
    assert session.host == host_org
    assert set(session.peers.all()) == {org, peer2}
    assert session.date == datetime.date(2026, 11, 22)
    assert session.start_time == datetime.time(9, 30)
    assert session.status == AssistSession.Status.HELD
    assert session.source_url == "https://www.gotoknow.org/posts/1"
    assert session.walkin_open is True
    # A blank deadline is seven days after the session.
    assert session.aar_deadline == datetime.date(2026, 11, 29)
    follow = facilitator.get(response.url)
    assert "บันทึก" in follow.content.decode() or "recorded" in follow.content.decode()


def test_create_success_message_in_english(facilitator, settings, org, host_org):
    response = _english(facilitator, settings).post(CREATE, _data(org, host_org), follow=True)
    assert "The session was recorded." in response.content.decode()


def test_a_chosen_deadline_is_kept(facilitator, org, host_org):
    facilitator.post(CREATE, _data(org, host_org, aar_deadline="2026-12-15"))
    assert AssistSession.objects.get().aar_deadline == datetime.date(2026, 12, 15)


def test_edit_saves_changes(facilitator, assist_session, org):
    data = _data(
        org,
        assist_session.host,
        title="ชื่อใหม่",
        peers=[],
        status="closed",
        aar_deadline=str(assist_session.date + datetime.timedelta(days=3)),
        date=str(assist_session.date),
        walkin_open=None,
    )
    response = facilitator.post(_edit_url(assist_session), data)
    assert response.status_code == 302
    assist_session.refresh_from_db()
    assert assist_session.title == "ชื่อใหม่"
    assert assist_session.status == AssistSession.Status.CLOSED
    assert assist_session.walkin_open is False
    assert list(assist_session.peers.all()) == []


def test_edit_does_not_change_creator(coordinator, assist_session, facilitator_user, org):
    coordinator.post(
        _edit_url(assist_session), _data(org, assist_session.host, date=str(assist_session.date))
    )
    assist_session.refresh_from_db()
    assert assist_session.created_by == facilitator_user


# --- bad input ------------------------------------------------------------------------


def _errors(response, field):
    """The field's errors, read in English like the page was (they are lazy strings)."""
    assert response.status_code == 200
    with translation.override("en"):
        return [str(error) for error in response.context["form"].errors.get(field, [])]


def test_deadline_before_the_session_is_rejected_and_typing_stays(
    facilitator, settings, org, host_org
):
    response = _english(facilitator, settings).post(
        CREATE, _data(org, host_org, aar_deadline="2026-11-20", title="ที่พิมพ์ไว้")
    )
    assert _errors(response, "aar_deadline") == [
        "The AAR deadline cannot be before the date of the session."
    ]
    html = response.content.decode()
    assert 'value="ที่พิมพ์ไว้"' in html
    assert 'value="2026-11-20"' in html
    # Beside its field.
    assert 'id="error_1_id_aar_deadline"' in html
    assert not AssistSession.objects.exists()


@pytest.mark.parametrize("duration", ["0", "-5"])
def test_duration_of_zero_or_below_is_rejected(facilitator, settings, org, host_org, duration):
    response = _english(facilitator, settings).post(
        CREATE, _data(org, host_org, duration_minutes=duration)
    )
    assert _errors(response, "duration_minutes") == ["The duration must be at least one minute."]
    assert 'id="error_1_id_duration_minutes"' in response.content.decode()
    assert not AssistSession.objects.exists()


def test_held_status_with_a_future_date_is_rejected(facilitator, settings, org, host_org):
    response = _english(facilitator, settings).post(
        CREATE, _data(org, host_org, date="2026-11-25", status="held")
    )
    assert _errors(response, "status") == [
        "A session in the future cannot be held or closed yet. Choose “Planned”."
    ]
    assert not AssistSession.objects.exists()


def test_planned_status_with_a_future_date_is_fine(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, date="2026-12-01", status="planned"))
    assert response.status_code == 302
    assert AssistSession.objects.get().aar_deadline == datetime.date(2026, 12, 8)


def test_held_today_is_fine(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, date="2026-11-24", status="held"))
    assert response.status_code == 302


def test_errors_are_in_thai_by_default(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, title=""))
    # The form's own words for this field, not Django's "ฟิลด์นี้จำเป็น".
    html = response.content.decode()
    assert "กรุณาใส่ชื่อวง" in html
    assert "ฟิลด์นี้จำเป็น" not in html
    assert response.context["form"].errors["title"]
    assert '<html lang="th"' in html


def test_organisation_i_am_not_member_of_cannot_own_a_session(facilitator, other_org, host_org):
    response = facilitator.post(CREATE, _data(other_org, host_org))
    assert _errors(response, "organiser")
    assert not AssistSession.objects.exists()


def test_facilitator_must_be_member_of_the_organiser(facilitator, facilitator_user, org, host_org):
    # Someone from my second organisation may facilitate its sessions, not org's.
    second = OrganisationFactory()
    MembershipFactory(user=facilitator_user, organisation=second)
    someone = UserFactory(username="someone")
    MembershipFactory(user=someone, organisation=second)
    response = facilitator.post(CREATE, _data(org, host_org, facilitator=someone.pk))
    assert _errors(response, "facilitator")
    assert not AssistSession.objects.exists()
    assert (
        facilitator.post(CREATE, _data(second, host_org, facilitator=someone.pk)).status_code == 302
    )


def test_host_cannot_also_be_a_peer(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, peers=[host_org.pk, org.pk]))
    assert _errors(response, "peers")


def test_bad_source_link_is_rejected(facilitator, org, host_org):
    response = facilitator.post(CREATE, _data(org, host_org, source_url="not a link"))
    assert _errors(response, "source_url")


# --- adding an organisation: a step out of the form and back -------------------------


def _add_org(client, url, data, **org):
    """Press "Add an organisation" with ``data`` typed, then add ``org`` on its page.
    Returns the organisation page's response (a redirect back when it was added)."""
    step = client.post(url, {**data, "add_organisation": "1"})
    assert step.status_code == 302
    return client.post(step.url, {f"new_org-{k}": v for k, v in org.items()})


def _back(client, response):
    """The session form the organisation step returned to."""
    assert response.status_code == 302, getattr(response, "context", None)
    return client.get(response.url)


def test_new_organisation_becomes_the_host_when_none_is_chosen(facilitator, org):
    typed = _data(org, org, host="", title="ยังพิมพ์ไม่เสร็จ", purpose="", peers=[org.pk])
    response = _back(
        facilitator,
        _add_org(
            facilitator,
            CREATE,
            typed,
            name="สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ",
            short_name="สสส.",
            name_en="ThaiHealth",
            use_as="host",
        ),
    )
    assert response.status_code == 200
    new = Organisation.objects.get(short_name="สสส.")
    assert new.name_en == "ThaiHealth"
    form = response.context["form"]
    assert not form.is_bound  # no "required" errors for the half-filled form
    assert str(form["host"].value()) == str(new.pk)
    assert form["title"].value() == "ยังพิมพ์ไม่เสร็จ"
    assert [str(p) for p in form["peers"].value()] == [str(org.pk)]
    assert form["walkin_open"].value() is True
    html = response.content.decode()
    assert 'value="ยังพิมพ์ไม่เสร็จ"' in html
    assert f'<option value="{new.pk}" selected>' in html
    assert "invalid-feedback" not in html
    assert not AssistSession.objects.exists()


def test_the_next_new_organisation_is_offered_as_a_peer(facilitator, org, host_org):
    step = facilitator.post(CREATE, {**_data(org, host_org), "add_organisation": "1"})
    page = facilitator.get(step.url)
    assert page.context["org_form"].initial["use_as"] == "peer"


def test_new_organisation_can_be_added_as_a_peer(facilitator, org, host_org):
    response = _back(
        facilitator,
        _add_org(facilitator, CREATE, _data(org, host_org), name="กรมอนามัย", use_as="peer"),
    )
    new = Organisation.objects.get(name="กรมอนามัย")
    form = response.context["form"]
    assert sorted(str(p) for p in form["peers"].value()) == sorted([str(org.pk), str(new.pk)])
    assert str(form["host"].value()) == str(host_org.pk)
    # Then saving the session keeps both.
    data = _data(org, host_org, peers=[org.pk, new.pk])
    assert facilitator.post(CREATE, data).status_code == 302
    assert set(AssistSession.objects.get().peers.all()) == {org, new}


def test_adding_an_organisation_shows_a_message(facilitator, settings, org):
    response = _back(
        facilitator,
        _add_org(
            _english(facilitator, settings),
            CREATE,
            _data(org, org, host=""),
            name="กรมอนามัย",
            short_name="อนามัย",
            use_as="host",
        ),
    )
    assert "was added and chosen as the host organisation" in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ"},
        {"name": "ชื่อใหม่", "short_name": "สสส."},
        {"name": "ชื่อใหม่", "name_en": "thaihealth"},
        {"name": "  ThaiHealth "},
        # The same Thai name typed with SARA AM decomposed (NIKHAHIT + SARA AA).
        {"name": "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ".replace("\u0e33", "\u0e4d\u0e32")},
    ],
)
def test_duplicate_organisation_is_refused_clearly(facilitator, settings, org, host_org, fields):
    before = Organisation.objects.count()
    client = _english(facilitator, settings)
    response = _add_org(
        client, CREATE, _data(org, org, host="", title="ที่พิมพ์ไว้"), use_as="host", **fields
    )
    assert response.status_code == 200
    assert Organisation.objects.count() == before
    errors = response.context["org_form"].errors
    with translation.override("en"):
        assert any("is already in the list" in e for errs in errors.values() for e in errs)
    # Going back without adding: the typed title is still there.
    back = client.get(response.context["back_url"])
    assert back.context["form"]["title"].value() == "ที่พิมพ์ไว้"


def test_organisation_without_a_name_is_refused(facilitator, org):
    before = Organisation.objects.count()
    response = _add_org(facilitator, CREATE, _data(org, org, host=""), name="", use_as="host")
    assert "name" in response.context["org_form"].errors
    assert Organisation.objects.count() == before
    html = response.content.decode()
    assert 'id="error_1_id_new_org-name"' in html
    assert "กรุณาใส่ชื่อองค์กรภาษาไทย" in html


def test_organisation_can_be_added_while_editing(facilitator, assist_session, org):
    data = _data(org, assist_session.host, title="แก้แล้ว", date=str(assist_session.date))
    added = _add_org(facilitator, _edit_url(assist_session), data, name="กรมอนามัย", use_as="peer")
    assert added.url.startswith(_edit_url(assist_session))
    response = _back(facilitator, added)
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "แก้แล้ว"
    assist_session.refresh_from_db()
    assert assist_session.title != "แก้แล้ว"  # nothing saved until "Save"


def test_read_only_member_cannot_add_organisations_through_edit(member, assist_session, org):
    before = Organisation.objects.count()
    response = member.post(_edit_url(assist_session), {"add_organisation": "1"})
    assert response.status_code == 403
    step = reverse("sessions_app:session_edit_organisation", args=[assist_session.pk])
    assert (
        member.post(step, {"new_org-name": "กรมอนามัย", "new_org-use_as": "peer"}).status_code == 403
    )
    assert Organisation.objects.count() == before


def test_get_with_add_organisation_changes_nothing(facilitator):
    before = Organisation.objects.count()
    facilitator.get(
        CREATE, {"add_organisation": "1", "new_org-name": "x", "new_org-use_as": "host"}
    )
    facilitator.get(
        reverse("sessions_app:session_create_organisation"),
        {"new_org-name": "x", "new_org-use_as": "host"},
    )
    assert Organisation.objects.count() == before


def test_nothing_is_half_saved_when_saving_fails(facilitator, monkeypatch, org, host_org):
    from sessions_app.forms import SessionForm

    def broken(self):
        raise RuntimeError("peers could not be saved")

    monkeypatch.setattr(SessionForm, "_save_m2m", broken)
    with pytest.raises(RuntimeError):
        facilitator.post(CREATE, _data(org, host_org))
    assert not AssistSession.objects.exists()


def test_duration_over_a_day_is_rejected(facilitator, settings, org, host_org):
    response = _english(facilitator, settings).post(
        CREATE, _data(org, host_org, duration_minutes="1441")
    )
    assert _errors(response, "duration_minutes") == [
        "A session lasts at most one day (1,440 minutes)."
    ]


@pytest.mark.parametrize("field", ["date", "aar_deadline"])
def test_a_buddhist_era_year_is_refused_with_the_year_to_type(
    facilitator, org, host_org, field, settings
):
    # 22 Nov 2569 typed for 22 Nov 2026: saved as it was, the session would show 3112.
    facilitator.cookies["peerassist_language"] = "en"
    data = _data(org, host_org, **{field: "2569-11-22"})
    response = facilitator.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    html = response.content.decode()  # rendered in the request's language
    assert "The year 2569 looks like a Buddhist-era year. Enter the year as 2026" in html
    assert not AssistSession.objects.exists()
