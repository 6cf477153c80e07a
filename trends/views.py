"""Trends over time (all the organisations a person may see, or one of them), the
organisations side by side, and their exports."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aar.exports import date_column, export_response
from lessons.models import Lesson
from trends.charts import bar_chart, figure_cells, period_label
from trends.forms import TrendFilterForm
from trends.queries import (
    BOTH,
    BY_MONTH,
    BY_ORGANISATION,
    LESSON_STATUSES,
    by_organisation,
    by_organisation_and_period,
    by_period,
    get_organisation_for_user,
    organisation_months,
    periods,
    total,
)

LESSON_LABELS = dict(Lesson.Status.choices)
# The comparison's columns, by the name ``?sort=`` takes (``-`` first: largest first).
SORT_KEYS = {
    "organisation": lambda row: row["organisation"].label.casefold(),
    "sessions": lambda row: row["figures"].sessions,
    "participants": lambda row: row["figures"].participants,
    "submitted": lambda row: row["figures"].submitted,
    "completion": lambda row: row["figures"].completion,
    "late": lambda row: row["figures"].late_total,
    "commitments": lambda row: row["figures"].commitments,
    "done": lambda row: row["figures"].commitments_done,
    "answered": lambda row: row["figures"].checkbacks_answered,
    "lessons": lambda row: row["figures"].lessons_total,
}
DEFAULT_SORT = "organisation"


def _filtered(request, organisation=None, by=BOTH):
    """The form, the organisations covered (a list), the periods and the cells' figures
    (grouped ``by``, as ``organisation_months``): the organisations' query and
    ``organisation_months``' few."""
    form = TrendFilterForm(request.GET or None, user=request.user)
    organisations = [organisation] if organisation else list(form.chosen_organisations())
    first, last = form.period()
    step = form.step_kind
    cells = organisation_months(
        organisations=organisations, first=first, last=last, role=form.role_chosen, by=by
    )
    return form, organisations, periods(first, last, step), step, cells


def _period_rows(cells, periods_, step, language):
    return [
        {
            "period": period,
            "label": period_label(period, step, language),
            "figures": figures,
            "cells": figure_cells(figures),
        }
        for period, figures in by_period(cells, periods_, step)
    ]


def _charts(rows, step, language) -> list[dict]:
    """The trends' charts, each with its own caption and the column of the table it
    draws."""

    def chart(key, caption, value, percent=False):
        points = [(row["period"], value(row["figures"])) for row in rows]
        return {
            "id": f"chart-{key}",
            "caption": caption,
            "chart": bar_chart(points, step=step, language=language, percent=percent),
            "percent": percent,
        }

    return [
        chart("sessions", _("Sessions held"), lambda f: f.sessions),
        chart("completion", _("AAR completion (%)"), lambda f: f.completion, percent=True),
        chart("late", _("Late AARs"), lambda f: f.late_total),
        chart("commitments", _("Commitments done"), lambda f: f.commitments_done),
    ]


def _render_trends(request, *, organisation=None):
    form, organisations, periods_, step, cells = _filtered(request, organisation, (BY_MONTH,))
    language = request.LANGUAGE_CODE
    rows = _period_rows(cells, periods_, step, language)
    title = (
        _("Trends: %(organisation)s") % {"organisation": organisation.label}
        if organisation
        else _("Trends")
    )
    totals = total(row["figures"] for row in rows)
    return render(
        request,
        "trends/trends.html",
        {
            "title": title,
            "form": form,
            "organisation": organisation,
            "organisations": organisations,
            "rows": rows,
            "totals": totals,
            "totals_cells": figure_cells(totals),
            "charts": _charts(rows, step, language),
            "lesson_statuses": [(s, LESSON_LABELS[s]) for s in LESSON_STATUSES],
            "first_label": rows[0]["label"] if rows else "",
            "last_label": rows[-1]["label"] if rows else "",
            "role_label": dict(form.fields["role"].choices).get(form.role_chosen, ""),
        },
    )


@login_required
@require_GET
def trends(request):
    return _render_trends(request)


@login_required
@require_GET
def organisation_trends(request, organisation_pk):
    organisation = get_organisation_for_user(request, organisation_pk)
    return _render_trends(request, organisation=organisation)


