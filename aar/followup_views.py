"""The coordinators' follow-up: who has not written yet, reminders, what was learned."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from aar.blog import aar_blog, session_blog
from aar.exports import export_response
from aar.followup import (
    FOLLOWUP_STATUS_LABELS,
    SKIP_REASONS,
    reminder_log_copied,
    reminder_send,
    reminder_text,
)
from aar.followup_forms import DashboardFilterForm
from aar.followup_queries import (
    followup_counts,
    missing_aar,
    most_urgent_first,
    overdue,
    sessions_with_followup,
    with_followup_status,
)
from aar.models import AAR, AAR_PARTS, AuditEntry, MonthTally
from aar.services import audit_record
from peerassist.dates import BUDDHIST_ERA_OFFSET, THAI_MONTHS_SHORT
from sessions_app.access import get_participant_for_user, get_session_for_user
from sessions_app.models import AssistSession

SESSIONS_PER_PAGE = 25
CHART_MONTHS = 12
EXPORT_FORMATS = ("csv", "xlsx")
BLOG_KINDS = {"md": ("text/markdown", "md"), "txt": ("text/plain", "txt")}


def _audit_export(request, detail: str, **where) -> None:
    """Log an export of personal data (PDPA): who, when, what (``detail``) and whose
    (``session=``, or ``organisation_ids=``; ``participant_pk=`` for one person's)."""
    audit_record(action=AuditEntry.Action.EXPORT, actor=request.user, detail=detail, **where)


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


def _month_chart(sessions, language: str) -> list[dict]:
    """AARs received per month over the last year, as bars for a server-drawn SVG.

    Read from the per-session monthly tally the database triggers keep, so the chart
    adds up a row per session and month instead of counting every AAR."""
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (CHART_MONTHS - 1))).replace(day=1)
    starts, month = [], first
    while month <= today:
        starts.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    counts = dict(
        MonthTally.objects.filter(session__in=sessions.values("pk"), month__gte=first)
        .values("month")
        .annotate(n=Sum("submitted"))
        .values_list("month", "n")
        .order_by()
    )
    months = starts
    peak = max([counts.get(m, 0) for m in months] + [1])
    bars = []
    for index, month in enumerate(months[-CHART_MONTHS:]):
        count = counts.get(month, 0)
        if language == "th":
            label = (
                f"{THAI_MONTHS_SHORT[month.month - 1]} {str(month.year + BUDDHIST_ERA_OFFSET)[-2:]}"
            )
        else:
            label = month.strftime("%b %y")
        height = round(80 * count / peak)
        bars.append(
            {
                "label": label,
                "count": count,
                "x": index * 40 + 8,
                "height": height,
                "y": 90 - height,
            }
        )
    return bars


@login_required
@require_GET
def dashboard(request):
    form, sessions, scope = _dashboard_sessions(request)
    totals = _totals(scope)
    page = _urgent_page(sessions, request.GET.get("page"), count=totals["sessions"])
    return render(
        request,
        "aar/followup_dashboard.html",
        {
            "title": _("Follow-up"),
            "form": form,
            "totals": totals,
            "page_obj": page,
            "chart": _month_chart(scope, request.LANGUAGE_CODE),
            "today": timezone.localdate(),
        },
    )


def _totals(scope) -> dict:
    """Sessions, people on their rosters, AARs in, % complete and overdue sessions.

    Sums of the filtered sessions' tally rows, which the database triggers keep."""
    today = timezone.localdate()
    # From the sessions' side, so the count and the sums read the covering index on
    # sessions and the tally rows by key. The keys may not reuse the model's field names.
    totals = scope.order_by().aggregate(
        sessions=Count("pk"),
        people=Coalesce(Sum("tally__participants"), 0),
        aars=Coalesce(Sum("tally__submitted"), 0),
        late=Count("pk", filter=overdue(today)),
    )
    totals["participants"], totals["overdue"] = totals.pop("people"), totals.pop("late")
    participants = totals["participants"]
    totals["percent"] = round(100 * totals["aars"] / participants) if participants else 0
    return totals


def _urgent_page(sessions, number, *, count: int):
    """One page of sessions, most urgent first. The order is decided on the two numbers
    it needs; the other counts, the host and the facilitator are fetched for this page
    only. ``count``: how many sessions there are, already counted for the totals."""
    order = most_urgent_first(sessions).values_list("pk", "urgency")
    paginator = Paginator(order, SESSIONS_PER_PAGE)
    paginator.count = count  # a cached_property: spares the paginator its own COUNT
    page = paginator.get_page(number)
    pks = [row[0] for row in page.object_list]
    rows = sessions.filter(pk__in=pks).in_bulk()
    page.object_list = [rows[pk] for pk in pks]
    return page


