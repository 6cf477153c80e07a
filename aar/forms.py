import secrets

from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from aar.models import (
    AAR,
    COMMITMENT_MAX_LENGTH,
    COMMITMENTS_MAX,
    KMI_PARTS,
    Commitment,
    parts_of,
)
from peerassist.dates import format_thai_date
from peerassist.forms import ThaiDateField

PART_MAX_LENGTH = 20_000

PROMPTS = {part.key: part.hint for part in KMI_PARTS}


CONFLICT_MESSAGE = _(
    "This AAR was changed in another tab or on another device after you "
    "opened this page, so nothing has been saved yet. Your text is still in "
    "the boxes below, and the saved text is shown under each part that "
    "differs. Keep what you want, then save again."
)

# The most private choice first: it is the one a new AAR starts with. Each level's
# readers include those of the one before it.
SHARING_CHOICES = [
    (AAR.Sharing.ORGANISERS, AAR.Sharing.ORGANISERS.label),
    (AAR.Sharing.PARTICIPANTS, AAR.Sharing.PARTICIPANTS.label),
    (AAR.Sharing.ORGANISATIONS, AAR.Sharing.ORGANISATIONS.label),
]
# What each level means, shown under its choice.
SHARING_HINTS = {
    AAR.Sharing.ORGANISERS: _("Only the session's organisers read it."),
    AAR.Sharing.PARTICIPANTS: _(
        "The other participants of this session can read it too, after they submit theirs."
    ),
    AAR.Sharing.ORGANISATIONS: _(
        "Also the staff of the host and peer organisations and of every participant's "
        "organisation, when they look for what was learned."
    ),
}
ANONYMOUS_PART_LABEL = _("Show this answer without my name")
ANONYMOUS_COMMITMENTS_LABEL = _("Show my commitments without my name")
# Sent with every form that shows the "without my name" boxes: a post without it (a
# page from before they existed) keeps the stored choice, as no box ticked cannot be
# told apart from no boxes at all.
ANONYMOUS_SHOWN = "anonymous_shown"


