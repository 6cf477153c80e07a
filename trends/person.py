"""A person's own history across sessions, for staff (issue 20, item 3).

A person is one email address: the same address on the rosters of several sessions is
the same person (``Participant.email``, stored lower-case). Someone with no address, or
erased, is only the one roster row. Only the sessions the viewer may see are read
(``Participant.objects.for_user``): the others are neither shown nor counted.

Two queries whatever the number of sessions: the person's rows with their session,
organisation and AAR, and their commitments counted by row.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aar.models import AAR, Commitment
from sessions_app.models import Participant


def get_person_for_user(request, participant_pk: int) -> Participant:
    """The roster row the page is keyed by, if the viewer may see its session: else 404."""
    return get_object_or_404(
        Participant.objects.for_user(request.user).only("pk", "email", "full_name"),
        pk=participant_pk,
    )


def _aar_state(row: Participant) -> str:
    """``on_time``, ``late``, ``draft`` or ``missing``."""
    status = row.aar_status
    if status == AAR.Status.SUBMITTED:
        late = timezone.localdate(row.aar.submitted_at) > row.session.aar_deadline
        return "late" if late else "on_time"
    return "draft" if status == AAR.Status.DRAFT else "missing"


def person_history(*, person: Participant, user) -> dict:
    """The person's sessions (newest first) that ``user`` may see, and their totals."""
    rows = Participant.objects.for_user(user)
    rows = rows.filter(email=person.email) if person.email else rows.filter(pk=person.pk)
    rows = list(
        rows.select_related("session__organiser", "organisation", "aar")
        .only(
            "full_name",
            "email",
            "role",
            "removed_at",
            "erased_at",
            "session_id",
            "organisation",
            "session__title",
            "session__date",
            "session__aar_deadline",
            "session__organiser__name",
            "session__organiser__name_en",
            "session__organiser__short_name",
            "organisation__name",
            "organisation__name_en",
            "organisation__short_name",
            "aar__status",
            "aar__submitted_at",
        )  # fmt: skip
        .order_by("-session__date", "-session_id")
    )
    counts = {
        pk: (made, done)
        for pk, made, done in Commitment.objects.filter(aar__participant__in=[r.pk for r in rows])
        .order_by()
        .values_list("aar__participant_id")
        .annotate(made=Count("pk"), done=Count("pk", filter=Q(status=Commitment.Status.DONE)))
    }
    history = []
    for row in rows:
        made, done = counts.get(row.pk, (0, 0))
        history.append({"participant": row, "state": _aar_state(row), "made": made, "done": done})
    states = [item["state"] for item in history]
    written = states.count("on_time") + states.count("late")
    totals = {
        "sessions": len(history),
        "written": written,
        "on_time": states.count("on_time"),
        "late": states.count("late"),
        "drafts": states.count("draft"),
        "missing": states.count("missing"),
        "made": sum(item["made"] for item in history),
        "done": sum(item["done"] for item in history),
    }
    names = sorted({row.full_name for row in rows} - {person.full_name})
    return {"history": history, "totals": totals, "other_names": names}
