"""What is held about one participant, gathered for their PDPA right of access.

Pure: reads, never writes. Both the readable page and the JSON download are made from
``participant_data``, so they cannot disagree.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aar.models import AAR, ReminderLog, parts_of
from sessions_app.models import Participant

# What readers see instead of the writer of an answer shown without their name.
ANONYMOUS = _("Anonymous")

STATUS_LABELS = dict(AAR.Status.choices)
CHANNEL_LABELS = dict(ReminderLog.Channel.choices)


def _aar(participant: Participant) -> AAR | None:
    try:
        return participant.aar
    except AAR.DoesNotExist:
        return None


def _text(row, parts) -> dict:
    """The answers by question key (KMI's: goal, achieved, not_achieved, next_steps)."""
    return {part.key: row.answer(part.key) for part in parts}


# --- Shown without the name: what readers other than the writer may see -------------


def text_order(text: str) -> tuple[str, str]:
    """The order of answers shown without names: by their words, so that their place
    says nothing of who wrote them (never the writers' alphabetical order)."""
    return (text.casefold(), text)


def named_parts(aar) -> list[tuple[str, str, bool]]:
    """(numbered label, text, False) of the parts shown under the writer's name."""
    return [
        (f"{number}. {part.label}", aar.answer(part.key), False)
        for number, part in enumerate(parts_of(aar.question_set), start=1)
        if not aar.is_anonymous(part.key)
    ]


def own_parts(aar) -> list[tuple[str, str, bool]]:
    """(numbered label, text, shown without name) of every part: the writer's own view."""
    return [
        (f"{number}. {part.label}", aar.answer(part.key), aar.is_anonymous(part.key))
        for number, part in enumerate(parts_of(aar.question_set), start=1)
    ]


def anonymous_answers(aars) -> list[dict]:
    """The answers shown without names, by question ({"key", "label", "answers",
    "held_back"}), in the questions' order, each question's answers ordered by their
    text. Nothing of the writer comes along: only the words. A question answered so by
    fewer than ``AAR.ANONYMOUS_MIN`` people has no answers, only ``held_back``: how
    many are held back."""
    questions: dict[str, dict] = {}
    for aar in aars:
        if not aar.anonymous:
            continue
        for position, part in enumerate(parts_of(aar.question_set)):
            text = aar.answer(part.key)
            if aar.is_anonymous(part.key) and text.strip():
                question = questions.setdefault(
                    part.key,
                    {"key": part.key, "label": part.label, "position": position, "answers": []},
                )
                question["answers"].append(text)
    for question in questions.values():
        question["answers"].sort(key=text_order)
        # Too few to hide among: the named rest of the AARs would tell who wrote them.
        held = len(question["answers"])
        question["held_back"] = held if held < AAR.ANONYMOUS_MIN else 0
        if question["held_back"]:
            question["answers"] = []
    return sorted(questions.values(), key=lambda question: question["position"])


def participant_data(participant: Participant) -> dict:
    """Everything held about ``participant``, as plain values (dates stay date and
    datetime objects: the page formats them, the JSON view writes them as ISO 8601).

    Load the participant with ``select_related("session__host", "organisation",
    "aar")``; this then costs four queries (versions, reminders, commitments and their
    answers), however many rows
    there are. Labels (role, status...) are in the active language.
    """
    session = participant.session
    aar = _aar(participant)
    parts = parts_of(aar.question_set) if aar is not None else ()
    keys = [part.key for part in parts]
    versions = (
        [
            {
                **_text(version, parts),
                "status": version.status,
                "status_label": str(STATUS_LABELS.get(version.status, version.status)),
                "saved_by": version.saved_by,
                "saved_at": version.saved_at,
            }
            for version in aar.versions.order_by("saved_at", "pk")
        ]
        if aar is not None
        else []
    )
    # Who sent a reminder is the organisers' staff, not the participant's data: the
    # download says only whether a person or the scheduler sent it.
    reminders = [
        {
            "sent_at": sent_at,
            "channel": channel,
            "channel_label": str(CHANNEL_LABELS.get(channel, channel)),
            "automatic": sent_by_id is None,
        }
        for sent_at, channel, sent_by_id in ReminderLog.objects.filter(participant=participant)
        .order_by("sent_at", "pk")
        .values_list("sent_at", "channel", "sent_by_id")
    ]
    commitments = (
        [
            {
                "text": c.text,
                "due_date": c.due_date,
                "status": c.status,
                "status_label": str(c.get_status_display()),
                "outcome": c.outcome,
                "answered_at": c.answered_at,
                "answers": [
                    {
                        "status": a.status,
                        "status_label": str(a.get_status_display()),
                        "outcome": a.outcome,
                        "saved_at": a.saved_at,
                    }
                    for a in c.answers.all()
                ],
            }
            for c in aar.commitments.prefetch_related("answers")
        ]
        if aar is not None
        else []
    )
    # The recommendations they gave in the session, with what the host made of them.
    recommendations = [
        {
            "text": r.text,
            "theme": r.theme,
            "recorded_at": r.created_at,
            "removed": r.removed_at is not None,
            "response": r.response,
            "response_label": str(r.get_response_display()) if r.response else "",
            "response_reason": r.response_reason,
        }
        for r in participant.recommendations_given.order_by("position", "pk")
    ]
    return {
        "generated_at": timezone.now(),
        "participant": {
            "full_name": participant.full_name,
            "email": participant.email,
            "organisation": participant.organisation.label if participant.organisation else "",
            "role": participant.role,
            "role_label": participant.get_role_display(),
            "language": participant.language,
            "joined_by_walkin": participant.joined_by_walkin,
            "added_at": participant.created_at,
            "invited_at": participant.invited_at,
            "reminders_sent": participant.reminders_sent,
            "last_reminded_at": participant.last_reminded_at,
            "removed_at": participant.removed_at,
            "expectation": participant.expectation,
            "expectation_at": participant.expectation_at,
        },
        # The labels of the AAR's questions, in order, by their keys in "aar".
        "questions": [{"key": part.key, "label": str(part.label)} for part in parts],
        "session": {
            "title": session.title,
            "date": session.date,
            "host": session.host.label,
            "aar_deadline": session.aar_deadline,
        },
        "aar": (
            {
                **_text(aar, parts),
                "entered_by": aar.entered_by.get_full_name() or aar.entered_by.get_username()
                if aar.entered_by_id
                else "",
                "status": aar.status,
                "status_label": str(aar.get_status_display()),
                "sharing": aar.sharing,
                "sharing_label": str(aar.get_sharing_display()),
                # The parts shown to readers without the name: question keys, and
                # "commitments" for the commitments.
                "anonymous": [key for key in (*keys, AAR.COMMITMENTS_KEY) if aar.is_anonymous(key)],
                "submitted_at": aar.submitted_at,
                "created_at": aar.created_at,
                "updated_at": aar.updated_at,
            }
            if aar is not None
            else None
        ),
        "aar_versions": versions,
        "reminders": reminders,
        "commitments": commitments,
        "recommendations": recommendations,
        # Features still to come. Each adds its rows here, as a list of plain dicts
        # gathered with one query, and a section to templates/aar/my_data.html; the
        # JSON download picks them up with no other change.
        "comments": [],
    }