@login_required
@require_GET
def dashboard_export(request, format):
    if format not in EXPORT_FORMATS:
        raise Http404
    _form, sessions, _scope = _dashboard_sessions(request)
    header = [
        _("Date"), _("Title"), _("Host"), _("Facilitator"), _("Participants"),
        _("AARs in"), _("Drafts"), _("Missing"), _("AAR deadline"), _("Overdue"),
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
    _audit_export(request, f"dashboard {format}", organisation_ids=organisers)
    return export_response(format, "peerassist-followup", header, rows)


def _roster(session):
    """The people on the roster with their follow-up status, most urgent first."""
    return list(
        with_followup_status(session.participants.active())
        .select_related("aar", "organisation")
        .order_by("urgency", "full_name", "pk")
    )


@login_required
@require_GET
def session_followup(request, pk):
    session, can_edit = get_session_for_user(request, pk)
    participants = _roster(session)
    for participant in participants:
        participant.session = session
        if participant.followup_state in ("draft", "missing") and not participant.is_erased:
            participant.reminder_text = reminder_text(participant=participant)
    counts = followup_counts(session.participants.active())
    return render(
        request,
        "aar/followup_session.html",
        {
            "title": _("Follow-up: %(title)s") % {"title": session.title},
            "session": session,
            "can_edit": can_edit,
            # Erasure is the organiser's coordinators' decision (PDPA requests).
            "can_erase": session.user_coordinates,
            "participants": participants,
            "counts": counts,
            "missing_total": counts["draft"] + counts["missing"],
        },
    )


def _report(request, result):
    if result.sent:
        messages.success(
            request,
            ngettext("Sent %(count)d reminder.", "Sent %(count)d reminders.", len(result.sent))
            % {"count": len(result.sent)},
        )
    for participant, reason in result.skipped:
        messages.warning(
            request,
            _("Skipped %(name)s: %(reason)s.")
            % {"name": participant.full_name, "reason": SKIP_REASONS[reason]},
        )
    if not result.sent and not result.skipped:
        messages.info(request, _("Nobody needs a reminder: every AAR is in."))


@login_required
@require_POST
def remind_all(request, pk):
    session, _can_edit = get_session_for_user(request, pk, edit=True)
    missing = missing_aar(session.participants.active()).order_by("full_name", "pk")
    _report(request, reminder_send(participants=list(missing), sent_by=request.user))
    return redirect("followup:session", pk=session.pk)


@login_required
@require_POST
def remind_one(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    _report(request, reminder_send(participants=[participant], sent_by=request.user))
    return redirect("followup:session", pk=pk)


@login_required
@require_POST
def reminder_copied(request, pk, participant_pk):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk, edit=True)
    reminder_log_copied(participant=participant, sent_by=request.user)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    messages.success(
        request,
        _("Logged: the reminder for %(name)s was copied to send by chat.")
        % {"name": participant.full_name},
    )
    return redirect("followup:session", pk=pk)


def _submitted_aars(session):
    aars = list(
        AAR.objects.submitted()
        .filter(participant__session=session)
        .select_related("participant__organisation")
        .order_by("participant__full_name", "pk")
    )
    for aar in aars:
        aar.participant.session = session
    return aars


def _shareable(aars):
    """Blog copies are for posting publicly: never the organisers-only AARs."""
    return [aar for aar in aars if aar.sharing == AAR.Sharing.PARTICIPANTS]


@login_required
@require_GET
def synthesis(request, pk):
    session, _can_edit = get_session_for_user(request, pk)
    prefetch_related_objects([session], "peers")  # once, for the page and the blog copy
    aars = _submitted_aars(session)
    labels = {name: AAR._meta.get_field(name).verbose_name for name in AAR_PARTS}
    # Who wrote each AAR, worked out once an AAR rather than once an answer.
    writers = [_writer(aar) for aar in aars]
    questions = [
        {
            "name": name,
            "label": labels[name],
            "answers": [
                (writer, getattr(aar, name)) for aar, writer in zip(aars, writers, strict=True)
            ],
        }
        for name in AAR_PARTS
    ]
    return render(
        request,
        "aar/synthesis.html",
        {
            "title": _("What we learned: %(title)s") % {"title": session.title},
            "session": session,
            "aars": aars,
            "questions": questions,
            "blog_md": session_blog(session, _shareable(aars), markdown=True),
        },
    )


def _writer(aar) -> dict:
    """What the synthesis shows under each answer: who wrote it, and its flags."""
    participant = aar.participant
    return {
        "name": participant.full_name,
        "role": participant.get_role_display(),
        "organisation": participant.organisation.label if participant.organisation else "",
        "private": aar.sharing == AAR.Sharing.ORGANISERS,
        "late": aar.is_late,
    }


@login_required
@require_GET
def session_export(request, pk, format):
    if format not in EXPORT_FORMATS:
        raise Http404
    session, _can_edit = get_session_for_user(request, pk)
    header = [
        _("Name"), _("Organisation"), _("Role"), _("Status"), _("Submitted at"), _("Sharing"),
        *(AAR._meta.get_field(name).verbose_name for name in AAR_PARTS),
    ]  # fmt: skip
    rows = []
    for participant in _roster(session):
        participant.session = session
        aar = participant.aar if participant.followup_state != "missing" else None
        rows.append(
            [
                participant.full_name,
                participant.organisation.label if participant.organisation else "",
                participant.get_role_display(),
                str(FOLLOWUP_STATUS_LABELS[participant.followup_state]),
                timezone.localtime(aar.submitted_at).strftime("%Y-%m-%d %H:%M")
                if aar and aar.submitted_at
                else "",
                aar.get_sharing_display() if aar else "",
                *((getattr(aar, name) if aar else "") for name in AAR_PARTS),
            ]
        )
    _audit_export(request, f"session {format}", session=session)
    return export_response(format, f"peerassist-session-{session.pk}", header, rows)


def _blog_response(text, kind, filename):
    content_type, extension = BLOG_KINDS[kind]
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def _session_blog_copies(session):
    """The AARs that go in the session's blog copy, and all submitted ones."""
    aars = _submitted_aars(session)
    return _shareable(aars), aars


@login_required
@require_GET
def session_blog_page(request, pk):
    """The whole session, blog-ready, in Markdown and in plain text, to copy or download."""
    session, _can_edit = get_session_for_user(request, pk)
    aars, every_aar = _session_blog_copies(session)
    return render(
        request,
        "aar/blog_copy.html",
        {
            "title": _("Blog-ready copy: %(title)s") % {"title": session.title},
            "session": session,
            "markdown": session_blog(session, aars, markdown=True),
            "text": session_blog(session, aars, markdown=False),
            "aar_count": len(aars),
            "left_out": len(every_aar) - len(aars),
            "every_aar": every_aar,
            "download": {
                kind: reverse("followup:session_blog", args=[session.pk, kind])
                for kind in BLOG_KINDS
            },
        },
    )


@login_required
@require_GET
def aar_blog_page(request, pk, participant_pk):
    """One AAR, blog-ready. A private AAR is shown with a warning: ask before posting."""
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk)
    aar = get_object_or_404(AAR.objects.submitted(), participant=participant)
    aar.participant = participant
    return render(
        request,
        "aar/blog_copy.html",
        {
            "title": _("Blog-ready copy: %(name)s") % {"name": participant.full_name},
            "session": participant.session,
            "participant": participant,
            "private": aar.sharing == AAR.Sharing.ORGANISERS,
            "markdown": aar_blog(aar, markdown=True),
            "text": aar_blog(aar, markdown=False),
            "aar_count": 1,
            "download": {
                kind: reverse("followup:aar_blog", args=[pk, participant.pk, kind])
                for kind in BLOG_KINDS
            },
        },
    )


@login_required
@require_GET
def session_blog_download(request, pk, kind):
    if kind not in BLOG_KINDS:
        raise Http404
    session, _can_edit = get_session_for_user(request, pk)
    aars, _every_aar = _session_blog_copies(session)
    text = session_blog(session, aars, markdown=kind == "md")
    _audit_export(request, f"session blog {kind}", session=session)
    return _blog_response(text, kind, f"peerassist-session-{session.pk}")


@login_required
@require_GET
def aar_blog_download(request, pk, participant_pk, kind):
    if kind not in BLOG_KINDS:
        raise Http404
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk)
    aar = get_object_or_404(AAR.objects.submitted(), participant=participant)
    aar.participant = participant
    _audit_export(
        request, f"AAR blog {kind}", session=participant.session, participant_pk=participant.pk
    )
    return _blog_response(aar_blog(aar, markdown=kind == "md"), kind, f"aar-{participant.pk}")
