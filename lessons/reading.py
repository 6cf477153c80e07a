"""Who may read one AAR, and who may comment on it: the same rule as the search's
(``lessons.search.readable``), for AARs instead of index rows.

- A staff member reads every AAR of the sessions their organisations organise, drafts
  too, whatever its sharing.
- Of the sessions an organisation of theirs takes part in (the host, a peer, or the
  organisation of anyone on the roster), they read the submitted AARs shared with
  everyone in the participating organisations.
- A session's participants, by their personal link, read its submitted AARs shared with
  the participants or more widely.

Comments go only on submitted AARs shared beyond the organisers. Each reader sees only
the parts the writer did not ask to be shown without their name beside that name;
the anonymous parts are on the session's answers page, with no name.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from aar.models import AAR, Part, parts_of, question_set_of, reader_parts_of
from lessons.models import Comment
from sessions_app.models import AssistSession, Membership, Organisation, Participant

SHARED = (AAR.Sharing.PARTICIPANTS, AAR.Sharing.ORGANISATIONS)


def organisations_of(user):
    return Organisation.objects.filter(memberships__user=user)


def sessions_taking_part(user):
    """The sessions one of the user's organisations takes part in: as host, as a peer,
    or as the organisation of someone on the roster (subqueries: no duplicate rows)."""
    mine = organisations_of(user)
    as_peer = AssistSession.peers.through.objects.filter(organisation__in=mine).values(
        "assistsession_id"
    )
    as_participant = Participant.objects.filter(organisation__in=mine).values("session_id")
    return AssistSession.objects.filter(
        Q(host__in=mine) | Q(pk__in=as_peer) | Q(pk__in=as_participant)
    )


def _organised(user) -> Q:
    return Q(participant__session__organiser__in=organisations_of(user))


def readable_aars(user):
    """The AARs ``user`` may open, annotated with ``organised``: whether the user's
    organisations organise its session."""
    if not user.is_authenticated:
        return AAR.objects.none()
    organised = _organised(user)
    widely_shared = Q(
        status=AAR.Status.SUBMITTED,
        sharing=AAR.Sharing.ORGANISATIONS,
        participant__session__in=sessions_taking_part(user),
    )
    return AAR.objects.filter(organised | widely_shared).annotate(
        organised=ExpressionWrapper(organised, output_field=BooleanField())
    )


def participant_readable_aars(participant: Participant):
    """The AARs of the participant's session that its participants may read (their own
    too, when they shared it): submitted, shared with the participants or more widely,
    of people still on the roster."""
    return (
        AAR.objects.submitted()
        .shared_with_participants()
        .filter(
            participant__session_id=participant.session_id, participant__removed_at__isnull=True
        )
    )


def is_commentable(aar: AAR) -> bool:
    """Comments go only on submitted AARs shared beyond the organisers."""
    return aar.is_submitted and aar.sharing in SHARED


def coordinates(user, session: AssistSession) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=session.organiser_id, role=Membership.Role.COORDINATOR
    ).exists()


def get_aar_for_user(request, pk) -> AAR:
    """The one way a staff page loads an AAR: 404 for anyone who may not read it.
    ``aar.organised`` says whether the user's organisations organise its session."""
    return get_object_or_404(
        readable_aars(request.user).select_related(
            "participant__organisation",
            "participant__session__organiser",
            "participant__session__host",
            "question_set",
        ),
        pk=pk,
    )


def get_comment_for_coordinator(request, pk) -> Comment:
    """A comment for hiding or showing: 404 unless the user may read its AAR; 403 unless
    they coordinate the organisation that organises its session."""
    comment = get_object_or_404(
        Comment.objects.select_related("aar__participant__session"),
        pk=pk,
        aar__in=readable_aars(request.user).values("pk"),
    )
    if not coordinates(request.user, comment.aar.participant.session):
        raise PermissionDenied
    return comment


def get_session_answers_for_user(request, pk) -> tuple[AssistSession, list[AAR]]:
    """A session and the submitted AARs of it the user may read; 404 when that is none
    and the user's organisations do not organise it."""
    session = get_object_or_404(
        AssistSession.objects.select_related("organiser", "host", "question_choice__question_set"),
        pk=pk,
    )
    aars = list(
        readable_aars(request.user)
        .submitted()
        .filter(participant__session=session)
        .select_related("participant__organisation")
        .prefetch_related("commitments")
        .order_by("participant__full_name", "pk")
    )
    if not aars and not AssistSession.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404
    return session, aars


