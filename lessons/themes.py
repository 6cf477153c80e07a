"""Themes: the words (and, with ``PHRASES`` on, two-word phrases) used most often in what
was not achieved (and why) and in the next steps, by organisation and month (issue 19,
item 4).

``ThemeCount`` holds, for each organisation, month of the session and part, how many
submitted AARs' answers used each word (once an answer, however often it repeats it).
It is kept by ``lessons.index``, the one writer of the search index, in the writer's
transaction: an AAR's answer rows there say what was counted for it (the rows of a draft
are marked, ``lessons.index.DRAFT_POSITION``), so each change adds the new rows' words
and takes out the old rows' words, and a late AAR is counted the moment it arrives.
``rebuild_themes`` counts everything again (``manage.py search_rebuild``), and
``recount_month`` one organisation's month (after an AAR is deleted: its rows went with
it, so there is nothing to take out). The answers counted are those of the built-in
sets' questions in ``THEME_PARTS``, and of an organisation's own set the prompts its
coordinators marked as counting in one of the two parts (``QuestionSet.prompt_themes``;
a set's prompts never change once an AAR is written in it, so neither does what its
answers counted as).
A session that moves to another organiser or month, or is deleted with its AARs (the
admin's delete), moves its words by ``theme_counts_move`` and
``theme_counts_forget_session``, called before the change (``on_session_moving``,
``on_session_deleting``).

Reading is one grouped query over the months of the period (``top_themes``).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db import transaction
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Greatest

from aar.models import AAR, QuestionSet
from lessons.models import ThemeCount
from lessons.words import THAI, segment
from lessons.words import _stop_words as thai_stop_words
from sessions_app.models import AssistSession

NOT_ACHIEVED = "not_achieved"
NEXT_STEPS = "next_steps"
PARTS = (NOT_ACHIEVED, NEXT_STEPS)
# The answers counted, by question key: KMI's four parts and the US Army's questions.
THEME_PARTS = {
    "not_achieved": NOT_ACHIEVED,
    "why_different": NOT_ACHIEVED,
    "next_steps": NEXT_STEPS,
    "sustain_improve": NEXT_STEPS,
}
WORD_MAX = ThemeCount._meta.get_field("word").max_length
# English words that say nothing on their own (Thai's come from PyThaiNLP).
_ENGLISH = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during each
    few for from further get got had has have having he her here hers him his how i if in
    into is it its itself just let me more most much must my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their
    theirs them then there these they this those through to too under until up us very was
    we were what when where which while who whom why will with would yet you your yours
    will won't don't didn't can't isn't wasn't"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH.split())
# Thai words that PyThaiNLP's list keeps but that every AAR answer uses ("เรื่อง": about,
# a matter; "ทำ": do), so they top every list and say nothing.
THAI_EXTRA_STOP_WORDS = frozenset({"เรื่อง", "ทำ"})
# Answers seen again (the same text in many AARs, and rebuilds) are segmented once.
_CACHE_SIZE = 20_000
# Two-word phrases are counted too only when this is on: not cheap. 20,000 AARs of one
# organisation in one year (scratch SQLite, texts of 6-20 words drawn from 3,000): 72,000
# rows of words, top_themes 23 ms a part; with phrases 540,000 rows and 550 ms a part,
# against a page's goal of 20x /healthz (34 ms in BENCHMARKS.md). Turning it on needs
# ``rebuild_themes()``.
PHRASES = False


def _keep(token: str) -> bool:
    """A word worth counting: two characters or more, with a letter (no numbers or
    punctuation), not a stop word."""
    return (
        len(token) >= 2
        and any(ch.isalpha() for ch in token)
        and token not in ENGLISH_STOP_WORDS
        and token not in THAI_EXTRA_STOP_WORDS
        and token not in thai_stop_words()
    )


def theme_words(text: str, phrases: bool | None = None) -> frozenset[str]:
    """The words of ``text`` worth counting, each once, and (``phrases``, by default
    ``PHRASES``) the two-word phrases of words next to each other, joined by a space.
    Thai is segmented by PyThaiNLP's ``newmm``; English is lowercased. A stop word, a
    number or punctuation between two words breaks the phrase, and so does a space next
    to Thai (Thai puts spaces between phrases and sentences, not between words)."""
    return _theme_words(text or "", PHRASES if phrases is None else phrases)


@lru_cache(maxsize=_CACHE_SIZE)
def _theme_words(text: str, phrases: bool) -> frozenset[str]:
    words: set[str] = set()
    previous = None
    for chunk in text.split():
        for n, raw in enumerate(segment(chunk)):
            token = raw.strip().lower()
            if n == 0 and previous is not None and (THAI.search(previous) or THAI.search(token)):
                previous = None
            if not _keep(token) or len(token) > WORD_MAX:
                previous = None
                continue
            words.add(token)
            if phrases and previous is not None:
                phrase = f"{previous} {token}"
                if len(phrase) <= WORD_MAX:
                    words.add(phrase)
            previous = token
    return frozenset(words)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def theme_parts(question_set: QuestionSet | None) -> dict[str, str]:
    """Question key → theme part, for the answers of an AAR written in ``question_set``
    (None: KMI's four parts, the default)."""
    if question_set is None or question_set.is_built_in:
        return THEME_PARTS
    return question_set.prompt_themes()


def _custom_theme_parts() -> dict[int, dict[str, str]]:
    """The custom sets' ``theme_parts`` by set id (a few dozen sets; one query)."""
    return {qs.pk: theme_parts(qs) for qs in QuestionSet.objects.filter(organisation__isnull=False)}


# The search's "part" for the answers counted as a theme part, whatever their question
# set: "theme:not_achieved", "theme:next_steps" (a theme's link searches with it).
THEME_FILTER = "theme:"


def counted_as(part: str) -> Q:
    """Search rows (``SearchEntry``) of the answers counted as theme ``part``: the
    built-in sets' questions of that part, and the custom sets' prompts marked so (one
    query, for the custom sets)."""
    found = Q(part__in=[key for key, theme in THEME_PARTS.items() if theme == part])
    for question_set_id, parts in _custom_theme_parts().items():
        keys = [key for key, theme in parts.items() if theme == part]
        if keys:
            found |= Q(aar__question_set_id=question_set_id, part__in=keys)
    return found


def answers_delta(
    removed: Iterable[tuple[str, str]],
    added: Iterable[tuple[str, str]],
    parts: dict[str, str] = THEME_PARTS,
) -> Counter:
    """(theme part, word) → change, from the answers taken out and put in, each as
    (question key, text); ``parts`` (``theme_parts``) says which keys count, and as
    which part. Keys that are not counted are left out."""
    delta: Counter = Counter()
    for sign, answers in ((-1, removed), (1, added)):
        for key, text in answers:
            part = parts.get(key)
            if part is not None:
                for word in theme_words(text):
                    delta[part, word] += sign
    return delta


@transaction.atomic(savepoint=False)
def counts_changed(*, organisation_id: int, month: datetime.date, delta: Counter) -> int:
    """Add ``delta`` ((part, word) → change) to the organisation's month, in the
    caller's transaction. A few queries whatever the number of words: the missing rows
    are made at 0 (a row made meanwhile by another writer is kept), then one UPDATE of
    ``count + n`` for each change n (usually +1 and −1). A row brought to 0 stays and is
    not read: deleting it could lose another writer's +1 to the same row. Never below 0:
    a count that drifted (see ``recount_month``) must not make a save fail. Returns how
    many words changed."""
    delta = {key: n for key, n in delta.items() if n}
    if not delta:
        return 0
    rows = ThemeCount.objects.filter(organisation_id=organisation_id, month=month)
    new = [
        ThemeCount(organisation_id=organisation_id, month=month, part=part, word=word, count=0)
        for (part, word), n in delta.items()
        if n > 0
    ]
    if new:
        ThemeCount.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    by_change: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (part, word), n in delta.items():
        by_change[n][part].append(word)
    for n, words in sorted(by_change.items()):
        for part, chosen in words.items():
            for start in range(0, len(chosen), 500):
                rows.filter(part=part, word__in=chosen[start : start + 500]).update(
                    count=Greatest(F("count") + n, Value(0))
                )
    return len(delta)


def top_themes(
    organisation, date_from: datetime.date | None, date_to: datetime.date | None, part: str,
    limit: int = 30,
) -> list[tuple[str, int]]:  # fmt: skip
    """The words and phrases of ``part`` used by the most AARs of the sessions
    ``organisation`` organised from ``date_from`` to ``date_to`` (by whole months: the
    month of each date counts whole), most first, then by the word. One query, on the
    unique index (organisation, part, month, word)."""
    rows = ThemeCount.objects.filter(organisation=organisation, part=part, count__gt=0)
    if date_from is not None:
        rows = rows.filter(month__gte=month_of(date_from))
    if date_to is not None:
        rows = rows.filter(month__lte=date_to)
    return list(
        rows.values("word")
        .annotate(total=Sum("count"))
        .order_by("-total", "word")
        .values_list("word", "total")[:limit]
    )


# --- Counting again from the AARs -------------------------------------------------------


_VALUES = (
    "participant__session__organiser_id",
    "participant__session__date",
    "question_set_id",
    "answers",
)


def _submitted():
    return AAR.objects.submitted()


def _submitted_answers():
    return _submitted().values_list(*_VALUES)


def _count(rows) -> dict[tuple, Counter]:
    """(organisation, month) → Counter of (part, word), from (organiser, date, question
    set, answers)."""
    counts: dict[tuple, Counter] = defaultdict(Counter)
    custom = _custom_theme_parts()
    for organisation_id, date, question_set_id, answers in rows:
        answers = answers if isinstance(answers, dict) else {}
        parts = custom.get(question_set_id, THEME_PARTS)
        counts[organisation_id, month_of(date)].update(
            answers_delta((), ((key, answers.get(key) or "") for key in parts), parts)
        )
    return counts


def _write(counts: dict[tuple, Counter]) -> None:
    ThemeCount.objects.bulk_create(
        (
            ThemeCount(organisation_id=org, month=month, part=part, word=word, count=n)
            for (org, month), words in counts.items()
            for (part, word), n in words.items()
            if n > 0
        ),
        batch_size=2000,
    )


@transaction.atomic
def recount_month(*, organisation_id: int, month: datetime.date) -> None:
    """Count one organisation's month again from its submitted AARs: after an AAR is
    deleted (its index rows, which said what was counted, went with it) and for
    repairs. Segments every answer of that month (a big organisation's month: a few
    hundred AARs, well under a second)."""
    ThemeCount.objects.filter(organisation_id=organisation_id, month=month).delete()
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    _write(
        _count(
            _submitted_answers().filter(
                participant__session__organiser_id=organisation_id,
                participant__session__date__gte=month,
                participant__session__date__lt=end,
            )
        )
    )


@transaction.atomic
def rebuild_themes(batch: int = 5000) -> int:
    """Count every theme again from the submitted AARs (``lessons.index.rebuild``,
    ``manage.py search_rebuild``). Returns how many rows it wrote."""
    ThemeCount.objects.all().delete()
    totals: dict[tuple, Counter] = defaultdict(Counter)
    rows = _submitted().order_by("pk").values_list("pk", *_VALUES)
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        for key, words in _count(row[1:] for row in chunk).items():
            totals[key].update(words)
        last = chunk[-1][0]
    _write(totals)
    return ThemeCount.objects.count()


# --- A session that moves (its organiser or its date) ------------------------------------


def session_counts(session_id: int) -> Counter:
    """What the session's submitted AARs add to their organisation's month."""
    counts = _count(_submitted_answers().filter(participant__session_id=session_id))
    return sum(counts.values(), Counter())


@transaction.atomic
def theme_counts_move(*, session_id: int, organiser_id: int, date: datetime.date) -> None:
    """Call before a session's organiser or date changes, with the new ones (as
    ``sessions_app.tally.session_moved`` is called): its AARs' words leave the old
    organisation's month for the new one."""
    old_organiser, old_date = AssistSession.objects.values_list("organiser_id", "date").get(
        pk=session_id
    )
    if (old_organiser, month_of(old_date)) == (organiser_id, month_of(date)):
        return
    words = session_counts(session_id)
    if not words:
        return
    counts_changed(
        organisation_id=old_organiser,
        month=month_of(old_date),
        delta=Counter({key: -n for key, n in words.items()}),
    )
    counts_changed(organisation_id=organiser_id, month=month_of(date), delta=words)


@transaction.atomic
def theme_counts_forget_session(*, session_id: int) -> None:
    """Call before deleting a session that has AARs (the admin's delete): its AARs'
    words leave its organisation's month."""
    organiser, date = AssistSession.objects.values_list("organiser_id", "date").get(pk=session_id)
    words = session_counts(session_id)
    counts_changed(
        organisation_id=organiser,
        month=month_of(date),
        delta=Counter({key: -n for key, n in words.items()}),
    )


def on_session_moving(sender, *, session_id: int, organiser_id: int, date, **kwargs) -> None:
    """Receiver of ``sessions_app.signals.session_moving``: sent before a session's
    organiser or date is saved."""
    theme_counts_move(session_id=session_id, organiser_id=organiser_id, date=date)


def on_session_deleting(sender, *, session_id: int, **kwargs) -> None:
    """Receiver of ``sessions_app.signals.session_deleting``: sent before a session is
    deleted."""
    theme_counts_forget_session(session_id=session_id)
