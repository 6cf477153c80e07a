import secrets

from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from aar.models import AAR, AAR_PARTS

PART_MAX_LENGTH = 20_000

PROMPTS = {
    "goal": _("What did I want from this session?"),
    "achieved": _("What went well, and why?"),
    "not_achieved": _("What did not happen as I hoped, and what stood in the way?"),
    "next_steps": _("What will I do, and by when?"),
}


# The most private choice first: it is the one a new AAR starts with.
SHARING_CHOICES = [
    (AAR.Sharing.ORGANISERS, AAR.Sharing.ORGANISERS.label),
    (AAR.Sharing.PARTICIPANTS, AAR.Sharing.PARTICIPANTS.label),
]


class AARForm(forms.ModelForm):
    """The four parts and the sharing choice.

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

    def __init__(
        self,
        *args,
        submitting: bool = False,
        current_version: str = "",
        token: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.token = token
        self.submitting = submitting
        self.current_version = current_version
        self.conflict = False
        self.saved_elsewhere: dict[str, str] = {}
        for name in AAR_PARTS:
            field = self.fields[name]
            field.strip = False
            field.required = False
            field.validators.append(MaxLengthValidator(PART_MAX_LENGTH))
            field.help_text = PROMPTS[name]
            field.widget = forms.Textarea(
                attrs={"rows": 4, "maxlength": PART_MAX_LENGTH, "class": "aar-part"}
            )
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
        fields = [*AAR_PARTS, "sharing"]

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
            and any(cleaned.get(name) != getattr(self.instance, name) for name in AAR_PARTS)
        ):
            self.conflict = True
            # Kept now: after clean() the instance takes the posted text.
            self.saved_elsewhere = {
                name: getattr(self.instance, name)
                for name in AAR_PARTS
                if getattr(self.instance, name) != cleaned.get(name)
            }
            raise forms.ValidationError(
                _(
                    "This AAR was changed in another tab or on another device after you "
                    "opened this page, so nothing has been saved yet. Your text is still in "
                    "the boxes below, and the saved text is shown under each part that "
                    "differs. Keep what you want, then save again."
                ),
                code="conflict",
            )
        if self.submitting:
            for name in AAR_PARTS:
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
