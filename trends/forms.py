"""The trends' filters: a period (a year, or from one month to another), the
organisations and the role.

Public, for the other trends pages (a year in review, a person's history):

- ``read_year(text, *, buddhist_era)`` -> ``(year, note)``: a typed year in the Christian
  era, and a sentence saying how a Buddhist-era year was read (or "");
- ``read_month(text, *, buddhist_era)`` -> ``(month, note)``: a typed month (its first
  day): 3/2026, 03/2569, 2026-03 or มี.ค. 2569;
- ``PeriodForm``: ``year``, ``start`` and ``end``; once valid, ``period()`` gives the
  first and the last month and ``notes`` how the years typed were read;
- ``TrendFilterForm(data, user=...)``: the period, ``step`` (month or quarter), the
  ``organisations`` the user may see and the participants' ``role``.

Years: 2000 to next year in the Christian era. In the Thai interface a Buddhist-era
year (2543 onwards) is read as such and the page says so; in English it is refused with
the year to type. Nothing here raises anything but a form error.
"""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerassist.dates import BUDDHIST_ERA_OFFSET, THAI_MONTHS_LONG, THAI_MONTHS_SHORT
from peerassist.forms import HandDrawnFieldsMixin, buddhist_era_active
from peerassist.widgets import FastSelect, FastSelectMultiple
from sessions_app.models import Organisation, Participant
from trends.queries import (
    FIRST_YEAR,
    add_months,
    last_year,
    month_start,
    months_apart,
    visible_organisations,
)

# The longest period one page covers: 5 years of months.
MAX_MONTHS = 60
# Months shown when no period is chosen: the last twelve, to this month.
DEFAULT_MONTHS = 12

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NAMES = {
    name.replace(".", ""): number
    for number, names in enumerate(zip(THAI_MONTHS_SHORT, THAI_MONTHS_LONG, strict=True), 1)
    for name in names
}
_MONTH_YEAR = re.compile(r"([0-9]{1,2})\s*[-/. ]\s*([0-9]+)")  # 3/2026, 03-2569
_YEAR_MONTH = re.compile(r"([0-9]{4})\s*[-/.]\s*([0-9]{1,2})")  # 2026-03
_NAMED = re.compile(r"([^\s0-9]+)\s*([0-9]+)")  # มี.ค. 2569


def read_year(text, *, buddhist_era: bool) -> tuple[int, str]:
    """A typed year as a Christian-era year, and a note on how it was read.

    Raises ``forms.ValidationError`` with a message naming the likely mix-up."""
    text = str(text).strip().translate(_THAI_DIGITS)
    first, last = FIRST_YEAR, last_year()
    this_year = timezone.localdate().year
    shown = this_year + BUDDHIST_ERA_OFFSET if buddhist_era else this_year
    if not text.isdigit() or len(text) > 6:
        raise forms.ValidationError(
            _("Type the year in four digits, e.g. %(year)s."),
            code="invalid_year",
            params={"year": shown},
        )
    year = int(text)
    if first <= year <= last:
        if buddhist_era:
            # The Thai interface shows Buddhist-era years: say which one this is.
            note = gettext("%(typed)s was read as a Christian-era year: %(year)s BE.") % {
                "typed": year,
                "year": year + BUDDHIST_ERA_OFFSET,
            }
            return year, note
        return year, ""
    be_year = year - BUDDHIST_ERA_OFFSET
    if first <= be_year <= last:
        if buddhist_era:
            note = gettext("%(typed)s was read as a Buddhist-era year: %(year)s CE.") % {
                "typed": year,
                "year": be_year,
            }
            return be_year, note
        raise forms.ValidationError(
            _(
                "The year %(typed)s looks like a Buddhist-era year. Enter it as %(year)s "
                "(that is, %(typed)s − 543)."
            ),
            code="buddhist_era",
            params={"typed": year, "year": be_year},
        )
    if first <= be_year - BUDDHIST_ERA_OFFSET <= last:
        raise forms.ValidationError(
            _(
                "The year %(typed)s is too far ahead: 543 seems to have been added to a year "
                "that was already Buddhist era. Type %(year)s."
            ),
            code="era_added_twice",
            params={"typed": year, "year": be_year},
        )
    if first <= year + BUDDHIST_ERA_OFFSET <= last:
        # 1483 for 2026: 543 taken off a year that was already Christian era.
        raise forms.ValidationError(
            _(
                "The year %(typed)s is too early: 543 seems to have been taken off a year "
                "that was already Christian era. Type %(year)s."
            ),
            code="era_taken_twice",
            params={"typed": year, "year": year + BUDDHIST_ERA_OFFSET},
        )
    if buddhist_era:
        raise forms.ValidationError(
            _(
                "There are no figures for %(typed)s. Choose a year from %(be_first)s to "
                "%(be_last)s (Buddhist era) or %(first)s to %(last)s (Christian era)."
            ),
            code="year_out_of_range",
            params={
                "typed": year,
                "first": first,
                "last": last,
                "be_first": first + BUDDHIST_ERA_OFFSET,
                "be_last": last + BUDDHIST_ERA_OFFSET,
            },
        )
    raise forms.ValidationError(
        _("There are no figures for %(typed)s. Choose a year from %(first)s to %(last)s."),
        code="year_out_of_range",
        params={"typed": year, "first": first, "last": last},
    )


