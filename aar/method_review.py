"""The facilitation team's AAR of the method (issue 17): how this Peer Assist was run, one
review per session, written by the session's editors."""

from django.db import transaction
from django.utils.text import capfirst

from aar.models import MethodReview
from aar.signals import session_text_changed


@transaction.atomic
def method_review_save(*, session, data: dict, user) -> tuple[MethodReview | None, bool]:
    """Write the session's review from ``data`` (``MethodReview.FIELDS``; a part left out
    of ``data`` keeps its text). Returns the review and whether anything changed.

    Only a change is written, so ``updated_by`` and ``updated_at`` say who last changed
    the words, not who last pressed Save. An empty review is not created for a session
    that has none (the review stays ``None``)."""
    values = {name: data[name] for name in MethodReview.FIELDS if name in data}
    rows = MethodReview.objects.select_for_update()
    if not any(text.strip() for text in values.values()):
        review = rows.filter(session=session).first()
        if review is None:
            return None, False
    else:
        # get_or_create: two editors saving the first review at once both end up
        # updating the one row instead of one failing on the primary key.
        review, created = rows.get_or_create(
            session=session, defaults={**values, "updated_by": user}
        )
        if created:
            session_text_changed(session.pk)
            return review, True
    changed = [name for name, text in values.items() if getattr(review, name) != text]
    if not changed:
        return review, False
    for name in changed:
        setattr(review, name, values[name])
    review.updated_by = user
    review.save(update_fields=[*changed, "updated_by", "updated_at"])
    session_text_changed(session.pk)
    return review, True


def method_review_of(session) -> MethodReview | None:
    """The session's review with its writer (one query), or None: what
    ``templates/aar/_method_review.html`` takes as ``method_review``."""
    return MethodReview.objects.filter(session=session).select_related("updated_by").first()


def method_review_parts(review: MethodReview | None) -> list[tuple[str, str]]:
    """(label, text) of each written part, in order: for exports and copies."""
    if review is None:
        return []
    return [
        (str(capfirst(MethodReview._meta.get_field(name).verbose_name)), getattr(review, name))
        for name in MethodReview.FIELDS
        if getattr(review, name).strip()
    ]
