"""The themes page (/lessons/themes/): the words and phrases used most often in "what
was not achieved, and why" and in "what I will do next", for one of the user's
organisations and a period, each a link to the search for it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lessons import themes
from lessons.theme_forms import ThemeForm, organisations_for
from lessons.words import THAI

LIMIT = 30


def search_text(word: str) -> str:
    """What to search for a theme. A Thai phrase is its two words run together, as
    written: the search finds the answers with both words and puts those with the run
    first."""
    first, _space, second = word.partition(" ")
    if second and (THAI.search(first) or THAI.search(second)):
        return first + second
    return word


def search_urls(words, *, organisation, part: str, period) -> list[str]:
    """The searches for themes, narrowed as they were counted: the organisation's
    sessions of the period, and the answers counted as the part, in every question set.
    The address and the filters are made once for all the words of a list."""
    start, end = period
    filters = {"organisation": organisation.pk, "part": themes.THEME_FILTER + part}
    if start:
        filters["date_from"] = start.isoformat()
    if end:
        filters["date_to"] = end.isoformat()
    base, narrowed = reverse("lessons:search"), urlencode(filters)
    return [f"{base}?{urlencode({'q': search_text(word)})}&{narrowed}" for word in words]


def theme_lists(form) -> list[dict]:
    """Each part asked for, with its themes: (word, count, link). One query a part."""
    organisation = form.cleaned_data["organisation"]
    period = form.cleaned_data["period"]
    lists = []
    for part, label in form.parts:
        found = themes.top_themes(organisation, *period, part, limit=LIMIT)
        urls = search_urls(
            [word for word, _count in found], organisation=organisation, part=part, period=period
        )
        lists.append(
            {
                "part": part,
                "label": label,
                "themes": [
                    {"word": word, "count": count, "url": url}
                    for (word, count), url in zip(found, urls, strict=True)
                ],
            }
        )
    return lists


@login_required
@require_GET
def themes_page(request):
    organisations = organisations_for(request.user)
    data = request.GET
    if not data and organisations:
        # The first visit: the user's first organisation, this year.
        data = {"year": timezone.localdate().year, "organisation": organisations[0].pk}
    form = ThemeForm(data or None, organisations=organisations)
    valid = form.is_bound and form.is_valid()
    return render(
        request,
        "lessons/themes.html",
        {
            "title": _("Themes"),
            "form": form,
            "member": bool(organisations),
            "lists": theme_lists(form) if valid else [],
            "period": form.cleaned_data["period"] if valid else None,
            "limit": LIMIT,
        },
    )
