"""Forms for peers' recommendations and the host's response to each."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aar.models import (
    AAR,
    COMMITMENT_MAX_LENGTH,
    COMMITMENTS_MAX,
    RECOMMENDATION_MAX_LENGTH,
    THEME_MAX_LENGTH,
    Recommendation,
)
from aar.recommendations import (
    BULK_MAX_BYTES,
    BULK_MAX_LINES,
    CommitmentRefused,
    giver_organisations,
    giver_people,
    host_team,
    response_save,
)
from peerassist.forms import ThaiDateField
from sessions_app.models import AssistSession

PERSON, ORGANISATION = "p", "o"


class Givers:
    """The one select of who gave a recommendation: the people on the roster and the
    session's organisations (its peers and host), as ``p:<pk>`` and ``o:<pk>``. Read
    once a request and shared by the page's forms."""

    def __init__(self, session: AssistSession, *, keep: Recommendation | None = None):
        self.people = {p.pk: p for p in giver_people(session)}
        # Editing one given by someone since taken off the roster keeps them as its giver.
        kept = keep.given_by if keep is not None and keep.given_by_id else None
        if kept is not None and kept.pk not in self.people and kept.session_id == session.pk:
            self.people[kept.pk] = kept
        self.organisations = {o.pk: o for o in giver_organisations(session)}

    def choices(self) -> list:
        def person(p):
            org = f" · {p.organisation.label}" if p.organisation_id else ""
            return f"{p.full_name}{org}"

        choices: list = [("", _("— not recorded —"))]
        if self.people:
            people = [(f"{PERSON}:{pk}", person(p)) for pk, p in self.people.items()]
            choices.append((_("People on the roster"), people))
        if self.organisations:
            orgs = [(f"{ORGANISATION}:{pk}", o.label) for pk, o in self.organisations.items()]
            choices.append((_("Organisations (peers and host)"), orgs))
        return choices

    def resolve(self, value: str):
        """(person, organisation) for a choice; ValueError for anything not offered."""
        if not value:
            return None, None
        kind, _sep, pk = value.partition(":")
        if not pk.isdigit():
            raise ValueError(value)
        if kind == PERSON and int(pk) in self.people:
            return self.people[int(pk)], None
        if kind == ORGANISATION and int(pk) in self.organisations:
            return None, self.organisations[int(pk)]
        raise ValueError(value)

    @staticmethod
    def value_of(recommendation: Recommendation) -> str:
        if recommendation.given_by_id:
            return f"{PERSON}:{recommendation.given_by_id}"
        if recommendation.given_by_organisation_id:
            return f"{ORGANISATION}:{recommendation.given_by_organisation_id}"
        return ""


class GiverThemeMixin(forms.Form):
    giver = forms.ChoiceField(
        label=_("Given by"),
        required=False,
        help_text=_("A person on the roster, or a peer organisation as a whole."),
        error_messages={
            "invalid_choice": _(
                "Choose who gave it from the list: a person on this session's roster or one "
                "of its organisations."
            )
        },
    )
    theme = forms.CharField(
        label=_("Theme"),
        required=False,
        max_length=THEME_MAX_LENGTH,
        help_text=_("Optional. A word or two to group similar recommendations."),
        error_messages={
            "max_length": _("Keep the theme to %(limit_value)d characters (it has %(show_value)d).")
        },
        widget=forms.TextInput(attrs={"list": "recommendation-themes", "autocomplete": "off"}),
    )

    def __init__(self, *args, givers: Givers, **kwargs):
        super().__init__(*args, **kwargs)
        self.givers = givers
        self.fields["giver"].choices = givers.choices()

    def clean_giver(self):
        try:
            return self.givers.resolve(self.cleaned_data.get("giver", ""))
        except ValueError:
            raise forms.ValidationError(
                self.fields["giver"].error_messages["invalid_choice"]
            ) from None

    def clean_theme(self):
        return " ".join(self.cleaned_data.get("theme", "").split())

    @property
    def given_by(self):
        return self.cleaned_data["giver"][0]

    @property
    def given_by_organisation(self):
        return self.cleaned_data["giver"][1]


class RecommendationForm(GiverThemeMixin):
    """Quick entry, and the edit page: one recommendation."""

    text = forms.CharField(
        label=_("Recommendation"),
        max_length=RECOMMENDATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the recommendation."),
            "max_length": _(
                "Keep a recommendation to %(limit_value)d characters (it has %(show_value)d). "
                "Split a long one in two."
            ),
        },
    )

    field_order = ["text", "giver", "theme"]

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the recommendation."))
        return text


class BulkRecommendationForm(GiverThemeMixin):
    """A paste of one recommendation a line; every line is checked, and nothing is saved
    while any line is wrong."""

    prefix = "bulk"

    lines = forms.CharField(
        label=_("Paste one recommendation a line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        help_text=_("Empty lines are left out. The same giver and theme go with every line."),
        error_messages={"required": _("Paste at least one recommendation.")},
    )

    field_order = ["lines", "giver", "theme"]

    def clean_lines(self):
        raw = self.cleaned_data["lines"]
        if len(raw.encode("utf-8")) > BULK_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "That is more than %(kb)s KB of text. Paste at most %(max)s "
                    "recommendations at a time."
                ),
                params={"kb": BULK_MAX_BYTES // 1024, "max": BULK_MAX_LINES},
            )
        numbered = [(n, line.strip()) for n, line in enumerate(raw.splitlines(), start=1)]
        numbered = [(n, line) for n, line in numbered if line]
        if not numbered:
            raise forms.ValidationError(_("Paste at least one recommendation."))
        if len(numbered) > BULK_MAX_LINES:
            raise forms.ValidationError(
                _("That is %(count)s lines. Paste at most %(max)s recommendations at a time."),
                params={"count": len(numbered), "max": BULK_MAX_LINES},
            )
        too_long = [str(n) for n, line in numbered if len(line) > RECOMMENDATION_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _(
                    "Nothing was saved. These lines are longer than %(max)s characters: "
                    "%(lines)s. Shorten or split them."
                ),
                params={"max": RECOMMENDATION_MAX_LENGTH, "lines": ", ".join(too_long)},
            )
        return [line for _n, line in numbered]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


