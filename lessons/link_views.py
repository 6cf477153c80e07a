"""A participant's pages of the session's shared AARs and their comments, by their
personal link (/aar/<token>/shared/…): the same decorators as ``aar.views.thanks``."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from aar.personal_link import language_for, link_not_found, personal_link, token_response
from lessons.comment_forms import CommentForm
from lessons.comment_views import comment_post
from lessons.reading import (
    answers_by_question,
    fully_anonymous,
    named_parts,
    participant_readable_aars,
    reader_context,
    with_comment_counts,
)
from peerassist.ratelimit import ratelimit


def _other(language: str) -> str:
    return "en" if language == "th" else "th"


@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_GET
@personal_link
def shared(request, participant):
    """The session's AARs shared with its participants: each one's named parts with the
    writer's name, and the parts shown without a name apart, by question, with none."""
    language = language_for(request, participant)
    session = participant.session
    aars = list(
        with_comment_counts(participant_readable_aars(participant))
        .select_related("participant__organisation", "question_set")
        .prefetch_related("commitments")
        .order_by("submitted_at", "pk")
    )
    own = next((aar for aar in aars if aar.participant_id == participant.pk), None)
    with translation.override(language):
        cards = []
        for aar in aars:
            if aar is own or fully_anonymous(aar):
                continue
            aar.named = named_parts(aar)
            cards.append(aar)
        # Without the reader's own: they know which answer is theirs, so they must hide
        # among as many others.
        groups = answers_by_question(session, [aar for aar in aars if aar is not own])
        context = {
            "title": _("What the others shared"),
            "participant": participant,
            "session": session,
            "own": own,
            "cards": cards,
            "groups": [g for g in groups if g["anonymous"] or g["held_back"]],
            "other_language": _other(language),
            "language": language,
        }
    return token_response(
        request, "lessons/link_aar.html", {**context, "listing": True}, language=language
    )


# As ``aar.views.entry``: the 192-bit token in the URL is the credential, with no cookie
# for a cross-site request to ride, so CSRF protection adds nothing here.
@csrf_exempt
@ratelimit("token", "RATELIMIT_TOKEN_PER_MINUTE")
@require_http_methods(["GET", "POST"])
@personal_link
def shared_aar(request, participant, aar_pk):
    """One shared AAR of the session (named parts only), its comments and the form."""
    language = language_for(request, participant)
    aar = (
        participant_readable_aars(participant)
        .select_related("participant__organisation", "question_set")
        .filter(pk=aar_pk)
        .first()
    )
    if aar is None:
        return link_not_found(request)
    url = reverse("lessons_link:aar", args=[participant.token, aar.pk]) + f"?lang={language}"
    form = CommentForm()
    with translation.override(language):
        if request.method == "POST":
            form = CommentForm(request.POST)
            if form.is_valid():
                comment_post(request, form, aar=aar, author_participant=participant)
                response = HttpResponseRedirect(url + "#comments")
                response["Referrer-Policy"] = "no-referrer"
                response["Cache-Control"] = "private, no-store"
                return response
        is_own = aar.participant_id == participant.pk
        context = reader_context(aar)
        if is_own:
            title = _("Comments on your AAR")
        elif context["name_shown"]:
            title = _("AAR of %(name)s") % {"name": aar.participant.full_name}
        else:
            title = _("AAR shown without a name")
        context = {
            **context,
            "title": title,
            "participant": participant,
            "session": participant.session,
            "is_own": is_own,
            "form": form,
            "action": url,
            "other_language": _other(language),
            "language": language,
        }
    return token_response(request, "lessons/link_aar.html", context, language=language)
