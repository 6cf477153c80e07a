"""Dates typed by people (peerassist.dates.parse_typed_date) and the field and widget
built on it (peerassist.forms.ThaiDateField): Buddhist-era years in Thai, a clear error
for a year in the wrong era."""

import datetime
import zoneinfo

import pytest
import time_machine
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from peerassist.dates import (
    BE_YEARS,
    CE_YEARS,
    TypedDateError,
    format_typed_date,
    parse_typed_date,
)
from peerassist.forms import ThaiDateField, ThaiDateInput

DEC_2 = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _frozen_today():
    moment = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
    with time_machine.travel(moment, tick=False):
        yield


# --- parse_typed_date -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2/12/2569",
        "02/12/2569",
        "2.12.2569",
        "2-12-2569",
        " 2 / 12 / 2569 ",
        "02122569",  # a phone keypad without a slash
        "2 ธ.ค. 2569",
        "2 ธันวาคม 2569",
        "๒/๑๒/๒๕๖๙",  # Thai digits
        "2569-12-02",
        "2026-12-02",  # ISO
        "2/12/2026",  # a Christian-era year is unambiguous: 2026 BE is 1483 CE
    ],
)
def test_thai_interface_reads_both_eras(text):
    assert parse_typed_date(text, buddhist_era=True) == DEC_2


@pytest.mark.parametrize("text", ["2/12/2026", "2026-12-02", "02122026"])
def test_english_interface_reads_christian_era(text):
    assert parse_typed_date(text, buddhist_era=False) == DEC_2


def _refused(text, *, buddhist_era=True) -> TypedDateError:
    with pytest.raises(TypedDateError) as caught:
        parse_typed_date(text, buddhist_era=buddhist_era)
    return caught.value


def test_english_interface_refuses_a_buddhist_era_year_with_the_year_to_type():
    error = _refused("2/12/2569", buddhist_era=False)
    assert error.code == "buddhist_era"
    assert error.params == {"year": 2569, "ce_year": 2026}


def test_543_added_twice_names_the_year_meant():
    # 2569 + 543: saved as it was, this is the "session in 3112" of issue 15.
    error = _refused("2/12/3112")
    assert error.code == "era_added_twice"
    assert error.params["be_year"] == 2569


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2/12/69", "short_year"),
        ("31/2/2569", "no_such_date"),
        ("0/12/2569", "no_such_date"),
        ("2/13/2569", "no_such_date"),
        ("2/12/2300", "between_eras"),  # after 2200 CE, before 2443 BE
        ("2/12/1899", "year_out_of_range"),
        ("9999-12-31", "year_out_of_range"),
        ("0001-01-01", "year_out_of_range"),
        ("2/12/256", "invalid"),
        ("", "invalid"),
        ("tomorrow", "invalid"),
        ("2 Foo 2569", "invalid"),
        ("１２/１２/２５６９", "invalid"),  # fullwidth digits: not read as digits
        ("2/12/2569\x00", "invalid"),
        ("ก" * 100_000, "invalid"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text, code):
    assert _refused(text).code == code


def test_the_eras_do_not_overlap():
    # What makes a lone year unambiguous.
    assert CE_YEARS.stop <= BE_YEARS.start
    assert BE_YEARS.start - CE_YEARS.start == 543


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_a_shown_date_reads_back_as_the_same_date(date):
    for buddhist_era in (True, False):
        shown = format_typed_date(date, buddhist_era=buddhist_era)
        assert parse_typed_date(shown, buddhist_era=buddhist_era) == date
    assert parse_typed_date(date.isoformat(), buddhist_era=True) == date


@given(st.text(max_size=60))
def test_any_text_is_a_date_or_a_reason_never_a_crash(text):
    for buddhist_era in (True, False):
        try:
            parse_typed_date(text, buddhist_era=buddhist_era)
        except TypedDateError as error:
            assert error.code


# --- ThaiDateField and ThaiDateInput --------------------------------------------------


class DateForm(forms.Form):
    date = ThaiDateField(help_text="Leave it blank for today.", required=False)


def _errors(data, language):
    with translation.override(language):
        form = DateForm({"date": data})
        assert not form.is_valid()
        return [str(error) for error in form.errors["date"]]


def test_field_reads_buddhist_era_in_thai_and_refuses_it_in_english():
    with translation.override("th"):
        form = DateForm({"date": "2/12/2569"})
        assert form.is_valid()
        assert form.cleaned_data["date"] == DEC_2
    assert _errors("2/12/2569", "en") == [
        "The year 2569 looks like a Buddhist-era year. Enter the year as 2026 "
        "(that is, 2569 − 543)."
    ]


def test_field_errors_name_the_likely_mix_up_in_both_languages():
    assert _errors("2/12/3112", "en") == ["Enter a year from 1900 to 2200, e.g. 2026."]
    (thai,) = _errors("2/12/3112", "th")
    assert "543" in thai and "2569" in thai and "พ.ศ." in thai
    (thai,) = _errors("2/12/2300", "th")
    assert "2443–2743" in thai and "1900–2200" in thai and "2569" in thai


def test_field_error_for_unreadable_text_shows_today_in_the_format_to_type():
    assert _errors("next week", "en") == ["Enter the date as day/month/year, e.g. 24/11/2026."]
    assert _errors("next week", "th") == ["กรุณาใส่วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569"]
    assert _errors("31/2/2569", "th") == ["ไม่มีวันที่ 31/2/2569 ในปฏิทิน กรุณาตรวจวันและเดือนอีกครั้ง"]


def test_hint_under_the_field_is_in_the_interface_language_with_the_fields_own_help():
    field = DateForm().fields["date"]
    with translation.override("th"):
        assert str(field.help_text).startswith("วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569")
    with translation.override("en"):
        assert str(field.help_text) == "Day/month/year, e.g. 24/11/2026. Leave it blank for today."


def test_widget_shows_a_date_in_the_interface_era_and_typing_as_typed():
    widget = ThaiDateInput()
    with translation.override("th"):
        html = widget.render("date", DEC_2)
        assert 'value="2/12/2569"' in html
        assert 'value="2/12/69"' in widget.render("date", "2/12/69")
    with translation.override("en"):
        assert 'value="2/12/2026"' in widget.render("date", DEC_2)
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="date"' not in html


def test_rendered_field_is_described_by_its_hint():
    with translation.override("th"):
        html = str(DateForm(initial={"date": DEC_2})["date"])
    assert 'aria-describedby="id_date_helptext"' in html
    assert 'value="2/12/2569"' in html
