"""The year in review: a chooser of organisation and year, and the printable page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peerassist.dates import BUDDHIST_ERA_OFFSET
from peerassist.forms import HandDrawnFieldsMixin
from peerassist.widgets import FastSelect
from trends.forms import read_year
from trends.review import (
    FIRST_YEAR,
    BadYear,
    check_year,
    get_organisation_for_user,
    last_year,
    organisations_for,
    year_review,
    years_with_data,
)


def bad_year_message(error: BadYear) -> str:
    if error.code == "buddhist_era":
        return _("%(year)s is a Buddhist-era year. Type the Christian-era year: %(ce)s.") % {
            "year": error.year,
            "ce": error.year - BUDDHIST_ERA_OFFSET,
        }
    return _("There is no review of %(year)s. Choose a year from %(first)s to %(last)s.") % {
        "year": error.year,
        "first": FIRST_YEAR,
        "last": last_year(),
    }


class ReviewChooseForm(HandDrawnFieldsMixin, forms.Form):
    """Which organisation's year to review, drawn by hand (``includes/filter_field.html``). In Thai the year may be typed in the Buddhist
    era (2569) or the Christian era (2026), as on the trends' filters; in English, in the
    Christian era, and a Buddhist-era year gets a message saying which year to type
    (``trends.forms.read_year``)."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=None, empty_label=None, widget=FastSelect
    )
    year = forms.CharField(
        label=gettext_lazy("Year"),
        max_length=12,
        help_text=gettext_lazy("For example 2569 (BE) or 2026 (CE)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(user).order_by("name")
        self.fields["organisation"].label_from_instance = lambda org: str(org)
        self.style_fields()

    def clean_year(self) -> int:
        year, _note = read_year(self.cleaned_data["year"], buddhist_era=get_language() == "th")
        try:
            return check_year(year)
        except BadYear as error:
            raise forms.ValidationError(bad_year_message(error), code=error.code) from None


@login_required
@require_GET
def review_index(request):
    """The organisations the person may review and their years with sessions; and a
    form to ask for any year (it redirects to the review)."""
    form = ReviewChooseForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return redirect(
            "trends:review", form.cleaned_data["organisation"].pk, form.cleaned_data["year"]
        )
    years = years_with_data(request.user)
    organisations = [
        {"organisation": org, "years": years.get(org.pk, [])}
        for org in form.fields["organisation"].queryset
    ]
    return render(
        request,
        "trends/review_index.html",
        {"title": _("A year in review"), "form": form, "organisations": organisations},
    )


@login_required
@require_GET
def review(request, organisation_pk: int, year: int):
    organisation = get_organisation_for_user(request, organisation_pk)
    try:
        check_year(year)
    except BadYear as error:
        return render(
            request,
            "trends/review_bad_year.html",
            {
                "title": _("No review of this year"),
                "organisation": organisation,
                "message": bad_year_message(error),
                "suggested": error.year - BUDDHIST_ERA_OFFSET
                if error.code == "buddhist_era"
                else None,
            },
            status=404,
        )
    context = year_review(organisation, year)
    title = _("%(organisation)s: the year %(year)s in review") % {
        "organisation": organisation.label,
        "year": context["year_be"] if request.LANGUAGE_CODE == "th" else year,
    }
    return render(
        request,
        "trends/review.html",
        {**context, "title": title, "organisation": organisation},
    )
