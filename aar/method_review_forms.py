"""The facilitation team's review of the method: its form, and the filters of the list of
reviews across sessions."""

from django import forms
from django.db.models.functions import ExtractYear
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aar.models import MethodReview
from peerassist.dates import BUDDHIST_ERA_OFFSET
from peerassist.widgets import FastSelect
from sessions_app.models import Organisation

METHOD_REVIEW_MAX_LENGTH = 10_000


def _part(name: str, help_text) -> forms.CharField:
    return forms.CharField(
        label=capfirst(MethodReview._meta.get_field(name).verbose_name),
        help_text=help_text,
        required=False,
        max_length=METHOD_REVIEW_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": METHOD_REVIEW_MAX_LENGTH}),
    )


class MethodReviewForm(forms.Form):
    """What worked in how the Peer Assist was run, what did not, and what to change next
    time. Every part may be left empty; each is at most ``METHOD_REVIEW_MAX_LENGTH``
    characters."""

    worked = _part(
        "worked", _("The brief, the questions, the timing, the room: what helped the peers help.")
    )
    did_not_work = _part(
        "did_not_work", _("What got in the way of listening, asking or advising, and why.")
    )
    change_next = _part(
        "change_next",
        _("One or two things the next facilitation team should do differently."),
    )


class MethodReviewFilterForm(forms.Form):
    """The list's filters: the organising organisation and the year of the session. They
    live in the URL, so a filtered list is a bookmark."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=FastSelect,
    )
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args, user, reviews, **kwargs):
        """``reviews``: the reviews the user may see, whose sessions' years are offered."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user)
        self.fields["organisation"].empty_label = _("Any organisation")
        years = (
            reviews.annotate(year=ExtractYear("session__date"))
            .values_list("year", flat=True)
            .order_by("-year")
            .distinct()
        )
        # Shown in the era of the page's language (a Thai reader counts in Buddhist years).
        offset = BUDDHIST_ERA_OFFSET if get_language() == "th" else 0
        self.fields["year"].choices = [("", _("Any year"))] + [
            (year, str(year + offset)) for year in years
        ]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select"
            if self.is_bound and name in self.errors:
                field.widget.attrs["class"] += " is-invalid"

    def apply(self, reviews):
        """The reviews matching the valid filters (all of them while the form is invalid)."""
        if not self.is_valid():
            return reviews
        if self.cleaned_data["organisation"]:
            reviews = reviews.filter(session__organiser=self.cleaned_data["organisation"])
        if self.cleaned_data["year"]:
            reviews = reviews.filter(session__date__year=self.cleaned_data["year"])
        return reviews
