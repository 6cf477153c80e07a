"""Form pieces every app may use: a date field that Thai readers can type, and the Thai
of Django's own form messages.

``ThaiDateField`` is a text box, not ``type=date``: a date picker shows mm/dd/yyyy and
Christian-era years whatever the page's language, and a Thai user who types this year
(2569) into one saves a session in 2569 CE, shown as 3112.
"""

import datetime

from django import forms
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from peerassist.dates import (
    BE_YEARS,
    BUDDHIST_ERA_OFFSET,
    CE_YEARS,
    TypedDateError,
    format_typed_date,
    parse_typed_date,
)


def buddhist_era_active() -> bool:
    """Dates are typed and shown in the Buddhist era in the Thai interface."""
    return (translation.get_language() or "").startswith("th")


def _example() -> str:
    return format_typed_date(timezone.localdate(), buddhist_era=buddhist_era_active())


def _date_hint(extra) -> str:
    hint = gettext("Day/month/year, e.g. %(example)s.") % {"example": _example()}
    return f"{hint} {extra}" if extra else hint


_lazy_date_hint = lazy(_date_hint, str)


class ThaiDateInput(forms.TextInput):
    """Shows a date as 2/12/2569 in Thai and 2/12/2026 in English, and what was typed
    as it was typed. A numeric keypad on phones; ``ThaiDateField`` reads 02122569 too,
    for keypads without a slash."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_typed_date(value, buddhist_era=buddhist_era_active())
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed as day/month/year or ISO; in Thai the year may be Buddhist era.

    A year is read by its range (``peerassist.dates.parse_typed_date``): 1900–2200 is
    Christian era, 2443–2743 Buddhist era (Thai interface only). Anything else is refused
    with a message that names the likely mix-up. The hint under the field shows today's
    date in the format to type; ``help_text`` is added after it.
    """

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year, e.g. %(example)s."),
        "short_year": _("Type the year in full, with four digits, e.g. %(example)s."),
        "no_such_date": _(
            "There is no %(day)s/%(month)s/%(year)s in the calendar. Check the day and the month."
        ),
        # The same words as before this field existed: the English interface still refuses
        # a Buddhist-era year, and says which year to type.
        "buddhist_era": _(
            "The year %(year)s looks like a Buddhist-era year. Enter the year as "
            "%(ce_year)s (that is, %(year)s − 543)."
        ),
        "era_added_twice": _(
            "The year %(year)s is too far ahead: 543 seems to have been added to a year "
            "that was already Buddhist era. Type %(be_year)s."
        ),
        "between_eras": _(
            "The year %(year)s is neither a Buddhist-era year (%(be_first)s–%(be_last)s) "
            "nor a Christian-era one (%(ce_first)s–%(ce_last)s). Check the year: this "
            "year is %(this_year)s."
        ),
        "year_out_of_range": _("Enter a year from %(first)s to %(last)s, e.g. %(this_year)s."),
    }

    def __init__(self, *, help_text="", **kwargs):
        kwargs.pop("input_formats", None)  # the formats are parse_typed_date's
        super().__init__(help_text=_lazy_date_hint(help_text), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        buddhist_era = buddhist_era_active()
        try:
            return parse_typed_date(str(value), buddhist_era=buddhist_era)
        except TypedDateError as error:
            raise forms.ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={**self._message_params(buddhist_era), **error.params},
            ) from None

    @staticmethod
    def _message_params(buddhist_era: bool) -> dict:
        this_year = timezone.localdate().year
        years = BE_YEARS if buddhist_era else CE_YEARS
        return {
            "example": _example(),
            "this_year": this_year + (BUDDHIST_ERA_OFFSET if buddhist_era else 0),
            "first": years.start,
            "last": years.stop - 1,
            "be_first": BE_YEARS.start,
            "be_last": BE_YEARS.stop - 1,
            "ce_first": CE_YEARS.start,
            "ce_last": CE_YEARS.stop - 1,
        }


# Django's own messages, translated in our catalogue: Django's Thai for them is missing
# ("This password is too common.") or reads like a machine's ("ฟิลด์นี้จำเป็น").
# Listed here only so that makemessages copies them into locale/th; LOCALE_PATHS puts our
# catalogue before Django's. The msgids must be Django's exactly, curly quotes included.
DJANGO_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("The submitted file is empty."),
    # django.contrib.auth: sign-in and passwords.
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Enter the same password as before, for verification."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)


class DateRangeMixin:
    """A form's ``date_from`` and ``date_to``: an end before the start is an error
    beside the end."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class HandDrawnFieldsMixin:
    """For a filter form whose fields a page draws by hand (``includes/filter_fields.html``),
    not with crispy, which took a third of the dashboard's render time: the widgets carry
    Bootstrap's classes, and a refused field is marked so, with its reason tied to it.
    Call ``style_fields()`` at the end of ``__init__``."""

    def style_fields(self) -> None:
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"
                # The reason first, then the field's own hint, if it has one.
                described = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{self[name].auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(described)
