"""What was learned: the synthesis, the session's export and the blog-ready copies."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aar.blog import (
    aar_blocks,
    aar_blog,
    as_html,
    as_markdown,
    as_text,
    part_labels,
    session_blocks,
    session_blog,
)
from aar.converters import BLOG_KINDS
from aar.exports import (
    SHOWN_WITHOUT_NAME,
    anonymous_rows,
    date_column,
    datetime_column,
    export_response,
)
from aar.followup import FOLLOWUP_STATUS_LABELS
from aar.followup_views import roster_with_status
from aar.method_review import method_review_of
from aar.models import AAR, AuditEntry, Commitment, parts_of
from aar.privacy import ANONYMOUS, text_order
from aar.recommendations import current_recommendations
from aar.services import audit_record, session_question_set
from sessions_app.access import get_participant_for_user, get_session_for_user
from sessions_app.models import Participant


def audit_export(request, detail: str, **where) -> None:
    """Log an export of personal data (PDPA): who, when, what (``detail``) and whose
    (``session=``, or ``organisation_ids=``; ``participant_pk=`` for one person's).

    Every export calls it, the dashboard's too (aar/dashboard_views.py)."""
    audit_record(action=AuditEntry.Action.EXPORT, actor=request.user, detail=detail, **where)


def _submitted_aars(session, *, mark_host_commitments: bool = False):
    """The session's submitted AARs, by writer. ``mark_host_commitments``: annotate
    ``host_commitments``, whether it is a host team member's with commitments (so they
    are read only when there are any)."""
    rows = AAR.objects.submitted().filter(participant__session=session)
    if mark_host_commitments:
        rows = rows.annotate(
            host_commitments=Exists(
                Commitment.objects.filter(
                    aar=OuterRef("pk"), aar__participant__role=Participant.Role.HOST
                )
            )
        )
    aars = list(
        rows.select_related("participant__organisation", "question_set").order_by(
            "participant__full_name", "pk"
        )
    )
    for aar in aars:
        aar.participant.session = session
    return aars


def _shareable(aars):
    """Blog copies are for posting publicly: never the organisers-only AARs."""
    return [aar for aar in aars if aar.sharing != AAR.Sharing.ORGANISERS]


@login_required
@require_GET
def synthesis(request, pk):
    session, can_edit = get_session_for_user(request, pk)
    prefetch_related_objects([session], "peers")  # once, for the page and the blog copy
    aars = _submitted_aars(session, mark_host_commitments=True)
    # The host team's commitments and their latest status: one query, none if none.
    host_team = [aar for aar in aars if aar.host_commitments]
    prefetch_related_objects(host_team, "commitments")
    parts = _session_parts(session, aars)
    blog = session_blocks(session, _shareable(aars))
    # Who wrote each AAR, worked out once an AAR rather than once an answer.
    writers = [(aar, _writer(aar), _anonymous_writer(aar)) for aar in aars]
    questions = [
        {"name": part.key, "label": part.label, "answers": _answers(writers, part.key)}
        for part in parts
    ]
    host_team, host_anonymous = _host_commitments(host_team)
    return render(
        request,
        "aar/synthesis.html",
        {
            "title": _("What we learned: %(title)s") % {"title": session.title},
            "session": session,
            "aars": aars,
            "questions": questions,
            "host_team": host_team,
            "host_anonymous": host_anonymous,
            "can_edit": can_edit,
            # The Peer Assist's own steps: the brief (on the session), the peers'
            # recommendations with the host's responses, the team's review of the method.
            "recommendations": list(current_recommendations(session)),
            "method_review": method_review_of(session),
            "blog_md": as_markdown(blog),
            "blog_preview": as_html(blog),
        },
    )


def _session_parts(session, aars):
    """The session's questions: those its AARs answer (one set for all of them, fixed
    at the first), or, before any, the set it chose."""
    if aars:
        return parts_of(aars[0].question_set)
    return parts_of(session_question_set(session.pk))


def _writer(aar) -> dict:
    """What the synthesis shows under each answer: who wrote it, and its flags."""
    participant = aar.participant
    return {
        "name": participant.full_name,
        "role": participant.get_role_display(),
        "organisation": participant.organisation.label if participant.organisation else "",
        "private": aar.sharing == AAR.Sharing.ORGANISERS,
        "late": aar.is_late,
        "anonymous": False,
    }


def _anonymous_writer(aar) -> dict:
    """Under an answer shown without its writer's name: nothing of who wrote it (not
    even lateness); only that it is private, so that nobody posts it."""
    return {
        "name": ANONYMOUS,
        "role": "",
        "organisation": "",
        "private": aar.sharing == AAR.Sharing.ORGANISERS,
        "late": False,
        "anonymous": True,
    }


def _answers(writers, key: str) -> list[tuple[dict, str]]:
    """(writer, text) of one question: the named answers in the writers' order, then
    those shown without names, by their text (so their place gives nobody away).
    ``writers``: (AAR, its writer, its anonymous writer) in the writers' order."""
    named = [(writer, aar.answer(key)) for aar, writer, _ in writers if not aar.is_anonymous(key)]
    anonymous = sorted(
        ((nobody, aar.answer(key)) for aar, _, nobody in writers if aar.is_anonymous(key)),
        key=lambda pair: text_order(pair[1]),
    )
    return named + anonymous


def _host_commitments(host_team) -> tuple[list, list]:
    """The host team's AARs whose commitments are shown under the name, and the
    commitments shown without names, by their text."""
    named = [aar for aar in host_team if not aar.is_anonymous(AAR.COMMITMENTS_KEY)]
    anonymous = sorted(
        (
            commitment
            for aar in host_team
            if aar.is_anonymous(AAR.COMMITMENTS_KEY)
            for commitment in aar.commitments.all()
        ),
        key=lambda commitment: text_order(commitment.text),
    )
    return named, anonymous


@login_required
@require_GET
def session_export(request, pk, format):
    session, _can_edit = get_session_for_user(request, pk)
    roster = roster_with_status(session)
    parts = _session_parts(session, [p.aar for p in roster if p.followup_state != "missing"][:1])
    header = [
        _("Name"), _("Organisation"), _("Role"), _("Status"), datetime_column(_("Submitted at")),
        _("Sharing"), _("Entered by"),
        *(part.label for part in parts),
    ]  # fmt: skip
    rows = []
    # The answers shown without names: (column, text), written out below the named rows.
    anonymous = []
    first_part = len(header) - len(parts)
    for participant in roster:
        participant.session = session
        aar = participant.aar if participant.followup_state != "missing" else None
        if aar is not None:
            anonymous += [
                (first_part + n, aar.answer(part.key))
                for n, part in enumerate(parts)
                if aar.is_anonymous(part.key) and aar.answer(part.key).strip()
            ]
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
                _entered_by(aar),
                *(_named_cell(aar, part.key) for part in parts),
            ]
        )
    rows += anonymous_rows(len(header), anonymous, label=str(ANONYMOUS))
    audit_export(request, f"session {format}", session=session)
    return export_response(format, f"peerassist-session-{session.pk}", header, rows)


