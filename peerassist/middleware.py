import logging
import threading

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

logger = logging.getLogger("peerassist.database")


class ThaiFirstLocaleMiddleware:
    """Activate the language the user chose (cookie); on a first visit, English for a
    browser that prefers English; else Thai.

    Django's LocaleMiddleware would take any English anywhere in Accept-Language, and
    many Thai phones list it after Thai; only a browser whose first choice is English
    gets English. A view may still activate another language (the participant's).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in dict(settings.LANGUAGES):
            language = chosen
        else:
            language = browser_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language",))
        translation.deactivate()
        return response


def browser_language(accept_language: str) -> str:
    """English when the browser's most preferred language is English, else Thai."""
    # Highest q first (stable: the first listed wins a tie); q=0 means "not this one".
    preferences = [
        code for code, q in parse_accept_lang_header(accept_language.lower()[:500]) if q > 0
    ]
    if preferences and (preferences[0] == "en" or preferences[0].startswith("en-")):
        return "en"
    return settings.LANGUAGE_CODE


class DatabaseFailureMiddleware:
    """When the database fails (locked past the busy timeout, disk full, connection
    lost), answer 503 in the user's language instead of the generic 500. For a form
    post, the page says nothing was saved yet, shows every word that was sent, back in a
    form that posts to the same address, so "Try again" sends it all once more.

    On SQLite, a form post first takes one of SQLITE_WRITE_SLOTS per-process slots
    (waiting up to SQLITE_SLOT_WAIT_SECONDS): posts queued behind one long write then
    hold at most that many threads, and the others keep serving pages. A post that gets no slot has the
    same answer as a failed one.

    Views with a better answer (the AAR page re-renders its own form) catch the error
    themselves; this covers every other form. The page is rendered without touching the
    database: no user, no session messages.
    """

    # Never echoed back: credentials and the tokens the retry form gets afresh.
    HIDDEN_FIELDS = ("csrfmiddlewaretoken",)
    SECRET_WORDS = ("password", "secret", "token")
    CONTROL_FIELDS = ("action",)  # which button was pressed: sent again, not shown
    # Labels for the fields apps know, e.g. the AAR's parts (aar.apps registers them).
    labels: dict = {}

    def __init__(self, get_response):
        self.get_response = get_response
        self.slot_wait = settings.SQLITE_SLOT_WAIT_SECONDS
        self.slots = (
            threading.BoundedSemaphore(settings.SQLITE_WRITE_SLOTS)
            if settings.USES_SQLITE
            else None
        )

    def __call__(self, request):
        if self.slots is None or request.method != "POST":
            return self.get_response(request)
        if not self.slots.acquire(timeout=self.slot_wait):
            logger.warning("No SQLite writer slot for %s within %s s", request.path, self.slot_wait)
            return self.unavailable(request)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database failure on %s %s", request.method, request.path, exc_info=exception)
        return self.unavailable(request)

    def unavailable(self, request):
        fields = []
        if request.method == "POST":
            for name, values in request.POST.lists():
                if name in self.HIDDEN_FIELDS or any(w in name for w in self.SECRET_WORDS):
                    continue
                for value in values:
                    fields.append(
                        {
                            "name": name,
                            "label": self.labels.get(name, name),
                            "value": value,
                            "hidden": len(values) > 1 or name in self.CONTROL_FIELDS,
                            "long": len(value) > 60 or "\n" in value,
                        }
                    )
        response = render(
            request,
            "503.html",
            {
                "title": _("Not saved yet: please try again"),
                "is_post": request.method == "POST",
                "fields": fields,
                "had_files": bool(request.method == "POST" and request.FILES),
            },
            status=503,
        )
        response["Retry-After"] = "10"
        response["Cache-Control"] = "no-store"
        return response
