"""The only writers of comments on shared AARs and on lessons, and the email that tells
the AAR's writer or the lesson's owner.

- ``comment_add``: a staff reader's or a participant's comment on an AAR, or a staff
  reader's on a lesson; the same text from the same person on the same AAR or lesson
  within a minute (a double tap, a resent form) is refused (``DuplicateComment``), so
  it is saved once. The AAR's writer, or the lesson's owner, is told by email once the
  transaction commits (``comment_notify``, in the worker).
- ``comment_hide`` / ``comment_show``: a coordinator's; each is kept as a
  ``CommentEvent`` (who, when, why).
- ``comments_erase``: the participant_erased receiver: blanks what the person wrote.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from aar.followup import personal_email, stop_emails_url
from aar.models import AAR
from lessons.models import Comment, CommentEvent, Lesson
from peerassist.mail import queue_email
from sessions_app.models import ERASED_NAME, Participant

DUPLICATE_WINDOW = datetime.timedelta(minutes=1)


class DuplicateComment(Exception):
    """The same comment was just saved."""


def staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def comment_add(
    *,
    text: str,
    aar: AAR | None = None,
    lesson: Lesson | None = None,
    author=None,
    author_participant: Participant | None = None,
) -> Comment:
    """Save a comment on ``aar`` or on ``lesson`` by a staff member (``author``) or a
    participant (``author_participant``, on an AAR only). The AAR's or lesson's row is
    locked first, so two copies of one post are checked one after the other. Raises
    DuplicateComment (nothing saved) when the same person saved the same text on it
    within ``DUPLICATE_WINDOW``."""
    if (aar is None) == (lesson is None):
        raise ValueError("A comment is on one AAR or on one lesson.")
    target = {"aar": aar} if aar is not None else {"lesson": lesson}
    model = AAR if aar is not None else Lesson
    model.objects.select_for_update().only("pk").get(pk=(aar or lesson).pk)
    same = Comment.objects.filter(
        **target,
        author=author,
        author_participant=author_participant,
        text=text,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    )
    if same.exists():
        raise DuplicateComment
    name = staff_name(author) if author is not None else author_participant.full_name
    comment = Comment.objects.create(
        **target,
        author=author,
        author_participant=author_participant,
        author_name=name[:200],
        text=text,
    )
    comment_pk = comment.pk
    transaction.on_commit(lambda: comment_notify.enqueue(comment_pk))
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str = "") -> bool:
    """Hide a comment from everyone but the coordinators; False when it already was."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.is_hidden:
        return False
    locked.hidden_at = timezone.now()
    locked.hidden_by = by
    locked.save(update_fields=["hidden_at", "hidden_by"])
    CommentEvent.objects.create(
        comment=locked, action=CommentEvent.Action.HIDE, reason=reason[:300], by=by
    )
    return True


@transaction.atomic
def comment_show(*, comment: Comment, by) -> bool:
    """Show a hidden comment again; False when it was not hidden."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if not locked.is_hidden:
        return False
    locked.hidden_at = None
    locked.hidden_by = None
    locked.save(update_fields=["hidden_at", "hidden_by"])
    CommentEvent.objects.create(comment=locked, action=CommentEvent.Action.SHOW, by=by)
    return True


def comments_erase(sender=None, *, participant, **kwargs) -> int:
    """``participant_erased`` receiver, inside ``participant_erase``'s transaction: the
    comments the person wrote keep their place, without their text or name."""
    return Comment.objects.filter(author_participant=participant).update(
        text="", author_name=ERASED_NAME
    )


# --- Telling the writer ---------------------------------------------------------------


def writer_link(participant: Participant, aar: AAR) -> str:
    """The writer's own page of their AAR and its comments, by their personal link."""
    return settings.SITE_URL + reverse("lessons_link:aar", args=[participant.token, aar.pk])


def notify_recipient(comment: Comment) -> Participant | None:
    """The AAR's writer, if they are to be told of this comment: with an email, on the
    roster, not erased, not stopped, and not its author."""
    writer = comment.aar.participant
    if (
        comment.is_hidden
        or not writer.email
        or writer.is_erased
        or writer.removed_at is not None
        or writer.emails_stopped_at is not None
        or comment.author_participant_id == writer.pk
    ):
        return None
    return writer


def owner_to_tell(comment: Comment):
    """The lesson's owner, if they are to be told of this comment: active, with an
    email, and not its author."""
    owner = comment.lesson.owner
    if (
        comment.is_hidden
        or owner is None
        or not owner.is_active
        or not owner.email
        or comment.author_id == owner.pk
    ):
        return None
    return owner


def _lesson_comment_email(comment: Comment, owner) -> EmailMultiAlternatives:
    """The "a new comment on your lesson" email, in the site's language (staff have
    no language of their own)."""
    context = {
        "owner_name": staff_name(owner),
        "lesson": comment.lesson,
        "comment": comment,
        "link": settings.SITE_URL + comment.get_absolute_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/lesson_comment_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("emails/lesson_comment_body.txt", context),
            to=[owner.email],
        )
        message.attach_alternative(
            render_to_string("emails/lesson_comment_body.html", context), "text/html"
        )
    return message


def _notify_lesson_owner(comment: Comment) -> bool:
    owner = owner_to_tell(comment)
    if owner is None:
        return False
    return queue_email(
        _lesson_comment_email(comment, owner), key=f"comment:{comment.pk}", kind="comment"
    )


@task()
def comment_notify(comment_pk: int) -> bool:
    """Queue the "someone commented on your AAR" email to its writer, or the "on your
    lesson" email to its owner (the worker runs this; ``peerassist.mail`` sends it as a
    task of its own). Once a comment: the email's key is the comment's, so a task run
    twice queues one. True when queued."""
    comment = (
        Comment.objects.select_related(
            "aar__participant__session__organiser",
            "aar__participant__session__facilitator",
            "lesson__owner",
        )
        .filter(pk=comment_pk)
        .first()
    )
    if comment is None:
        return False
    if comment.lesson_id is not None:
        return _notify_lesson_owner(comment)
    writer = notify_recipient(comment)
    if writer is None:
        return False
    session = writer.session
    with translation.override(writer.language):
        context = {
            "participant": writer,
            "session": session,
            "comment": comment,
            "link": writer_link(writer, comment.aar),
            "stop_link": stop_emails_url(writer),
        }
        message = personal_email(writer, template="comment", context=context, html=True)
    return queue_email(
        message,
        key=f"comment:{comment.pk}",
        kind="comment",
        session_pk=session.pk,
        participant_pk=writer.pk,
    )