@login_required
@require_GET
def recommendations_export(request, pk, format):
    """The peers' recommendations and the host's responses, in order (CSV or Excel)."""
    session, _can_edit = get_session_for_user(request, pk)
    header = [
        _("No."), _("Recommendation"), _("Given by"), _("Theme"), _("Response"), _("Why"),
        _("Owner on the host team"), date_column(_("By when")), datetime_column(_("Responded at")),
        _("Commitment"),
    ]  # fmt: skip
    rows = [
        [
            number,
            r.text,
            r.giver_name,
            r.theme,
            r.get_response_display() if r.response else "",
            r.response_reason,
            r.response_owner.full_name if r.response_owner_id else "",
            r.response_due.isoformat() if r.response_due else "",
            timezone.localtime(r.responded_at).strftime("%Y-%m-%d %H:%M") if r.responded_at else "",
            r.commitment.get_status_display() if r.commitment_id else "",
        ]
        for number, r in enumerate(
            current_recommendations(session).select_related("commitment"), start=1
        )
    ]
    audit_export(request, f"recommendations {format}", session=session)
    return export_response(format, f"peerassist-recommendations-{session.pk}", header, rows)


def _named_cell(aar, key: str) -> str:
    """An answer in its writer's row: blank, with a marker, when it is shown without the
    name (it is in a row of its own, below)."""
    if aar is None:
        return ""
    if aar.is_anonymous(key) and aar.answer(key).strip():
        return str(SHOWN_WITHOUT_NAME)
    return aar.answer(key)


def _entered_by(aar) -> str:
    """Who typed the AAR in for the participant, from paper: "" if they wrote it."""
    if aar is None or aar.entered_by_id is None:
        return ""
    return aar.entered_by.get_full_name() or aar.entered_by.get_username()


def _blog_response(text, kind, filename):
    response = HttpResponse(text, content_type=f"{BLOG_KINDS[kind]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
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
    blog = session_blocks(session, aars)
    return render(
        request,
        "aar/blog_copy.html",
        {
            "title": _("Blog-ready copy: %(title)s") % {"title": session.title},
            "session": session,
            "markdown": as_markdown(blog),
            "text": as_text(blog),
            "preview": as_html(blog),
            "labels": "; ".join(part_labels(_session_parts(session, every_aar)).values()),
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
    blog = aar_blocks(aar)
    return render(
        request,
        "aar/blog_copy.html",
        {
            "title": _("Blog-ready copy: %(name)s") % {"name": participant.full_name},
            "session": participant.session,
            "participant": participant,
            "private": aar.sharing == AAR.Sharing.ORGANISERS,
            # The parts its writer shows without their name: left out of a signed copy.
            "anonymous_left_out": sum(
                aar.is_anonymous(part.key) for part in parts_of(aar.question_set)
            ),
            "markdown": as_markdown(blog),
            "text": as_text(blog),
            "preview": as_html(blog),
            "labels": "; ".join(part_labels(parts_of(aar.question_set)).values()),
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
    session, _can_edit = get_session_for_user(request, pk)
    aars, _every_aar = _session_blog_copies(session)
    text = session_blog(session, aars, markdown=kind == "md")
    audit_export(request, f"session blog {kind}", session=session)
    return _blog_response(text, kind, f"peerassist-session-{session.pk}")


@login_required
@require_GET
def aar_blog_download(request, pk, participant_pk, kind):
    participant, _can_edit = get_participant_for_user(request, pk, participant_pk)
    aar = get_object_or_404(AAR.objects.submitted(), participant=participant)
    aar.participant = participant
    audit_export(
        request, f"AAR blog {kind}", session=participant.session, participant_pk=participant.pk
    )
    return _blog_response(aar_blog(aar, markdown=kind == "md"), kind, f"aar-{participant.pk}")
