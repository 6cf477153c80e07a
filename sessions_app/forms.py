"""The session form and the small form that adds an organisation on its own page."""

import datetime
import unicodedata
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerassist.forms import ThaiDateField
from sessions_app.models import (
    AAR_DEADLINE_DAYS,
    CHECKBACK_MAX_DAYS,
    AssistSession,
    Organisation,
)

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


def checkback_days_field(name: str) -> forms.IntegerField:
    """A check-back's days after the session: 1 to CHECKBACK_MAX_DAYS, empty for none."""
    model_field = AssistSession._meta.get_field(name)
    out_of_range = _("Enter 1 to 730 days, or leave it empty for no check-back.")
    return forms.IntegerField(
        label=capfirst(model_field.verbose_name),
        required=False,
        min_value=1,
        max_value=CHECKBACK_MAX_DAYS,
        help_text=model_field.help_text,
        error_messages={
            "invalid": _("Enter the number of days as a whole number, e.g. 30."),
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


@dataclass
class FormSection:
    """A part of the session form that can be opened (``<details>``)."""

    key: str
    title: str
    fields: list  # bound fields
    open: bool

    @property
    def contents(self) -> str:
        """What the closed section holds, for its summary line: its fields' labels."""
        return ", ".join(str(field.label) for field in self.fields)


class SessionForm(forms.ModelForm):
    """Every field a facilitator records; ownership and walk-in code are set elsewhere.

    The page shows ``ESSENTIALS`` first and the rest in ``sections`` that can be opened;
    a section with an error opens by itself. ``Meta.fields`` is in the page's order, so
    the error summary lists the problems in the order they appear.
    """

    ESSENTIALS = ("title", "host", "peers", "date", "purpose")
    SECTIONS = (
        (
            "more",
            _("More about the session"),
            ("context", "start_time", "duration_minutes", "place", "facilitator", "status"),
        ),
        ("after", _("After the session: summary and advice"), ("summary", "advice", "source_url")),
        (
            "aars",
            _("AARs and walk-in"),
            ("aar_deadline", "checkback_first_days", "checkback_second_days", "walkin_open"),
        ),
    )

    facilitator = FacilitatorChoiceField(
        label=capfirst(AssistSession._meta.get_field("facilitator").verbose_name),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("A member of the organising organisation."),
        error_messages={"invalid_choice": _("Choose the facilitator from the list.")},
    )
    duration_minutes = forms.IntegerField(
        label=capfirst(AssistSession._meta.get_field("duration_minutes").verbose_name),
        min_value=1,
        max_value=24 * 60,
        initial=60,
        error_messages={
            "required": _("Enter how long the session lasts, in minutes."),
            "invalid": _("Enter the duration as a whole number of minutes, e.g. 90."),
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
        error_messages={
            "invalid": _("Enter a web address, e.g. https://www.gotoknow.org/posts/1."),
        },
    )
    # Check-backs on the participants' commitments; a field left out of a post keeps
    # the session's days (ModelForm keeps a default for a field not in the data).
    checkback_first_days = checkback_days_field("checkback_first_days")
    checkback_second_days = checkback_days_field("checkback_second_days")

    class Meta:
        model = AssistSession
        fields = [
            "organiser",
            "title",
            "host",
            "peers",
            "date",
            "purpose",
            "context",
            "start_time",
            "duration_minutes",
            "place",
            "facilitator",
            "status",
            "summary",
            "advice",
            "source_url",
            "aar_deadline",
            "checkback_first_days",
            "checkback_second_days",
            "walkin_open",
        ]
        field_classes = {"peers": PeersField, "date": ThaiDateField, "aar_deadline": ThaiDateField}
        widgets = {
            "peers": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "context": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "advice": forms.Textarea(attrs={"rows": 4}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "aar_deadline": _("Leave blank for seven days after the session."),
            "walkin_open": _("People not on the roster may join with the walk-in code."),
        }
        error_messages = {
            "organiser": {
                "required": _("Choose the organisation that runs this session."),
                "invalid_choice": _("Choose one of your own organisations."),
            },
            "title": {"required": _("Enter the session's title.")},
            "host": {
                "required": _("Choose the host organisation. Not in the list? Add it."),
                "invalid_choice": _("Choose the host organisation from the list."),
            },
            "peers": {"invalid_choice": _("Tick peer organisations from the list.")},
            "date": {"required": _("Enter the date of the session.")},
            "purpose": {"required": _("Enter what the host wants to learn.")},
            "start_time": {"invalid": _("Enter the start time as hours:minutes, e.g. 09:30.")},
            "status": {
                "required": _("Choose the session's status."),
                "invalid_choice": _("Choose the session's status from the list."),
            },
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

    @property
    def organiser_first(self) -> bool:
        """A choice to make only for members of several organisations (or of none: then
        its error is the first thing to read)."""
        return self.organisation_count != 1

    @property
    def sections(self) -> list[FormSection]:
        """The parts after the essentials. One opens when it holds an error; "after the
        session" opens when editing a session that was held, the usual reason to come
        back."""
        held = self.instance.pk and self.instance.status != AssistSession.Status.PLANNED
        sections = []
        for key, title, names in self.SECTIONS:
            if key == "more" and not self.organiser_first:
                names = (*names, "organiser")
            fields = [self[name] for name in names]
            has_error = any(field.errors for field in fields)
            sections.append(
                FormSection(key, title, fields, open=has_error or (key == "after" and held))
            )
        return sections

    def clean_date(self):
        date = self.cleaned_data["date"]
        # The default AAR deadline is a week later, and the calendar ends at 9999-12-31.
        if date and date > datetime.date.max - datetime.timedelta(days=AAR_DEADLINE_DAYS):
            raise forms.ValidationError(_("The date is too far in the future."))
        return date

    def clean(self):
        cleaned = super().clean()
        date: datetime.date | None = cleaned.get("date")
        deadline = cleaned.get("aar_deadline")
        status = cleaned.get("status")
        organiser = cleaned.get("organiser")
        facilitator = cleaned.get("facilitator")
        host = cleaned.get("host")
        peers = cleaned.get("peers")

        first, second = cleaned.get("checkback_first_days"), cleaned.get("checkback_second_days")
        if first and second and second <= first:
            self.add_error(
                "checkback_second_days",
                _("The second check-back comes after the first: enter more days than for it."),
            )
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
    """Adds an organisation on its own page, a step out of the session form (prefix
    ``new_org``, the names the form had when it sat inside the session form)."""

    class Use(models.TextChoices):
        HOST = "host", _("as the host organisation")
        PEER = "peer", _("as a peer organisation")

    use_as = forms.ChoiceField(
        label=_("Use it"),
        choices=Use.choices,
        initial=Use.HOST,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to use the new organisation.")},
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "name_en"]
        labels = {
            "name": _("Name in Thai"),
            "short_name": _("Short name"),
            "name_en": _("Name in English"),
        }
        error_messages = {
            "name": {"required": _("Enter the organisation's name in Thai.")},
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


BRIEF_MAX_LENGTH = 5_000


class BriefForm(forms.ModelForm):
    """The host's brief, written before the session by its editors. Every part may be
    left empty; each is at most ``BRIEF_MAX_LENGTH`` characters, kept as typed."""

    class Meta:
        model = AssistSession
        fields = list(AssistSession.BRIEF_FIELDS)
        help_texts = {
            "brief_problem": _("The one problem the host brings to the peers, in a few lines."),
            "brief_learn": _("What the host hopes to learn from the peers' experience."),
            "brief_outcome": _("How the host will know the session was worth it."),
            "brief_questions": _("The questions the peers should come ready to answer."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.strip = False
            field.max_length = BRIEF_MAX_LENGTH
            field.validators.append(MaxLengthValidator(BRIEF_MAX_LENGTH))
            field.widget = forms.Textarea(attrs={"rows": 4, "maxlength": BRIEF_MAX_LENGTH})
