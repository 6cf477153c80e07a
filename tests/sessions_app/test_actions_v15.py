"""Issue 15: actions say what they will do, and then what they did. "Invite all" leaves
out people who have written, reminders say who was reminded and when the next may go,
and "Remove" is folded away on the roster."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from aar.followup import REMINDER_GAP, reminder_outlook
from aar.followup_views import roster_with_status
from peerassist.dates import format_thai_date
from tests.factories import AARFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2026, 12, 9, 9, tzinfo=BANGKOK)


def _links(session):
    return reverse("sessions_app:participant_links", args=[session.pk])


def _invite_all(session):
    return reverse("sessions_app:participants_invite_all", args=[session.pk])


def _followup(session):
    return reverse("followup:session", args=[session.pk])


def _remind_all(session):
    return reverse("followup:remind_all", args=[session.pk])


def _thai(value) -> str:
    with translation.override("th"):
        return format_thai_date(value, with_time=True)


# --- Invite all -------------------------------------------------------------------------


@pytest.fixture
def roster(assist_session):
    """Not yet invited: one to email, one drafting, one submitted, one without email;
    and one invited already."""
    people = {
        "waiting": ParticipantFactory(session=assist_session, email="waiting@example.org"),
        "drafting": ParticipantFactory(session=assist_session, email="drafting@example.org"),
        "done": ParticipantFactory(session=assist_session, email="done@example.org"),
        "no_email": ParticipantFactory(session=assist_session, email=""),
        "invited": ParticipantFactory(session=assist_session, email="invited@example.org"),
    }
    AARFactory(participant=people["drafting"], draft=True)
    AARFactory(participant=people["done"])
    people["invited"].mark_invited()
    return people


def test_links_page_says_how_many_invite_all_leaves_out_and_why(facilitator, roster):
    response = facilitator.get(_links(roster["waiting"].session))
    assert (response.context["to_invite"], response.context["written"]) == (1, 2)
    assert response.context["no_email"] == 1
    html = response.content.decode()
    form = html[html.index(_invite_all(roster["waiting"].session)) :]
    form = form[: form.index("</form>")]
    assert 'aria-describedby="invite-all-note"' in form
    note = re.search(r'id="invite-all-note">(.*?)</ul>', form, re.S).group(1)
    assert "2" in note and "เขียน AAR แล้ว" in note
    assert "1" in note and "ไม่มีอีเมล" in note


def test_invite_all_skips_those_who_have_written_and_says_so(facilitator, roster):
    session = roster["waiting"].session
    response = facilitator.post(_invite_all(session), follow=True)
    assert [m.to for m in mail.outbox] == [["waiting@example.org"]]
    texts = {m.level_tag: str(m) for m in response.context["messages"]}
    assert "1" in texts["success"]
    assert "2" in texts["info"] and "เขียน AAR แล้ว" in texts["info"]
    assert "1" in texts["warning"]  # the one without an email address
    for name in ("drafting", "done"):
        roster[name].refresh_from_db()
        assert roster[name].invited_at is None


def test_nobody_waiting_means_no_button(facilitator, assist_session):
    AARFactory(participant=ParticipantFactory(session=assist_session))
    html = facilitator.get(_links(assist_session)).content.decode()
    form = html[html.index(_invite_all(assist_session)) :]
    form = form[: form.index("</form>")]
    assert "<button" not in form  # the form stays, for its note
    assert "invite-all-note" in form
    response = facilitator.post(_invite_all(assist_session), follow=True)
    assert mail.outbox == []
    assert [m.level_tag for m in response.context["messages"]] == ["info", "info"]


# --- Reminders ----------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def missing(assist_session):
    assist_session.date = datetime.date(2026, 12, 3)
    assist_session.aar_deadline = datetime.date(2026, 12, 10)
    assist_session.save()
    AARFactory(participant=ParticipantFactory(session=assist_session, full_name="ส่งแล้ว"))
    return [
        ParticipantFactory(session=assist_session, full_name="กานดา"),
        ParticipantFactory(session=assist_session, full_name="ขวัญใจ"),
        ParticipantFactory(session=assist_session, full_name="ไม่มีอีเมล", email=""),
    ]


def test_the_button_says_how_many_will_be_emailed(frozen, coordinator, missing):
    session = missing[0].session
    response = coordinator.get(_followup(session))
    html = response.content.decode()
    assert [p.full_name for p in response.context["reminders"].sendable] == ["กานดา", "ขวัญใจ"]
    button = re.search(
        rf'action="{_remind_all(session)}".*?<button[^>]*>([^<]*)</button>', html, re.S
    )
    assert button and "2" in button.group(1)
    assert "ไม่มีที่อยู่อีเมล" in html  # the one left out, and why


def test_after_reminding_the_page_says_who_and_when_and_offers_no_button(
    frozen, coordinator, missing
):
    session = missing[0].session
    response = coordinator.post(_remind_all(session), follow=True)
    assert len(mail.outbox) == 2
    next_time = _thai(NOW + REMINDER_GAP)
    done = [str(m) for m in response.context["messages"] if m.level_tag == "success"]
    assert len(done) == 1 and "กานดา" in done[0] and "ขวัญใจ" in done[0]
    assert next_time in done[0]

    html = response.content.decode()
    assert f'action="{_remind_all(session)}"' not in html
    section = html[html.index('id="reminders-heading"') : html.index("</section>")]
    assert "กานดา" in section and "ขวัญใจ" in section
    assert _thai(NOW) in section and next_time in section
    # Their own rows say when, instead of a button that could do nothing.
    for person in missing[:2]:
        assert reverse("followup:remind_one", args=[session.pk, person.pk]) not in html

    # A second press (an old tab) sends nothing more.
    coordinator.post(_remind_all(session))
    assert len(mail.outbox) == 2


def test_the_button_comes_back_when_the_next_reminder_is_allowed(frozen, coordinator, missing):
    session = missing[0].session
    coordinator.post(_remind_all(session))
    frozen.shift(REMINDER_GAP - datetime.timedelta(minutes=1))
    assert (
        f'action="{_remind_all(session)}"'
        not in coordinator.get(_followup(session)).content.decode()
    )
    frozen.shift(datetime.timedelta(minutes=1))
    html = coordinator.get(_followup(session)).content.decode()
    assert f'action="{_remind_all(session)}"' in html


def test_reminder_outlook_applies_the_rules_without_queries(
    frozen, missing, django_assert_num_queries
):
    session = missing[0].session
    recent = missing[1]
    recent.last_reminded_at = NOW - datetime.timedelta(hours=23)
    recent.save()
    people = roster_with_status(session)
    for person in people:
        person.session = session
    with django_assert_num_queries(0):
        outlook = reminder_outlook(people, now=NOW)
    assert [p.full_name for p in outlook.sendable] == ["กานดา"]
    assert [(p.full_name, when) for p, when in outlook.recent] == [
        ("ขวัญใจ", NOW + datetime.timedelta(hours=1))
    ]
    assert outlook.next_allowed == NOW + datetime.timedelta(hours=1)
    assert outlook.skipped == {"submitted": 1, "no_email": 1}
    assert [count for _reason, count in outlook.other_reasons] == [1]


def test_closed_session_offers_no_reminder_button(frozen, coordinator, missing):
    session = missing[0].session
    session.status = session.Status.CLOSED
    session.save()
    response = coordinator.get(_followup(session))
    assert f'action="{_remind_all(session)}"' not in response.content.decode()
    assert response.context["reminders"].skipped == {"closed": 3, "submitted": 1}


# --- Remove, folded away -----------------------------------------------------------------


def test_remove_is_in_a_quiet_menu_on_each_row(facilitator, assist_session):
    people = ParticipantFactory.create_batch(3, session=assist_session)
    html = facilitator.get(assist_session.get_absolute_url()).content.decode()
    roster = html[html.index('aria-labelledby="roster-heading"') :]
    assert "btn-outline-danger" not in roster and "btn-danger" not in roster
    for person in people:
        remove = reverse("sessions_app:participant_remove", args=[assist_session.pk, person.pk])
        row = roster[roster.index(f'id="participant-{person.pk}"') :]
        row = row[: row.index("</li>")]
        menu = row[row.index("<details") : row.index("</details>")]
        assert f'href="{remove}"' in menu
        assert "<summary" in menu and person.full_name in menu


def test_remove_still_asks_first(facilitator, assist_session):
    person = ParticipantFactory(session=assist_session)
    remove = reverse("sessions_app:participant_remove", args=[assist_session.pk, person.pk])
    response = facilitator.get(remove)
    assert response.status_code == 200 and 'method="post"' in response.content.decode()
    person.refresh_from_db()
    assert person.removed_at is None