class AARForm(forms.ModelForm):
    """The answers to the question set (KMI's four parts by default) and the sharing
    choice.

    Text is kept exactly as typed (no stripping): a participant's words come back to
    them, and to the organisers, character for character. A draft may leave parts empty;
    submitting needs all four.

    Nobody's writing is shared unless they choose it: a new AAR starts at "organisers
    only" (reflective writing; the choice is the person's to make, not ours). An AAR
    saved before keeps the choice stored with it.
    """

    # The version of the AAR the page was loaded with (its ``updated_at``), sent back with
    # the form, so that a save from a second tab or device can notice that the AAR has
    # changed since this page was opened.
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)
    # A one-time key for this rendering of the form, signed for this personal link, so
    # that posting it twice saves once (aar_save), and a key from elsewhere is refused.
    submit_key = forms.CharField(required=False, widget=forms.HiddenInput)
    # The parts (question keys, and "commitments") to show to readers without the
    # writer's name; rendered one box under each part (``anonymous_box``).
    anonymous = forms.MultipleChoiceField(
        label=_("Shown without my name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        submitting: bool = False,
        current_version: str = "",
        token: str = "",
        parts=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.token = token
        self.submitting = submitting
        self.current_version = current_version
        self.conflict = False
        self.saved_elsewhere: dict[str, str] = {}
        # The questions: the set the AAR was written in, or the session's for a new one.
        self.parts = tuple(parts) if parts is not None else parts_of(self.instance.question_set)
        self.part_keys = [part.key for part in self.parts]
        fields = {}
        for part in self.parts:
            fields[part.key] = forms.CharField(
                label=part.label,
                required=False,
                strip=False,
                validators=[MaxLengthValidator(PART_MAX_LENGTH)],
                help_text=part.hint,
                widget=forms.Textarea(
                    attrs={"rows": 4, "maxlength": PART_MAX_LENGTH, "class": "aar-part"}
                ),
            )
            if self.instance.pk is not None:
                self.initial.setdefault(part.key, self.instance.answer(part.key))
        self.fields = {**fields, **self.fields}
        anonymous = self.fields["anonymous"]
        anonymous.choices = [(key, ANONYMOUS_PART_LABEL) for key in self.part_keys] + [
            (AAR.COMMITMENTS_KEY, ANONYMOUS_COMMITMENTS_LABEL)
        ]
        if self.instance.pk is not None:
            self.initial.setdefault("anonymous", list(self.instance.anonymous or ()))
        sharing = self.fields["sharing"]
        sharing.choices = SHARING_CHOICES
        sharing.widget = forms.RadioSelect(choices=SHARING_CHOICES)
        # A post without a choice (a page from before, or a hand-made request) keeps
        # the stored choice, or the private one: see clean_sharing.
        sharing.required = False
        if self.instance.pk is None:
            self.initial["sharing"] = AAR.Sharing.ORGANISERS

    class Meta:
        model = AAR
        fields = ["sharing"]

    def answers(self) -> dict[str, str]:
        """The answers as cleaned, by question key."""
        return {key: self.cleaned_data[key] for key in self.part_keys}

    def save_data(self) -> dict:
        """What ``aar_save`` takes: the answers, the sharing level and the parts shown
        without the name (a list of keys)."""
        return {
            **self.answers(),
            "sharing": self.cleaned_data["sharing"],
            "anonymous": self.cleaned_data["anonymous"],
        }

    def sharing_options(self) -> list[tuple]:
        """Each sharing radio with what its level means."""
        return [(radio, SHARING_HINTS.get(radio.data["value"], "")) for radio in self["sharing"]]

    def anonymous_box(self, key: str):
        """The "without my name" box of one part (or of the commitments), to render under
        it: keeps its state on errors, and shows the saved choice when reopened."""
        for box in self["anonymous"]:
            if box.data["value"] == key:
                return box
        return None

    @property
    def anonymous_commitments_box(self):
        return self.anonymous_box(AAR.COMMITMENTS_KEY)

    def clean_anonymous(self) -> list[str]:
        """The ticked keys, in the order of the questions (each once). A post from a
        page without the boxes keeps the stored choice."""
        if self.is_bound and ANONYMOUS_SHOWN not in self.data:
            return list(self.instance.anonymous or ()) if self.instance.pk is not None else []
        chosen = set(self.cleaned_data.get("anonymous") or ())
        return [key for key, _label in self.fields["anonymous"].choices if key in chosen]

    def clean_sharing(self) -> str:
        chosen = self.cleaned_data.get("sharing")
        if chosen:
            return chosen
        if self.instance.pk is not None:
            return self.instance.sharing
        return AAR.Sharing.ORGANISERS

    def clean_submit_key(self) -> str | None:
        """The key's random part, once its signature shows it was made for this link;
        None for a key made elsewhere (refused in ``clean``, above the form)."""
        key = self.cleaned_data["submit_key"]
        if not key:
            return ""  # a page rendered before keys existed
        try:
            return _key_signer(self.token).unsign(key)
        except signing.BadSignature:
            return None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("submit_key") is None and "submit_key" not in self.errors:
            raise forms.ValidationError(
                _(
                    "This form was not made for this personal link, so nothing has been "
                    "saved. Your text is still in the boxes below: press the button again "
                    "to save it."
                ),
                code="foreign_key",
            )
        loaded = cleaned.get("loaded_version")
        # Absent (a page rendered before this check existed): nothing to compare.
        # Changed elsewhere, and the text differs from what is saved now (the same text
        # twice, e.g. a double tap, is no conflict).
        if (
            "loaded_version" in self.data
            and loaded != self.current_version
            and any(cleaned.get(name) != self.instance.answer(name) for name in self.part_keys)
        ):
            self.conflict = True
            self.saved_elsewhere = {
                name: self.instance.answer(name)
                for name in self.part_keys
                if self.instance.answer(name) != cleaned.get(name)
            }
            raise forms.ValidationError(CONFLICT_MESSAGE, code="conflict")
        if self.submitting:
            for name in self.part_keys:
                if not (cleaned.get(name) or "").strip() and name not in self.errors:
                    # Named, so that the error summary says which part; interpolated
                    # when shown, in the participant's language.
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _("Please write “%(label)s” before you submit."),
                            code="required",
                            params={"label": self.fields[name].label},
                        ),
                    )
        return cleaned


def _key_signer(token: str) -> signing.Signer:
    return signing.Signer(salt=f"aar-form-key:{token}")


def new_submit_key(token: str) -> str:
    """A fresh one-time key for a rendering of the AAR form of this personal link."""
    return _key_signer(token).sign(secrets.token_urlsafe(16))


# --- Commitments on the AAR form ----------------------------------------------------------


