import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 300


def _clean_text(value: str) -> str:
    """NFC, no control characters but line breaks and tabs, no blank lines at the ends."""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return value.strip()


def is_written(text: str) -> bool:
    """Whether ``text`` holds more than spaces and invisible marks (zero-width spaces and
    joiners, direction marks)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": _("Write a comment before sending it.")},
    )

    def clean_text(self) -> str:
        text = _clean_text(self.cleaned_data["text"])
        if not is_written(text):
            raise forms.ValidationError(_("Write a comment before sending it."), code="required")
        return text


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the comment's history; only coordinators see it."),
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX_LENGTH}),
    )

    def clean_reason(self) -> str:
        return " ".join(_clean_text(self.cleaned_data["reason"]).split())