def read_month(text, *, buddhist_era: bool) -> tuple[datetime.date, str]:
    """A typed month (its first day) and a note on how its year was read."""
    text = " ".join(str(text).split()).translate(_THAI_DIGITS)
    example = format_month_input(month_start(timezone.localdate()), buddhist_era=buddhist_era)
    invalid = forms.ValidationError(
        _("Type the month as month/year, e.g. %(example)s."),
        code="invalid_month",
        params={"example": example},
    )
    if len(text) > 30:
        raise invalid
    if match := _YEAR_MONTH.fullmatch(text):
        year_text, month_text = match.groups()
        month = int(month_text)
    elif match := _MONTH_YEAR.fullmatch(text):
        month_text, year_text = match.groups()
        month = int(month_text)
    elif (match := _NAMED.fullmatch(text)) and match[1].replace(".", "") in _MONTH_NAMES:
        month, year_text = _MONTH_NAMES[match[1].replace(".", "")], match[2]
    else:
        raise invalid
    if not 1 <= month <= 12:
        raise forms.ValidationError(
            _("There is no month %(month)s: type a month from 1 to 12, e.g. %(example)s."),
            code="no_such_month",
            params={"month": month, "example": example},
        )
    year, note = read_year(year_text, buddhist_era=buddhist_era)
    return datetime.date(year, month, 1), note


def format_month_input(month: datetime.date, *, buddhist_era: bool) -> str:
    """How a month field shows its value: 3/2569 in Thai, 3/2026 in English."""
    year = month.year + BUDDHIST_ERA_OFFSET if buddhist_era else month.year
    return f"{month.month}/{year}"


class MonthInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_month_input(value, buddhist_era=buddhist_era_active())
        return super().format_value(value)


class PeriodForm(forms.Form):
    """A period of whole months: a ``year``, or ``start`` and ``end`` months (either may
    be left out). After ``is_valid()``: ``period()`` and ``notes``."""

    year = forms.CharField(
        label=_("Year"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("A whole year; in Thai a Buddhist-era year (2569) is fine."),
    )
    start = forms.CharField(
        label=_("From month"),
        required=False,
        max_length=40,
        widget=MonthInput,
        help_text=_("Month/year, e.g. 1/2026."),
    )
    end = forms.CharField(
        label=_("To month"),
        required=False,
        max_length=40,
        widget=MonthInput,
        help_text=_("Month/year; empty means this month."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []
        self._period: tuple[datetime.date, datetime.date] | None = None

    def clean_year(self):
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        year, note = read_year(text, buddhist_era=buddhist_era_active())
        if note:
            self.notes.append(note)
        return year

    def _clean_month(self, name):
        text = self.cleaned_data[name].strip()
        if not text:
            return None
        month, note = read_month(text, buddhist_era=buddhist_era_active())
        if note:
            self.notes.append(note)
        return month

    def clean_start(self):
        return self._clean_month("start")

    def clean_end(self):
        return self._clean_month("end")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        year, start, end = cleaned.get("year"), cleaned.get("start"), cleaned.get("end")
        if year and (start or end):
            self.add_error(
                "year", _("Choose either a year or a period from one month to another, not both.")
            )
            return cleaned
        this_month = month_start(timezone.localdate())
        if year:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
        else:
            last = end or max(this_month, start or this_month)
            first = start or add_months(last, -(DEFAULT_MONTHS - 1))
        if first > last:
            self.add_error("end", _("The end month is before the start month."))
            return cleaned
        if months_apart(first, last) > MAX_MONTHS:
            self.add_error(
                "end",
                _("A period may cover at most %(years)s years (%(months)s months).")
                % {"years": MAX_MONTHS // 12, "months": MAX_MONTHS},
            )
            return cleaned
        self._period = (first, last)
        return cleaned

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The first and the last month (first days) chosen; while the form is invalid,
        the default: the last twelve months."""
        if self.is_valid() and self._period:
            return self._period
        last = month_start(timezone.localdate())
        return add_months(last, -(DEFAULT_MONTHS - 1)), last


class TrendFilterForm(HandDrawnFieldsMixin, PeriodForm):
    """The trends' filters. They live in the URL, so a filtered view is a bookmark."""

    STEP_MONTH, STEP_QUARTER = "month", "quarter"

    # Unchosen: by month up to this many months, then by quarter (sixty monthly bars are
    # unreadable on a phone, and the page draws a third of the columns).
    AUTO_QUARTER_AFTER = 24

    step = forms.ChoiceField(
        label=_("By"),
        choices=[
            ("", _("Month, or quarter over two years")),
            (STEP_MONTH, _("Month")),
            (STEP_QUARTER, _("Quarter")),
        ],
        required=False,
        widget=FastSelect,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("None chosen means all you may see."),
        widget=FastSelectMultiple,
    )
    role = forms.ChoiceField(
        label=_("Participants' role"),
        choices=[("", _("Any role")), *Participant.Role.choices],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.visible = visible_organisations(user)
        self.fields["organisations"].queryset = self.visible
        self.fields["organisations"].label_from_instance = lambda o: o.label
        self.fields["organisations"].widget.attrs["size"] = 6
        self.style_fields()

    @property
    def step_kind(self) -> str:
        chosen = self.cleaned_data.get("step") if self.is_valid() else ""
        if chosen:
            return chosen
        first, last = self.period()
        if months_apart(first, last) > self.AUTO_QUARTER_AFTER:
            return self.STEP_QUARTER
        return self.STEP_MONTH

    @property
    def role_chosen(self) -> str:
        return (self.cleaned_data.get("role") or "") if self.is_valid() else ""

    def chosen_organisations(self):
        """The organisations chosen, or every one the user may see (also while the
        form is invalid): always within ``visible_organisations``."""
        if self.is_valid() and self.cleaned_data.get("organisations"):
            return self.cleaned_data["organisations"]
        return self.visible