class CommitmentForm(forms.Form):
    """One commitment under "What I will do next": what, and by when (optional).

    A row with neither is empty and ignored; a date without words is an error, so a
    date typed by mistake is not silently dropped. ``id`` carries an existing
    commitment's primary key, so that an edit keeps its check-back answers; an id that is
    not one of this AAR's commitments makes a new one (``commitments_replace``).
    """

    id = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("commitment"),
        required=False,
        max_length=COMMITMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMITMENT_MAX_LENGTH}),
    )
    due_date = ThaiDateField(label=_("by when"), required=False)

    def __init__(self, *args, session_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_date = session_date
        self.fields["text"].widget.attrs["class"] = "form-control aar-commitment-text"
        self.fields["due_date"].widget.attrs.update(
            {
                "class": "form-control aar-commitment-due",
                # The date format's hint is shown once, above the rows.
                "aria-describedby": "commitments-date-help",
            }
        )

    def full_clean(self):
        super().full_clean()
        # A box with an error is described by it too (the error is shown under the box).
        for name in ("text", "due_date"):
            if name in self.errors:
                attrs = self.fields[name].widget.attrs
                error_id = f"{self[name].id_for_label}_error"
                attrs["aria-describedby"] = " ".join(
                    filter(None, [attrs.get("aria-describedby"), error_id])
                )

    def clean_id(self) -> int | None:
        """Not an error when it is not a number: the row is then a new commitment."""
        value = self.cleaned_data.get("id") or ""
        return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and self.session_date is not None and due < self.session_date:
            raise forms.ValidationError(
                _("The date must be on or after the session, %(date)s."),
                code="before_session",
                # Formatted when shown, in the language of the page that shows it.
                params={"date": _lazy_long_date(self.session_date)},
            )
        return due

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("text") or "")
            and cleaned.get("due_date")
            and "text" not in self.errors
        ):
            self.add_error(
                "text",
                forms.ValidationError(
                    _("Please write what you will do, or clear the date."), code="required"
                ),
            )
        return cleaned

    @property
    def is_empty(self) -> bool:
        """Nothing typed in the row (its hidden id does not count)."""
        data = self.data
        return not any(
            (data.get(self.add_prefix(name)) or "").strip() for name in ("text", "due_date")
        )


def _long_date(value) -> str:
    return format_thai_date(value, long=True)


_lazy_long_date = lazy(_long_date, str)


class BaseCommitmentFormSet(forms.BaseFormSet):
    """Up to ``COMMITMENTS_MAX`` commitments. Unbound: the saved ones, then empty rows up
    to the maximum (what a page without JavaScript shows). Bound: every row posted (up
    to ``absolute_max``), so that nothing typed is lost even when there are too many."""

    default_error_messages = {
        "too_many_forms": _(
            "You can write up to %(num)s commitments. Please clear the ones you can "
            "do without; everything you typed is still here."
        ),
    }

    def clean(self):
        filled = [form for form in self.forms if not form.is_empty]
        if len(filled) > COMMITMENTS_MAX:
            raise forms.ValidationError(
                self.error_messages["too_many_forms"],
                code="too_many_forms",
                params={"num": COMMITMENTS_MAX},
            )

    def rows(self) -> list[dict]:
        """The commitments as ``aar_save`` takes them, in order, empty rows left out."""
        return [
            {
                "id": form.cleaned_data.get("id"),
                "text": form.cleaned_data["text"],
                "due_date": form.cleaned_data.get("due_date"),
            }
            for form in self.forms
            if not form.is_empty
        ]


CommitmentFormSet = forms.formset_factory(
    CommitmentForm,
    formset=BaseCommitmentFormSet,
    extra=COMMITMENTS_MAX,
    max_num=COMMITMENTS_MAX,
    # Posted rows beyond this many are not even read (Django's guard against a post of
    # thousands of forms); more than COMMITMENTS_MAX filled is refused in clean().
    absolute_max=COMMITMENTS_MAX * 4,
)
COMMITMENTS_PREFIX = "commitments"


def commitment_formset(data=None, *, commitments=(), session_date=None) -> BaseCommitmentFormSet:
    """The commitments' formset: bound to ``data``, or showing ``commitments``."""
    initial = [{"id": c.pk, "text": c.text, "due_date": c.due_date} for c in commitments]
    return CommitmentFormSet(
        data,
        initial=initial,
        prefix=COMMITMENTS_PREFIX,
        form_kwargs={"session_date": session_date},
    )


# --- Check-back answers -------------------------------------------------------------------

OUTCOME_MAX_LENGTH = 5_000
ANSWER_CHOICES = [(status, Commitment.Status(status).label) for status in Commitment.ANSWERS]


class CheckbackForm(forms.Form):
    """The answer for one commitment: how it went, and what happened. Both empty: not
    answered this time."""

    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=ANSWER_CHOICES,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    outcome = forms.CharField(
        label=_("What happened: what helped, what got in the way?"),
        required=False,
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": OUTCOME_MAX_LENGTH}),
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        kwargs.setdefault("prefix", f"c{commitment.pk}")
        if commitment.status != Commitment.Status.OPEN:
            kwargs.setdefault(
                "initial", {"status": commitment.status, "outcome": commitment.outcome}
            )
        super().__init__(*args, **kwargs)
        self.commitment = commitment

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") and not cleaned.get("status") and "status" not in self.errors:
            self.add_error(
                "status",
                forms.ValidationError(
                    _("Please choose how it went, so that what you wrote can be saved."),
                    code="required",
                ),
            )
        return cleaned

    def answer(self) -> tuple[str, str] | None:
        """(status, what happened), or None when this commitment was not answered."""
        status = self.cleaned_data.get("status")
        if not status:
            return None
        return status, self.cleaned_data.get("outcome", "")
