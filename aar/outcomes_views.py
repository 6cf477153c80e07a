"""Outcomes for coordinators: every commitment they may see, what became of it, and the
figures by session and by organisation; and its export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aar.exports import date_column, datetime_column, export_response
from aar.followup_forms import OutcomesFilterForm
from aar.followup_queries import sessions_with_followup
from aar.models import AAR, Commitment
from aar.outcomes import (
    CommitmentList,
    commitments_in,
    figures_by_organisation,
    figures_by_session,
    total_of,
)
from aar.privacy import ANONYMOUS, text_order
from aar.synthesis_views import audit_export
from sessions_app.access import get_session_for_user
from sessions_app.models import AssistSession

COMMITMENTS_PER_PAGE = 25  # as the dashboard's sessions
STATUS_LABELS = dict(Commitment.Status.choices)
# The figures' columns, in the page's order.
FIGURE_COLUMNS = (
    ("made", gettext_lazy("Made")),
    ("done", gettext_lazy("Done")),
    ("share_done", gettext_lazy("Share done")),
    ("partly", gettext_lazy("Partly done")),
    ("not_yet", gettext_lazy("Not yet")),
    ("dropped", gettext_lazy("Dropped")),
    ("open", gettext_lazy("No answer yet")),
    ("due", gettext_lazy("Check-backs due")),
    ("unanswered", gettext_lazy("Check-backs unanswered")),
)


def _with_cells(figures: dict) -> dict:
    """Add ``cells``: the figures as the page shows them, each with its column's label,
    and ``warn`` on the check-backs waiting to go out."""
    share = figures["share_done"]
    shown = {**figures, "share_done": "—" if share is None else f"{share}%"}
    figures["cells"] = [
        {"label": label, "value": shown[name], "warn": name == "due" and figures["due"] > 0}
        for name, label in FIGURE_COLUMNS
    ]
    return figures


def _outcomes_scope(request):
    """The filter form, the one session chosen (``?session=``, through the access
    helper: another organisation's is a 404) or None, and the sessions the filters
    choose: the user's organisations' active sessions, or the one session."""
    form = OutcomesFilterForm(request.GET or None, user=request.user)
    chosen = None
    raw = request.GET.get("session", "")
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
            raise Http404
        chosen, _can_edit = get_session_for_user(request, int(raw))
        sessions = AssistSession.objects.filter(pk=chosen.pk)
    else:
        sessions = AssistSession.objects.for_user(request.user).active()
    sessions = form.apply(sessions)
    if form.followup_kind:
        # Chosen by their follow-up counts; the figures then group plain sessions.
        chosen_pks = form.apply_followup(sessions_with_followup(sessions)).values("pk")
        sessions = AssistSession.objects.filter(pk__in=chosen_pks)
    return form, chosen, sessions


@login_required
@require_GET
def outcomes(request):
    form, chosen, sessions = _outcomes_scope(request)
    today = timezone.localdate()
    commitments = CommitmentList(sessions, status=form.commitment_status)
    page = Paginator(commitments, COMMITMENTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for commitment in page.object_list:
        commitment.status_label = STATUS_LABELS.get(commitment.status, commitment.status)
        # Its writer asked to show their commitments without their name: the page shows
        # neither name nor role (the list puts these after the session's named ones).
        commitment.without_name = commitment.aar.is_anonymous(AAR.COMMITMENTS_KEY)
    # The sessions on this page, in the page's order, each with its figures.
    on_page = {}
    for commitment in page.object_list:
        session = commitment.aar.participant.session
        on_page.setdefault(session.pk, session)
    figures = figures_by_session(list(on_page), today)
    organisations = figures_by_organisation(sessions, today)
    return render(
        request,
        "aar/outcomes.html",
        {
            "title": _("Outcomes of commitments"),
            "form": form,
            "chosen": chosen,
            "page_obj": page,
            "page_sessions": [
                _with_cells({"session": session, **figures[pk]})
                for pk, session in on_page.items()
                if pk in figures
            ],
            "organisations": [_with_cells(row) for row in organisations],
            "total": _with_cells(total_of(organisations)),
            "columns": [label for _name, label in FIGURE_COLUMNS],
            "filtered": any(key != "page" for key in request.GET),
            "anonymous_label": ANONYMOUS,
            "any_without_name": any(c.without_name for c in page.object_list),
        },
    )


def _by_text(unnamed: list[tuple[tuple, list]]) -> list[list]:
    """The rows of (order, row) pairs, in their order: by the commitment's words."""
    return [row for _order, row in sorted(unnamed, key=lambda pair: pair[0])]


@login_required
@require_GET
def outcomes_export(request, format):
    form, chosen, sessions = _outcomes_scope(request)
    header = [
        date_column(_("Session date")), _("Session"), _("Organisation"), _("Name"), _("Role"),
        _("Commitment"), date_column(_("By when")), _("Status"), _("What happened"),
        datetime_column(_("Answered at")),
    ]  # fmt: skip
    rows = []
    # Per session (the list's order), the commitments shown without their writer's name
    # follow its named ones in rows of their own, by their text: no name, no role and no
    # time of answering (as the session export's, nothing that ties them to the writer).
    unnamed: list[tuple[tuple, list]] = []
    session_pk = None
    for commitment in commitments_in(sessions, status=form.commitment_status):
        participant = commitment.aar.participant
        session = participant.session
        if session.pk != session_pk:
            rows += _by_text(unnamed)
            unnamed, session_pk = [], session.pk
        without_name = commitment.aar.is_anonymous(AAR.COMMITMENTS_KEY)
        row = [
            session.date.isoformat(),
            session.title,
            session.organiser.label,
            str(ANONYMOUS) if without_name else participant.full_name,
            "" if without_name else participant.get_role_display(),
            commitment.text,
            commitment.due_date.isoformat() if commitment.due_date else "",
            str(STATUS_LABELS.get(commitment.status, commitment.status)),
            commitment.outcome,
            timezone.localtime(commitment.answered_at).strftime("%Y-%m-%d %H:%M")
            if commitment.answered_at and not without_name
            else "",
        ]
        if without_name:
            unnamed.append(((*text_order(commitment.text), *text_order(commitment.outcome)), row))
        else:
            rows.append(row)
    rows += _by_text(unnamed)
    if chosen is not None:
        audit_export(request, f"outcomes {format}", session=chosen)
    else:
        organisers = sessions.order_by().values_list("organiser_id", flat=True).distinct()
        audit_export(request, f"outcomes {format}", organisation_ids=organisers)
    return export_response(format, "peerassist-outcomes", header, rows)
