"""The session form and the small form that adds an organisation from inside it."""

import datetime
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerassist.dates import BUDDHIST_ERA_OFFSET
from sessions_app.models import AAR_DEADLINE_DAYS, AssistSession, Organisation

# SQLite keys are 64-bit integers; a bigger number makes its driver raise OverflowError.
MAX_KEY = 2**63 - 1


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class PeersField(forms.ModelMultipleChoiceField):
    """Refuses a number too big for any key as an invalid choice. Django checks the
    ticked values with ``pk__in``, which on SQLite lets the OverflowError through: a 500
    for a tampered form."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                too_big = abs(int(pk)) > MAX_KEY
            except (TypeError, ValueError):
                continue  # Django's own check names the value
            if too_big:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


# A Thai user may type this year's Buddhist-era year (2569 for 2026) into a date field;
# saved as it is, the session would land in 2569 CE and show as 3112 BE.
BUDDHIST_ERA_YEARS = range(2400, 3000)  # 1857–2457 CE: never a session's year


def _not_buddhist_era(date: datetime.date | None) -> datetime.date | None:
    if date and date.year in BUDDHIST_ERA_YEARS:
        raise forms.ValidationError(
            _(
                "The year %(year)s looks like a Buddhist-era year. Enter the year as "
                "%(ce_year)s (that is, %(year)s − 543)."
            ),
            code="buddhist_era",
            params={"year": date.year, "ce_year": date.year - BUDDHIST_ERA_OFFSET},
        )
    return date


class SessionForm(forms.ModelForm):
    """Every field a facilitator records; ownership and walk-in code are set elsewhere."""

    facilitator = FacilitatorChoiceField(
        label=capfirst(AssistSession._meta.get_field("facilitator").verbose_name),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("A member of the organising organisation."),
    )
    duration_minutes = forms.IntegerField(
        label=capfirst(AssistSession._meta.get_field("duration_minutes").verbose_name),
        min_value=1,
        max_value=24 * 60,
        initial=60,
        error_messages={
            "min_value": _("The duration must be at least one minute."),
            "max_value": _("A session lasts at most one day (1,440 minutes)."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    source_url = forms.URLField(
        label=capfirst(AssistSession._meta.get_field("source_url").verbose_name),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A blog post or page about the session, if there is one."),
    )

    class Meta:
        model = AssistSession
        fields = [
            "organiser",
            "title",
            "host",
            "peers",
            "purpose",
            "context",
            "date",
            "start_time",
            "duration_minutes",
            "place",
            "facilitator",
            "summary",
            "advice",
            "source_url",
            "aar_deadline",
            "status",
            "walkin_open",
        ]
        field_classes = {"peers": PeersField}
        widgets = {
            "peers": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "context": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "advice": forms.Textarea(attrs={"rows": 4}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "aar_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "aar_deadline": _("Leave blank for seven days after the session."),
            "walkin_open": _("People not on the roster may join with the walk-in code."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        my_orgs = Organisation.objects.filter(memberships__user=user)
        self.fields["organiser"].queryset = my_orgs
        self.organisation_count = my_orgs.count()
        if self.organisation_count == 1:
            self.fields["organiser"].empty_label = None
        self.fields["aar_deadline"].required = False
        # Members of any of my organisations; clean() checks the one chosen as organiser.
        facilitators = Q(memberships__organisation__in=my_orgs)
        if self.instance.facilitator_id:
            facilitators |= Q(pk=self.instance.facilitator_id)
        self.fields["facilitator"].queryset = (
            get_user_model()
            .objects.filter(facilitators)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if not self.instance.pk:
            # form.initial (from the empty instance) wins over field.initial, so set it there.
            self.initial.update(facilitator=user.pk, date=timezone.localdate())
            if self.organisation_count == 1:
                self.initial["organiser"] = my_orgs.first().pk

    def clean_date(self):
        date = _not_buddhist_era(self.cleaned_data["date"])
        # The default AAR deadline is a week later, and the calendar ends at 9999-12-31.
        if date and date > datetime.date.max - datetime.timedelta(days=AAR_DEADLINE_DAYS):
            raise forms.ValidationError(_("The date is too far in the future."))
        return date

    def clean_aar_deadline(self):
        return _not_buddhist_era(self.cleaned_data["aar_deadline"])

    def clean(self):
        cleaned = super().clean()
        date: datetime.date | None = cleaned.get("date")
        deadline = cleaned.get("aar_deadline")
        status = cleaned.get("status")
        organiser = cleaned.get("organiser")
        facilitator = cleaned.get("facilitator")
        host = cleaned.get("host")
        peers = cleaned.get("peers")

        if date and deadline and deadline < date:
            self.add_error(
                "aar_deadline", _("The AAR deadline cannot be before the date of the session.")
            )
        if date and not deadline:
            cleaned["aar_deadline"] = AssistSession.default_deadline(date)
        if (
            date
            and date > timezone.localdate()
            and status
            in (
                AssistSession.Status.HELD,
                AssistSession.Status.CLOSED,
            )
        ):
            self.add_error(
                "status",
                _("A session in the future cannot be held or closed yet. Choose “Planned”."),
            )
        if (
            organiser
            and facilitator
            and facilitator.pk != self.instance.facilitator_id
            and not facilitator.memberships.filter(organisation=organiser).exists()
        ):
            self.add_error(
                "facilitator",
                _("The facilitator must be a member of the organising organisation."),
            )
        if host and peers and host in peers:
            self.add_error(
                "peers", _("The host organisation cannot also be a peer. Untick it here.")
            )
        return cleaned


def _match_key(text: str) -> str:
    """For finding duplicates: case, spacing and Thai SARA AM typed two ways do not matter."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


class OrganisationForm(forms.ModelForm):
    """Adds an organisation from inside the session form (prefix ``new_org``)."""

    class Use(models.TextChoices):
        HOST = "host", _("as the host organisation")
        PEER = "peer", _("as a peer organisation")

    use_as = forms.ChoiceField(
        label=_("Use it"),
        choices=Use.choices,
        initial=Use.HOST,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "name_en"]
        labels = {
            "name": _("Name in Thai"),
            "short_name": _("Short name"),
            "name_en": _("Name in English"),
        }

    def _refuse_duplicate(self, field: str) -> str:
        value = unicodedata.normalize("NFC", " ".join(self.cleaned_data[field].split()))
        # NFC can lengthen text (U+0958 becomes two characters): check the column again.
        MaxLengthValidator(Organisation._meta.get_field(field).max_length)(value)
        key = _match_key(value)
        if key:
            # Compared in Python: the database cannot normalise Thai. A few hundred rows.
            for existing in Organisation.objects.only("name", "name_en", "short_name"):
                names = (existing.name, existing.name_en, existing.short_name)
                if key in {_match_key(name) for name in names}:
                    raise forms.ValidationError(
                        _("“%(name)s” is already in the list. Choose it there instead."),
                        params={"name": existing},
                        code="duplicate",
                    )
        return value

    def clean_name(self):
        return self._refuse_duplicate("name")

    def clean_short_name(self):
        return self._refuse_duplicate("short_name")

    def clean_name_en(self):
        return self._refuse_duplicate("name_en")
