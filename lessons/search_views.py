"""The search page (/lessons/?q=...): everything the signed-in staff member may read,
found by its words, narrowed by the filters, 20 a page."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aar.models import MethodReview, reader_parts_of
from lessons import lessons as lesson_rules
from lessons import search
from lessons.models import SearchEntry
from lessons.search_forms import SearchForm

PER_PAGE = 20
Kind = SearchEntry.Kind
SESSION_KINDS = {Kind.RECOMMENDATION, Kind.RESPONSE, Kind.METHOD}
# Where each kind of the session's own writing is on the synthesis page.
SYNTHESIS_ANCHORS = {
    Kind.RECOMMENDATION: "recommendations-heading",
    Kind.RESPONSE: "recommendations-heading",
    Kind.METHOD: "method-review",
}


@dataclass
class ResultsPage:
    """One page of results, shaped as Django's ``Page`` for includes/pagination.html,
    counted by ``search.count_of`` (exact up to ``search.COUNT_LIMIT``; the pages
    beyond it are not offered)."""

    number: int
    count: int
    more: bool
    object_list: list = field(default_factory=list)

    @property
    def paginator(self):
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // PER_PAGE))

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(raw) -> int:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 1


def result_url(row) -> str:
    """Where a result is: the session's synthesis for its own writing (only its
    organisers find that), the writer's shared AAR, or, for a part shown without the
    name, the session's shared answers at that part (never the AAR, which names them)."""
    if row.kind in SESSION_KINDS:
        url = reverse("followup:synthesis", args=[row.session_id])
        return f"{url}#{SYNTHESIS_ANCHORS[row.kind]}"
    if row.anonymous:
        # The shared-answers page heads each part with id="q-<key>".
        return reverse("lessons:session_answers", args=[row.session_id]) + f"#q-{row.part}"
    return reverse("lessons:aar", args=[row.aar_id])


def part_label(row) -> str:
    if row.kind == Kind.ANSWER:
        labels = {part.key: part.label for part in reader_parts_of(row.aar.question_set)}
        return str(labels.get(row.part, Kind.ANSWER.label))
    if row.kind == Kind.METHOD and row.part in MethodReview.FIELDS:
        return str(MethodReview._meta.get_field(row.part).verbose_name)
    return str(Kind(row.kind).label)


def _result(row, query) -> dict:
    return {
        "row": row,
        "label": part_label(row),
        "pieces": search.snippet(row.text, [*query.phrases, *query.terms]),
        "url": result_url(row),
        # Nothing of the writer beside a part they asked to show without their name.
        "writer": None if row.anonymous else row.participant,
    }


def _notices(query) -> list[str]:
    notices = []
    if query.truncated:
        notices.append(
            _("Only the first %(limit)s characters were searched.")
            % {"limit": f"{search.MAX_QUERY:,}"}
        )
    if query.short:
        notices.append(
            _(
                "Words of one or two characters are looked for only in the newest "
                "%(rows)s entries; type %(min)s characters or more to search everything."
            )
            % {"rows": f"{search.SHORT_SCAN_ROWS:,}", "min": search.MIN_INDEXED}
        )
    return notices


@login_required
@require_GET
def search_page(request):
    query = search.parse(request.GET.get("q"))
    form = SearchForm(request.GET or None, user=request.user)
    valid = form.is_bound and form.is_valid()
    page = None
    if valid and query.terms:
        hits = search.found(request.user, query, **form.filters())
        count, more = search.count_of(hits)
        page = ResultsPage(number=_page_number(request.GET.get("page")), count=count, more=more)
        page.number = max(1, min(page.number, page.num_pages))
        if count:
            start = (page.number - 1) * PER_PAGE
            pks = search.ranked(hits, sort=form.cleaned_data["sort"] or "relevance")
            rows = search.rows_of(request.user, pks[start : start + PER_PAGE])
            page.object_list = [_result(row, query) for row in rows]
    if query.text:
        title = _("Search: %(q)s") % {"q": Truncator(query.text).chars(60)}
    else:
        title = _("Lessons")
    return render(
        request,
        "lessons/search.html",
        {
            "title": title,
            "form": form,
            "query": query,
            "page_obj": page,
            "notices": _notices(query) if page is not None else [],
            "open_filters": form.filtered or bool(form.errors.keys() - {"q"}),
            "count_limit": f"{search.COUNT_LIMIT:,}",
            # Results can be made a lesson by a coordinator (issue 19).
            "can_promote": bool(page and page.object_list)
            and lesson_rules.can_create_lessons(request.user),
        },
    )