RESPONSE_CHOICES = Recommendation.Response.choices


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("The host's response"),
        choices=RESPONSE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the host's response: adopt, adapt or not adopted."),
            "invalid_choice": _("Choose the host's response: adopt, adapt or not adopted."),
        },
    )
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=RECOMMENDATION_MAX_LENGTH,
        help_text=_("Needed when the recommendation is not adopted; welcome in every case."),
        error_messages={
            "max_length": _(
                "Keep the reason to %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    owner = forms.ModelChoiceField(
        label=_("Owner on the host team"),
        queryset=None,
        required=False,
        empty_label=_("— nobody yet —"),
        error_messages={"invalid_choice": _("Choose the owner from the host team on the roster.")},
    )
    due = ThaiDateField(label=_("By when"), required=False, help_text=_("Optional."))
    make_commitment = forms.BooleanField(
        label=_("Make this a commitment of its owner"),
        required=False,
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "response": recommendation.response,
                "reason": recommendation.response_reason,
                "owner": recommendation.response_owner_id,
                "due": recommendation.response_due,
            }
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.fields["owner"].queryset = host_team(recommendation.session)
        if "make_commitment" in self.fields:
            self.fields["make_commitment"].help_text = _(
                "Adopted or adapted recommendations only. It is added to the owner's "
                "commitments (at most %(max)s), with the date above, and followed up with "
                "their check-backs."
            ) % {"max": COMMITMENTS_MAX}
        if recommendation.commitment_id:
            # Never a second commitment for the same recommendation.
            del self.fields["make_commitment"]

    def clean_reason(self):
        return self.cleaned_data.get("reason", "").strip()

    def clean(self):
        cleaned = super().clean()
        response = cleaned.get("response")
        if response == Recommendation.Response.NOT_ADOPTED and not cleaned.get("reason"):
            self.add_error("reason", _("Say why the recommendation is not adopted."))
        if not cleaned.get("make_commitment"):
            return cleaned
        owner = cleaned.get("owner")
        if response == Recommendation.Response.NOT_ADOPTED:
            self.add_error(
                "make_commitment",
                _("Only an adopted or adapted recommendation can become a commitment."),
            )
        elif owner is None and "owner" not in self.errors:
            self.add_error("owner", _("Choose the owner whose commitment this becomes."))
        elif len(self.recommendation.text) > COMMITMENT_MAX_LENGTH:
            self.add_error(
                "make_commitment",
                _(
                    "A commitment is at most %(max)s characters and this recommendation is "
                    "longer. Shorten it on its edit page first."
                )
                % {"max": COMMITMENT_MAX_LENGTH},
            )
        elif owner is not None and owner_is_full(owner):
            self.add_error("make_commitment", full_message(owner))
        return cleaned


def owner_is_full(owner) -> bool:
    aar = AAR.objects.filter(participant=owner).first()
    return aar is not None and aar.commitments.count() >= COMMITMENTS_MAX


def full_message(owner) -> str:
    return _(
        "%(name)s already has %(max)s commitments, the most one person can have. Nothing "
        "was saved: choose another owner, or leave this one as a response only."
    ) % {"name": owner.full_name, "max": COMMITMENTS_MAX}


REFUSED = {
    "erased": lambda owner: (
        _("%(name)s's personal data was erased: choose another owner.") % {"name": owner.full_name}
    ),
    "full": full_message,
}


def response_form_save(form: "ResponseForm", *, responded_by=None, responder_name="") -> list:
    """Save a valid response form through ``response_save``, for the staff page and the
    host team's personal link alike. Returns the messages to show; None when the
    commitment was refused (nothing saved, the reason beside its box)."""
    data = form.cleaned_data
    owner = data.get("owner")
    had_commitment = form.recommendation.commitment_id is not None
    try:
        saved = response_save(
            recommendation=form.recommendation,
            response=data["response"],
            reason=data["reason"],
            owner=owner,
            due=data.get("due"),
            make_commitment=data.get("make_commitment", False),
            responded_by=responded_by,
            responder_name=responder_name,
        )
    except CommitmentRefused as refused:
        message = REFUSED.get(str(refused))
        form.add_error(
            "make_commitment",
            message(owner)
            if message and owner
            else _("This recommendation cannot become a commitment of that owner."),
        )
        return None
    # Made now, in the caller's language (the host team's page is in theirs).
    notes = [str(_("The host's response is saved."))]
    if saved.commitment_id and not had_commitment:
        notes.append(
            str(_("It is now a commitment of %(name)s, followed up with their check-backs."))
            % {"name": owner.full_name}
        )
    return notes
