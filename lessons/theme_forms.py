"""The themes page's form (GET): an organisation of the user's, a period and a part.

Only the user's own organisations are offered, and any other is an error beside the
field: their members read every AAR of the sessions those organisations organise
(``lessons.reading``), so the words counted from them reveal nothing they could not
open. The period is a year (Buddhist era in Thai) or dates from and to; the counts are
kept by month, so the months of the two dates count whole, and the page says so.
"""

import calendar
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons import themes
from lessons.reading import organisations_of
from peerassist.dates import BUDDHIST_ERA_OFFSET
from peerassist.forms import (
    DateRangeMixin,
    HandDrawnFieldsMixin,
    ThaiDateField,
    buddhist_era_active,
)
from peerassist.widgets import FastSelect

# How many years back the year box offers.
YEARS = 10
PART_CHOICES = [
    ("", _("Both")),
    (themes.NOT_ACHIEVED, _("What was not achieved, and why")),
    (themes.NEXT_STEPS, _("What I will do next")),
]


def organisations_for(user) -> list:
    """The organisations whose themes ``user`` may see: their own."""
    return list(organisations_of(user).order_by("name"))


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class ThemeForm(HandDrawnFieldsMixin, DateRangeMixin, forms.Form):
    """Drawn by hand (``includes/filter_fields.html``): crispy's field templates took 9 of
    the page's 23 ms."""

    # The user's organisations, read once by the view (``organisations``): offered and
    # checked against the same list, one query for both.
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        error_messages={
            "invalid_choice": _("Choose one of your own organisations."),
            "required": _("Choose one of your own organisations."),
        },
        widget=FastSelect,
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        help_text=_("Or give the dates below instead."),
        widget=FastSelect,
    )
    date_from = ThaiDateField(label=_("Sessions from"), required=False)
    date_to = ThaiDateField(label=_("Sessions to"), required=False)
    part = forms.ChoiceField(
        label=_("Part"), choices=PART_CHOICES, required=False, widget=FastSelect
    )

    def __init__(self, *args, organisations: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.fields["organisation"].choices = [
            (organisation.pk, str(organisation)) for organisation in organisations
        ]
        this_year = timezone.localdate().year
        offset = BUDDHIST_ERA_OFFSET if buddhist_era_active() else 0
        self.fields["year"].choices = [("", _("Choose a year"))] + [
            (year, str(year + offset)) for year in range(this_year, this_year - YEARS, -1)
        ]
        self.style_fields()

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start or end:
            # The counts are by month: the months of the two dates count whole.
            cleaned["period"] = (
                themes.month_of(start) if start else None,
                month_end(end) if end else None,
            )
        else:
            year = cleaned.get("year") or timezone.localdate().year
            cleaned["year"] = year
            cleaned["period"] = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        return cleaned

    @property
    def parts(self) -> list[tuple[str, str]]:
        """(part, its heading) of the lists to show."""
        chosen = self.cleaned_data.get("part")
        return [(key, label) for key, label in PART_CHOICES[1:] if not chosen or key == chosen]
