from django import forms
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


class AARForm(forms.ModelForm):
    """The four parts and the sharing choice.

    Text is kept exactly as typed (no stripping): a participant's words come back to
    them, and to the organisers, character for character. A draft may leave parts empty;
    submitting needs all four.
    """

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for name in AAR_PARTS:
            field = self.fields[name]
            field.strip = False
            field.required = False
            field.validators.append(MaxLengthValidator(PART_MAX_LENGTH))
            field.help_text = PROMPTS[name]
            field.widget = forms.Textarea(
                attrs={"rows": 4, "maxlength": PART_MAX_LENGTH, "class": "aar-part"}
            )
        self.fields["sharing"].widget = forms.RadioSelect(choices=AAR.Sharing.choices)

    class Meta:
        model = AAR
        fields = [*AAR_PARTS, "sharing"]

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for name in AAR_PARTS:
                if not (cleaned.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, _("Please write this part before you submit."))
        return cleaned