def _sorted(rows, sort: str) -> tuple[list, str]:
    """Rows sorted by ``sort`` (a key of SORT_KEYS, ``-`` first for descending); rows
    without a figure (a dash) last either way. An unknown key sorts by name."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT
    descending = sort.startswith("-")
    value = SORT_KEYS[key]
    present = [row for row in rows if value(row) is not None]
    absent = [row for row in rows if value(row) is None]
    present.sort(key=lambda row: row["organisation"].label.casefold())
    present.sort(key=value, reverse=descending)
    return present + absent, sort


def _comparison(request):
    form, organisations, periods_, step, cells = _filtered(request, by=(BY_ORGANISATION,))
    sums = by_organisation(cells, [o.pk for o in organisations])
    rows = [{"organisation": o, "figures": sums[o.pk]} for o in organisations]
    rows, sort = _sorted(rows, request.GET.get("sort", DEFAULT_SORT))
    return form, rows, sort, periods_, step


@login_required
@require_GET
def compare(request):
    form, rows, sort, periods_, step = _comparison(request)
    language = request.LANGUAGE_CODE
    columns = [
        ("organisation", _("Organisation")),
        ("sessions", _("Sessions")),
        ("participants", _("Participants")),
        ("submitted", _("AARs in")),
        ("completion", _("Completion")),
        ("late", _("Late AARs")),
        ("commitments", _("Commitments made")),
        ("done", _("Commitments done")),
        ("answered", _("Check-backs answered")),
        ("lessons", _("Lessons")),
    ]
    query = request.GET.copy()
    headers = []
    for key, label in columns:
        # A click sorts by the column, largest first (names A to Z); again, the other way.
        first = key if key == "organisation" else f"-{key}"
        query["sort"] = key if sort == first and key != "organisation" else first
        if key == "organisation" and sort == "organisation":
            query["sort"] = "-organisation"
        headers.append(
            {
                "key": key,
                "label": label,
                "query": query.urlencode(),
                "aria_sort": (
                    "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
                ),
            }
        )
    return render(
        request,
        "trends/compare.html",
        {
            "title": _("Organisations side by side"),
            "form": form,
            "rows": rows,
            "headers": headers,
            "sort": sort,
            "first_label": period_label(periods_[0], step, language) if periods_ else "",
            "last_label": period_label(periods_[-1], step, language) if periods_ else "",
            "query": request.GET.urlencode(),
        },
    )


def _measure_header() -> list[str]:
    return [
        _("Sessions held"),
        _("Participants"),
        _("AARs in"),
        _("AAR completion (%)"),
        _("Submitted late"),
        _("Missing after the deadline"),
        _("Late AARs"),
        _("Commitments made"),
        _("Commitments done"),
        _("Check-backs answered"),
        *[_("Lessons: %(status)s") % {"status": LESSON_LABELS[s]} for s in LESSON_STATUSES],
    ]


def _measure_cells(figures) -> list:
    return [
        figures.sessions,
        figures.participants,
        figures.submitted,
        "" if figures.completion is None else figures.completion,
        figures.late,
        figures.missing_late,
        figures.late_total,
        figures.commitments,
        figures.commitments_done,
        figures.checkbacks_answered,
        *[figures.lessons[s] for s in LESSON_STATUSES],
    ]


@login_required
@require_GET
def trends_export(request, format):
    """Every organisation's figures a period at a time: a row an organisation and
    period."""
    form, organisations, periods_, step, cells = _filtered(request)
    language = request.LANGUAGE_CODE
    table = by_organisation_and_period(cells, [o.pk for o in organisations], periods_, step)
    header = [_("Organisation"), _("Period"), date_column(_("Period starts")), *_measure_header()]
    rows = (
        [
            o.label,
            period_label(period, step, language),
            period.isoformat(),
            *_measure_cells(table[o.pk][period]),
        ]
        for o in organisations
        for period in periods_
    )
    return export_response(format, "peerassist-trends", header, rows)


@login_required
@require_GET
def compare_export(request, format):
    """The comparison's table, in its order."""
    _form, rows, _sort, _periods, _step = _comparison(request)
    header = [_("Organisation"), *_measure_header()]
    return export_response(
        format,
        "peerassist-organisations",
        header,
        ([row["organisation"].label, *_measure_cells(row["figures"])] for row in rows),
    )