def named_parts(aar: AAR) -> list[tuple[Part, str]]:
    """(part, text) of the answers shown beside the writer's name."""
    return [
        (part, aar.answer(part.key))
        for part in reader_parts_of(aar.question_set)
        if not aar.is_anonymous(part.key)
    ]


def anonymous_keys(aar: AAR) -> list[str]:
    keys = [part.key for part in parts_of(aar.question_set) if aar.is_anonymous(part.key)]
    if aar.is_anonymous(AAR.COMMITMENTS_KEY):
        keys.append(AAR.COMMITMENTS_KEY)
    return keys


def fully_anonymous(aar: AAR) -> bool:
    """Every part is shown without the name: the name is shown nowhere with it."""
    parts = parts_of(aar.question_set)
    return bool(parts) and all(aar.is_anonymous(part.key) for part in parts)


def _group(key, label, named, anonymous: list[tuple[int, str]]) -> dict:
    """One question's answers. ``anonymous``: (AAR pk, text); held back while fewer than
    ``AAR.ANONYMOUS_MIN`` people answered that way."""
    writers = len({pk for pk, _text in anonymous})
    held = writers if writers < AAR.ANONYMOUS_MIN else 0
    return {
        "key": key,
        "label": label,
        "named": named,
        "anonymous": [] if held else sorted(text for _pk, text in anonymous),
        "held_back": held,
    }


def answers_by_question(session: AssistSession, aars: list[AAR]) -> list[dict]:
    """For the session's answers page: each question with its named answers (with the
    AAR, for the writer's name and link) and its anonymous ones after, by text, without
    any AAR (or, with too few of them to hide among, only how many are held back); then
    the commitments the same way."""
    groups = []
    for part in reader_parts_of(question_set_of(session)):
        named, anonymous = [], []
        for aar in aars:
            text = aar.answer(part.key).strip()
            if not text:
                continue
            if aar.is_anonymous(part.key):
                anonymous.append((aar.pk, text))
            else:
                named.append((aar, text))
        groups.append(_group(part.key, part.label, named, anonymous))
    named, anonymous = [], []
    for aar in aars:
        texts = [c.text for c in aar.commitments.all() if c.text.strip()]
        if not texts:
            continue
        if aar.is_anonymous(AAR.COMMITMENTS_KEY):
            anonymous.extend((aar.pk, text) for text in texts)
        else:
            named.extend((aar, text) for text in texts)
    groups.append(_group(AAR.COMMITMENTS_KEY, None, named, anonymous))  # the template names it
    return groups


def visible_comments(aar: AAR, *, see_hidden: bool = False):
    rows = aar.comments.select_related("author_participant")
    if see_hidden:
        return rows.prefetch_related("events__by")
    return rows.filter(hidden_at__isnull=True)


def with_comment_counts(aars):
    return aars.annotate(
        comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True))
    )


def comments_for_page(aar: AAR, *, see_hidden: bool, name_shown: bool) -> list:
    """The comments a reader sees, each with ``shown_name``: on a page that shows no
    name, the writer's own comments are signed "The writer", never with their name."""
    comments = list(visible_comments(aar, see_hidden=see_hidden))
    for comment in comments:
        comment.shown_name = comment.author_name
        if not name_shown and comment.author_participant_id == aar.participant_id:
            comment.shown_name = _("The writer")
        comment.erased = not comment.text
    return comments


def reader_context(aar: AAR, *, see_hidden: bool = False) -> dict:
    """What a page of one AAR for its readers shows (the staff page and the personal
    link's): the writer only when some part carries the name, the named parts, whether
    others are shown apart, the commitments unless shown without the name, and the
    comments (``see_hidden``: hidden ones too, for its coordinators). Also
    ``name_shown``, for the page's title."""
    name_shown = not fully_anonymous(aar)
    commitments = []
    if not aar.is_anonymous(AAR.COMMITMENTS_KEY):
        commitments = list(aar.commitments.all())
    return {
        "aar": aar,
        "name_shown": name_shown,
        "writer": aar.participant if name_shown else None,
        "named_parts": named_parts(aar),
        "some_anonymous": bool(anonymous_keys(aar)),
        "commitments": commitments,
        "comments": comments_for_page(aar, see_hidden=see_hidden, name_shown=name_shown),
    }
