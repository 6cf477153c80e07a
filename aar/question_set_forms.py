"""The forms of question sets: a custom set (its names and 2–8 prompts, each in Thai and
English, and what each counts as in the themes) and a session's choice of set."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aar.models import PROMPT_MAX_LENGTH, PROMPT_THEMES, PROMPTS_MAX, PROMPTS_MIN, QuestionSet

NAME_MAX_LENGTH = 120


class QuestionSetForm(forms.ModelForm):
    """A custom set's names, and on creation the organisation it belongs to (one the
    user coordinates)."""

    class Meta:
        model = QuestionSet
        fields = ["organisation", "name_th", "name_en"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None or organisations is None:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            field.queryset = organisations
            field.required = True
            field.empty_label = None
            field.help_text = _("The set can be used by this organisation's sessions.")
        for name in ("name_th", "name_en"):
            self.fields[name].required = True
            self.fields[name].max_length = NAME_MAX_LENGTH

    def clean_name_th(self) -> str:
        return self.cleaned_data["name_th"].strip()

    def clean_name_en(self) -> str:
        return self.cleaned_data["name_en"].strip()


class PromptForm(forms.Form):
    """One prompt, in both languages. A row with neither is empty and ignored."""

    th = forms.CharField(
        label=_("In Thai"),
        required=False,
        max_length=PROMPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    en = forms.CharField(
        label=_("In English"),
        required=False,
        max_length=PROMPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    theme = forms.ChoiceField(
        label=_("Counted in the themes as"),
        choices=[("", _("Not counted")), *PROMPT_THEMES.items()],
        required=False,
        error_messages={"invalid_choice": _("Please choose one of the parts listed.")},
    )

    def clean(self):
        cleaned = super().clean()
        th, en = cleaned.get("th"), cleaned.get("en")
        if th and not en and "en" not in self.errors:
            self.add_error(
                "en",
                forms.ValidationError(
                    _("Please write this prompt in English too."), code="required"
                ),
            )
        if en and not th and "th" not in self.errors:
            self.add_error(
                "th",
                forms.ValidationError(_("Please write this prompt in Thai too."), code="required"),
            )
        return cleaned

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("th", "en")
        )


class BasePromptFormSet(forms.BaseFormSet):
    """2–8 prompts. Unbound: the set's prompts, then empty rows up to eight. Bound: every
    row posted (up to ``absolute_max``), so nothing typed is lost when there are too many."""

    def clean(self):
        if any(self.errors):
            return
        filled = [form for form in self.forms if not form.is_empty]
        if len(filled) < PROMPTS_MIN:
            raise forms.ValidationError(
                _("Please write at least %(min)s prompts."),
                code="too_few",
                params={"min": PROMPTS_MIN},
            )
        if len(filled) > PROMPTS_MAX:
            raise forms.ValidationError(
                _("A set has at most %(max)s prompts. Please clear the ones you can do without."),
                code="too_many",
                params={"max": PROMPTS_MAX},
            )

    def prompts(self) -> list[dict]:
        """[{"th", "en"}, with "theme" when chosen] in order, empty rows left out: as
        ``QuestionSet.prompts``."""
        return [
            {"th": form.cleaned_data["th"], "en": form.cleaned_data["en"]}
            | ({"theme": form.cleaned_data["theme"]} if form.cleaned_data.get("theme") else {})
            for form in self.forms
            if not form.is_empty
        ]


PromptFormSet = forms.formset_factory(
    PromptForm,
    formset=BasePromptFormSet,
    extra=PROMPTS_MAX,
    max_num=PROMPTS_MAX,
    absolute_max=PROMPTS_MAX * 4,
)
PROMPTS_PREFIX = "prompts"


def prompt_formset(data=None, *, prompts=()) -> BasePromptFormSet:
    """Bound: what was posted, alone (rows posted as they were shown would count as
    unchanged, and so be skipped, if compared with the saved prompts). Unbound: the set's
    prompts."""
    if data is not None:
        return PromptFormSet(data, prefix=PROMPTS_PREFIX)
    return PromptFormSet(initial=list(prompts), prefix=PROMPTS_PREFIX)


class SessionQuestionSetForm(forms.Form):
    question_set = forms.ModelChoiceField(
        label=_("Question set"),
        queryset=QuestionSet.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Please choose one of the sets listed.")},
    )

    def __init__(self, *args, question_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].queryset = question_sets
