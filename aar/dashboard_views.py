"""The coordinators' follow-up dashboard: totals, the chart, sessions most urgent first,
and its export."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aar.exports import date_column, export_response
from aar.followup_forms import DashboardFilterForm
from aar.followup_queries import (
    MostUrgentFirst,
    followup_totals,
    most_urgent_first,
    organisation_received_by_month,
    organisation_totals,
    sessions_received_by_month,
    sessions_with_followup,
)
from aar.synthesis_views import audit_export
from peerassist.dates import BUDDHIST_ERA_OFFSET, THAI_MONTHS_SHORT
from sessions_app.models import AssistSession

SESSIONS_PER_PAGE = 25
CHART_MONTHS = 12


def _dashboard_sessions(request):
    """The filter form, the filtered sessions annotated for follow-up, and the same
    sessions as cheaply as they can be chosen (for totals and the chart)."""
    form = DashboardFilterForm(request.GET or None, user=request.user)
    sessions = form.apply(AssistSession.objects.for_user(request.user).active())
    annotated = form.apply_followup(
        sessions_with_followup(sessions).select_related("host", "facilitator")
    )
    # Totals and the chart count the same sessions; only the follow-up filter needs the
    # per-session counts to choose them.
    return form, annotated, (annotated if form.followup_kind else sessions)


def _month_chart(form, sessions, language: str, *, any_archived: bool = True) -> list[dict]:
    """AARs received per month, as bars for a server-drawn SVG.

    The bars run from the first month with an AAR to this month: at most CHART_MONTHS,
    and at least ``min_months`` so one busy month still reads as a chart. A year of bars
    for two months of data left most of the chart empty (issue 15).

    Unfiltered (or by organisation only), read from the organisations' kept monthly
    totals; otherwise counted from the chosen sessions' AARs."""
    min_months = 3
    this_month = timezone.localdate().replace(day=1)
    starts = []
    for back in range(CHART_MONTHS - 1, -1, -1):
        year, month_index = divmod(this_month.year * 12 + this_month.month - 1 - back, 12)
        starts.append(datetime.date(year, month_index + 1, 1))
    organisations = form.organisations()
    if organisations is not None:
        counts = organisation_received_by_month(organisations, starts[0], any_archived=any_archived)
    else:
        counts = sessions_received_by_month(sessions, starts[0])
    with_data = [month for month in starts if counts.get(month, 0) > 0]
    begin = starts[-min_months]
    if with_data:
        begin = min(with_data[0], begin)
    months = [month for month in starts if month >= begin]
    peak = max([counts.get(m, 0) for m in months] + [1])
    bars = []
    for index, month in enumerate(months):
        count = max(counts.get(month, 0), 0)
        if language == "th":
            short = THAI_MONTHS_SHORT[month.month - 1]
            year = str(month.year + BUDDHIST_ERA_OFFSET)[-2:]
        else:
            short = month.strftime("%b")
            year = month.strftime("%y")
        # The SVG's units: each month is a column 40 wide, bars stand on y=108 and are
        # at most 80 tall (followup_dashboard.html draws the labels below).
        height = round(80 * count / peak)
        bars.append(
            {
                "label": f"{short} {year}",
                "month": short,
                # The year under the first bar and under each January only.
                "year": year if index == 0 or month.month == 1 else "",
                "count": count,
                "empty": count == 0,
                "x": index * 40 + 7,
                "center": index * 40 + 20,
                "height": height,
                "y": 108 - height,
            }
        )
    return bars


@login_required
@require_GET
def dashboard(request):
    form, sessions, scope = _dashboard_sessions(request)
    totals = _totals(form, scope)
    page = _urgent_page(sessions, request.GET.get("page"), totals)
    return render(
        request,
        "aar/followup_dashboard.html",
        {
            "title": _("Follow-up"),
            "form": form,
            "totals": totals,
            "page_obj": page,
            "chart": _month_chart(
                form, scope, request.LANGUAGE_CODE, any_archived=totals.get("archived", 1) > 0
            ),
            "today": timezone.localdate(),
        },
    )


def _totals(form, scope) -> dict:
    """Sessions, people on their rosters, AARs in, % complete and overdue sessions: from
    the organisations' kept monthly totals when no filter but the organisation narrows
    the sessions, so the page does not grow with the whole database; otherwise summed
    from the filtered sessions' tally rows."""
    today = timezone.localdate()
    organisations = form.organisations()
    if organisations is not None:
        totals = organisation_totals(organisations, today)
    else:
        totals = followup_totals(scope, today)
    participants = totals["participants"]
    totals["percent"] = round(100 * totals["aars"] / participants) if participants else 0
    made = totals["commitments"]
    # Commitments done of those made; None (shown as a dash) while none are made.
    totals["commitments_percent"] = round(100 * totals["commitments_done"] / made) if made else None
    return totals


def _urgent_page(sessions, number, totals: dict):
    """One page of sessions, most urgent first. The page's pks come in order from
    ``MostUrgentFirst`` (group sizes from the totals); the counts, the host and the
    facilitator are then fetched for this page only."""
    order = MostUrgentFirst(
        sessions,
        today=timezone.localdate(),
        count=totals["sessions"],
        overdue=totals["overdue"],
        open=totals["open"],
    )
    page = Paginator(order, SESSIONS_PER_PAGE).get_page(number)
    pks = list(page.object_list)
    rows = sessions.filter(pk__in=pks).in_bulk()
    page.object_list = [rows[pk] for pk in pks]
    return page


@login_required
@require_GET
def dashboard_export(request, format):
    _form, sessions, _scope = _dashboard_sessions(request)
    header = [
        date_column(_("Date")), _("Title"), _("Host"), _("Facilitator"), _("Participants"),
        _("AARs in"), _("Drafts"), _("Missing"), date_column(_("AAR deadline")), _("Overdue"),
    ]  # fmt: skip
    rows = (
        [
            s.date.isoformat(),
            s.title,
            s.host.label,
            (s.facilitator.get_full_name() or s.facilitator.username) if s.facilitator else "",
            s.participant_count,
            s.aar_count,
            s.draft_count,
            s.missing_count,
            s.aar_deadline.isoformat(),
            _("yes") if s.is_overdue else "",
        ]  # fmt: skip
        for s in most_urgent_first(sessions)
    )
    organisers = sessions.order_by().values_list("organiser_id", flat=True).distinct()
    audit_export(request, f"dashboard {format}", organisation_ids=organisers)
    return export_response(format, "peerassist-followup", header, rows)
