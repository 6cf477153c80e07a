"""Staff pages: "has this been solved before?" (/lessons/solved-before/) and the peer
finder (/lessons/peers/). Neither changes anything; what they show is
``lessons.suggest``'s, under the search's rules of reading."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lessons import search, suggest
from lessons.suggest_forms import PeerFinderForm

# Where the typed text comes from when it is not ``text``: the session form's purpose,
# the host's brief's problem and what the host wants to learn (their fields' names).
TYPED_FIELDS = ("purpose", "brief_problem", "brief_learn")
SNIPPET = 160  # characters of a past session's purpose shown


def _typed_text(data) -> str:
    text = data.get("text")
    if text is None:
        text = "\n".join(data.get(name, "") for name in TYPED_FIELDS)
    return text if isinstance(text, str) else ""


def _from_session(data) -> int | None:
    """The session being edited, sent by its form's button as ``from``: left out of its
    own suggestions. "new" (or anything not a number) is a new session."""
    raw = data.get("from") or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def lesson_url(lesson) -> str:
    """A lesson's page (the lessons offered are the user's organisations', which they
    may open)."""
    return reverse("lessons:lesson_detail", args=[lesson.pk])


def session_url(session) -> str:
    """The session's page for its organisers; its shared answers for the staff of an
    organisation that took part (the page they may open)."""
    if session.organised:
        return session.get_absolute_url()
    return reverse("lessons:session_answers", args=[session.pk])


def _suggestions(found: suggest.Related) -> dict:
    return {
        "words": found.words,
        "searches": [
            (word, reverse("lessons:search") + "?" + urlencode({"q": word})) for word in found.words
        ],
        "lessons": [{"lesson": lesson, "url": lesson_url(lesson)} for lesson in found.lessons],
        "sessions": [
            {
                "session": session,
                "url": session_url(session),
                # The purpose only where the user's organisations organise the session.
                "pieces": (
                    search.snippet(session.purpose, found.words, width=SNIPPET)
                    if session.organised
                    else []
                ),
            }
            for session in found.sessions
        ],
        "empty": found.empty,
    }


@login_required
@require_http_methods(["GET", "POST"])
def solved_before(request):
    """Related lessons and past sessions for a text. GET ``?text=``: the page, or with
    ``partial=1`` only its list, for the forms' script to show under the field. POST:
    the session form's and the brief's "Has this been solved before?" button, and
    their script (``partial=1``: the list). Nothing is saved: the button's POST goes on
    to the page's address with the key words only, so the form's CSRF token and the
    whole text are never in an address (logs, history), and the browser's Back returns
    to the form as it was typed."""
    data = request.POST if request.method == "POST" else request.GET
    exclude = _from_session(data)
    found = suggest.related(request.user, _typed_text(data), exclude=exclude)
    partial = data.get("partial") == "1"
    if request.method == "POST" and not partial:
        params = {"text": " ".join(found.words), "from": exclude or "new"}
        response = HttpResponseRedirect(reverse("lessons:solved_before") + "?" + urlencode(params))
        response.status_code = 303  # See Other: the page, by GET
        return response
    context = _suggestions(found)
    if partial:
        return render(request, "lessons/_solved_before.html", context)
    context.update(
        {
            "title": _("Has this been solved before?"),
            "text": _typed_text(data)[: suggest.MAX_TEXT],
            "from_form": "from" in data,
        }
    )
    return render(request, "lessons/solved_before.html", context)


@login_required
@require_GET
def peer_finder(request):
    form = PeerFinderForm(request.GET or None)
    peers = None
    if form.is_bound and form.is_valid() and form.cleaned_data["topic"]:
        peers = suggest.peers_for(request.user, "", words=form.cleaned_data["topic"])
    if peers is not None:
        title = _("Peer finder: %(topic)s") % {"topic": Truncator(" ".join(peers.words)).chars(60)}
    else:
        title = _("Peer finder")
    return render(
        request,
        "lessons/peer_finder.html",
        {
            "title": title,
            "form": form,
            "peers": peers,
            "peer_rows": f"{suggest.PEER_ROWS:,}",
            "notices": (
                [
                    _("Only the first %(limit)s characters were searched.")
                    % {"limit": f"{search.MAX_QUERY:,}"}
                ]
                if getattr(form, "truncated", False)
                else []
            ),
        },
    )
