"""The session form's check-back days: changed, turned off (empty), refused outside 1-730
with the error beside the field and the typed value kept."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app.models import AssistSession
from tests.helpers import session_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("session_form_day")]

CREATE = reverse("sessions_app:session_create")
HELD = datetime.date(2026, 11, 22)


def _edit_url(session):
    return reverse("sessions_app:session_edit", args=[session.pk])


def _errors(response, field):
    with translation.override("en"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def _field_block(html: str, name: str) -> str:
    """The field's own wrapper: from its label to the next field's wrapper."""
    start = html.index(f'for="id_{name}"')
    end = html.find('<div id="div_id_', start)
    return html[start : end if end != -1 else None]


def test_a_new_session_offers_30_and_90_days(facilitator):
    form = facilitator.get(CREATE).context["form"]
    assert form["checkback_first_days"].value() == 30
    assert form["checkback_second_days"].value() == 90


def test_the_facilitator_sets_both_days(facilitator, org, host_org):
    data = session_form_data(org, host_org, checkback_first_days="14", checkback_second_days="60")
    response = facilitator.post(CREATE, data)
    assert response.status_code == 302
    session = AssistSession.objects.get()
    assert (session.checkback_first_days, session.checkback_second_days) == (14, 60)
    assert session.checkback_first_on == HELD + datetime.timedelta(days=14)
    assert session.checkback_second_on == HELD + datetime.timedelta(days=60)


def test_empty_turns_a_check_back_off(facilitator, assist_session, org, host_org):
    data = session_form_data(
        org, host_org, date=assist_session.date.isoformat(), checkback_first_days="",
        checkback_second_days="120",
    )  # fmt: skip
    response = facilitator.post(_edit_url(assist_session), data)
    assert response.status_code == 302
    assist_session.refresh_from_db()
    assert assist_session.checkback_first_days is None
    assert assist_session.checkback_first_on is None
    assert assist_session.checkback_second_days == 120
    assert assist_session.checkback_second_on == assist_session.date + datetime.timedelta(days=120)


def test_a_post_without_the_fields_keeps_the_days(facilitator, assist_session, org, host_org):
    assist_session.checkback_first_days = 10
    assist_session.save()
    data = session_form_data(org, host_org, date=assist_session.date.isoformat())
    assert facilitator.post(_edit_url(assist_session), data).status_code == 302
    assist_session.refresh_from_db()
    assert (assist_session.checkback_first_days, assist_session.checkback_second_days) == (10, 90)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("checkback_first_days", "0"),
        ("checkback_first_days", "731"),
        ("checkback_second_days", "0"),
        ("checkback_second_days", "731"),
        ("checkback_second_days", "-5"),
    ],
)
def test_out_of_range_is_refused_beside_the_field_with_the_value_kept(
    facilitator, assist_session, org, host_org, field, typed
):
    before = (assist_session.checkback_first_days, assist_session.checkback_second_days)
    data = session_form_data(org, host_org, date=assist_session.date.isoformat(), **{field: typed})
    response = facilitator.post(_edit_url(assist_session), data)
    assert response.status_code == 200
    assert _errors(response, field) == ["Enter 1 to 730 days, or leave it empty for no check-back."]
    html = response.content.decode()
    block = _field_block(html, field)
    assert f'value="{typed}"' in block  # the typed value stays in its box
    assert 'class="invalid-feedback' in block  # the message sits beside the field
    # The section holding the fields opens by itself.
    assert re.search(r'<details class="form-section[^"]*" id="section-aars" open>', html)
    assist_session.refresh_from_db()
    assert (assist_session.checkback_first_days, assist_session.checkback_second_days) == before


def test_730_and_1_are_allowed(facilitator, assist_session, org, host_org):
    data = session_form_data(
        org, host_org, date=assist_session.date.isoformat(), checkback_first_days="1",
        checkback_second_days="730",
    )  # fmt: skip
    assert facilitator.post(_edit_url(assist_session), data).status_code == 302
    assist_session.refresh_from_db()
    assert (assist_session.checkback_first_days, assist_session.checkback_second_days) == (1, 730)


def test_not_a_number_is_refused(facilitator, assist_session, org, host_org):
    data = session_form_data(
        org, host_org, date=assist_session.date.isoformat(), checkback_first_days="สามสิบ"
    )
    response = facilitator.post(_edit_url(assist_session), data)
    assert response.status_code == 200
    assert _errors(response, "checkback_first_days") == [
        "Enter the number of days as a whole number, e.g. 30."
    ]


def test_the_second_must_come_after_the_first(facilitator, assist_session, org, host_org):
    data = session_form_data(
        org, host_org, date=assist_session.date.isoformat(), checkback_first_days="60",
        checkback_second_days="60",
    )  # fmt: skip
    response = facilitator.post(_edit_url(assist_session), data)
    assert response.status_code == 200
    assert _errors(response, "checkback_second_days") == [
        "The second check-back comes after the first: enter more days than for it."
    ]
    assert _errors(response, "checkback_first_days") == []
