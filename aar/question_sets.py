"""Question sets: the built-in ones (KMI's four parts, the US Army's four questions),
the custom sets an organisation's coordinators define, and a session's choice of one.

A set's prompts are what every AAR written in it answers, so a set an AAR was written in
never changes, and a session's choice is fixed once its first AAR exists."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q
from django.shortcuts import get_object_or_404

from aar.models import AAR, QuestionSet, SessionQuestionSet
from sessions_app.models import AssistSession, Membership, Organisation


class QuestionSetInUse(Exception):
    """An AAR was written in this set: its prompts must stay as they were answered."""


class QuestionsFixed(Exception):
    """The session already has an AAR, so its question set cannot change."""


def coordinated_organisations(user):
    """The organisations ``user`` coordinates: those whose custom sets they manage."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    )


def with_in_use(queryset):
    """Annotate ``in_use``: whether any AAR was written in the set."""
    return queryset.annotate(in_use=Exists(AAR.objects.filter(question_set=OuterRef("pk"))))


def question_set_in_use(question_set: QuestionSet) -> bool:
    return AAR.objects.filter(question_set=question_set).exists()


def get_question_set_for_user(request, pk, *, edit: bool = False) -> tuple[QuestionSet, bool]:
    """A custom set (the built-in ones are not objects anyone edits): 404 unless it is
    one of the user's organisations'; with ``edit``, 403 unless they coordinate it."""
    question_set = get_object_or_404(
        QuestionSet.objects.for_user(request.user)
        .filter(organisation__isnull=False)
        .select_related("organisation"),
        pk=pk,
    )
    can_edit = (
        coordinated_organisations(request.user).filter(pk=question_set.organisation_id).exists()
    )
    if edit and not can_edit:
        raise PermissionDenied
    return question_set, can_edit


def question_sets_for_session(session: AssistSession):
    """The sets a session may use: the built-in ones and its organiser's custom sets."""
    return QuestionSet.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=session.organiser_id)
    )


def chosen_question_set(session: AssistSession) -> QuestionSet:
    """The session's set, as a row: KMI's when it has made no choice."""
    choice = (
        SessionQuestionSet.objects.filter(session=session).select_related("question_set").first()
    )
    return choice.question_set if choice else QuestionSet.objects.get_or_create(slug="kmi")[0]


def _new_slug() -> str:
    return f"custom-{uuid.uuid4().hex[:12]}"


@transaction.atomic
def question_set_create(
    *, organisation: Organisation, name_th: str, name_en: str, prompts: list[dict], created_by
) -> QuestionSet:
    """A custom set of ``organisation``; ``prompts``: [{"th", "en"}] in order (the form
    checks there are 2–8, each in both languages)."""
    return QuestionSet.objects.create(
        slug=_new_slug(),
        organisation=organisation,
        name_th=name_th,
        name_en=name_en,
        prompts=prompts,
        created_by=created_by,
    )


def _locked(question_set: QuestionSet) -> QuestionSet:
    """The set's row, locked (PostgreSQL), and refused if an AAR was written in it."""
    locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
    if locked.is_built_in:
        raise QuestionSetInUse
    if question_set_in_use(locked):
        raise QuestionSetInUse
    return locked


@transaction.atomic
def question_set_update(
    *, question_set: QuestionSet, name_th: str, name_en: str, prompts: list[dict]
) -> QuestionSet:
    """Change a custom set's names and prompts: only while no AAR was written in it."""
    locked = _locked(question_set)
    locked.name_th = name_th
    locked.name_en = name_en
    locked.prompts = prompts
    locked.save(update_fields=["name_th", "name_en", "prompts"])
    return locked


@transaction.atomic
def question_set_delete(*, question_set: QuestionSet) -> int:
    """Delete a custom set no AAR was written in. The sessions that had chosen it go
    back to the default (KMI's four parts); returns how many."""
    locked = _locked(question_set)
    choices = SessionQuestionSet.objects.filter(question_set=locked)
    sessions = choices.count()
    choices.delete()
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError:  # an AAR was written in it meanwhile
        raise QuestionSetInUse from None
    return sessions


@transaction.atomic
def question_set_choose(*, session: AssistSession, question_set: QuestionSet) -> None:
    """The session's questions, until its first AAR is written (then QuestionsFixed).

    KMI's four parts are the default, kept as no choice at all (no SessionQuestionSet
    row), as for every session from before question sets existed. The session's row is
    locked so that two choices at once end as one."""
    locked = (
        AssistSession.objects.select_for_update(no_key=True)
        .only("pk", "organiser_id")
        .get(pk=session.pk)
    )
    if AAR.objects.filter(participant__session=locked).exists():
        raise QuestionsFixed
    if not question_sets_for_session(locked).filter(pk=question_set.pk).exists():
        raise ValueError("This set belongs to another organisation.")
    if question_set.slug == "kmi":
        SessionQuestionSet.objects.filter(session=locked).delete()
        return
    SessionQuestionSet.objects.update_or_create(
        session=locked, defaults={"question_set": question_set}
    )
