"""Searching what was learned: the query's words, who may read which rows, the match on
the database's own engine, the ranking and the highlighted snippet.

The one rule of reading (``readable``): a staff member reads every row of the sessions
their organisations organise; and, of the sessions an organisation of theirs takes part
in (host, peer, or a participant's organisation), the submitted AARs shared with
everyone in the participating organisations. The search, its counts and its snippets
never go beyond it.
"""

import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Lookup,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Length, Replace, Upper
from django.utils.translation import gettext_lazy as _

from aar.models import AAR
from lessons import themes
from lessons.models import SearchEntry
from lessons.reading import organisations_of, sessions_taking_part
from lessons.words import search_words
from sessions_app.models import AssistSession, Organisation

MAX_QUERY = 200  # characters searched; the rest is dropped, and the page says so
MAX_TERMS = 8
MIN_INDEXED = 3  # the trigram engines need three characters to use their index
# A query whose words are all shorter than that reads only the newest rows.
SHORT_SCAN_ROWS = 20_000
# Counted exactly up to this, "more than 200" beyond, and ranked among the newest this
# many. The newest matches are read until this many are found that the user may read: at
# 1,000, a common word read 86,000 rows on PostgreSQL (BENCHMARKS.md, issue 18).
COUNT_LIMIT = 200


@dataclass
class Query:
    text: str = ""  # as searched: cleaned, cut to MAX_QUERY
    terms: list[str] = field(default_factory=list)
    # Runs of Thai typed together and searched as their words: found whole, they count
    # for more.
    phrases: list[str] = field(default_factory=list)
    truncated: bool = False
    error: str = ""

    @property
    def short(self) -> bool:
        """Every word is shorter than the index can find: a bounded scan."""
        return bool(self.terms) and all(len(term) < MIN_INDEXED for term in self.terms)


def _printable(ch: str) -> bool:
    # Control and format characters (zero-width spaces and joiners, direction marks)
    # are not text anyone searches for; whitespace becomes a space.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\t\n"


def parse(raw: str | None) -> Query:
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch for ch in text if _printable(ch))
    text = " ".join(text.split())
    query = Query()
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY] else text[:MAX_QUERY]
        query.truncated = True
    query.text = text
    terms = []
    # A run of Thai is looked for as its words (PyThaiNLP), wherever they are.
    for typed in text.split(" "):
        words = search_words(typed)
        if len(words) > 1 or words[0] != typed:
            query.phrases.append(typed)
        for term in words:
            if term and term.casefold() not in {t.casefold() for t in terms}:
                terms.append(term)
    query.terms = terms[:MAX_TERMS]
    if raw and raw.strip() and not query.terms:
        query.error = _("There is nothing to search for in that: type a word or part of one.")
    return query


def readable_sessions(user, *, organised_and=None, shared_and=None):
    """The sessions of which ``user`` may read at least something: those their
    organisations organise, and those they take part in that hold an AAR shared with
    everyone in the participating organisations (``readable``'s rule, by session).

    "Holds such an AAR" is asked of each session (EXISTS), last: a list of every such
    session read all 100,000 AARs, 330 ms for a coordinator of one organisation (bench,
    issue 19). ``organised_and``, ``shared_and``: conditions asked first of the sessions
    the user's organisations organise and of the others (``lessons.suggest``: a match on
    their words), so the EXISTS is asked only of those that pass."""
    if not user.is_authenticated:
        return AssistSession.objects.none()
    organised = Q(organiser__in=organisations_of(user))
    shared = Q(pk__in=sessions_taking_part(user).values("pk"))
    if organised_and is not None:
        organised &= organised_and
    if shared_and is not None:
        shared &= shared_and
    widely_shared = Exists(
        AAR.objects.filter(
            participant__session=OuterRef("pk"),
            status=AAR.Status.SUBMITTED,
            sharing=AAR.Sharing.ORGANISATIONS,
        )
    )
    return AssistSession.objects.filter(organised | (shared & widely_shared))


def readable_organisations(user):
    """The search's organisation filter: the user's organisations and the organisers of
    the sessions they take part in. Not narrowed to the sessions holding an AAR shared
    with them (``readable_sessions``): that took 440 ms over 100,000 AARs, against 15
    (bench, issue 18), and an organiser's name is no AAR's text: it is known to anyone
    whose organisation took part in its session."""
    taking_part = sessions_taking_part(user).values("organiser_id")
    return Organisation.objects.filter(
        Q(pk__in=organisations_of(user).values("pk")) | Q(pk__in=taking_part)
    ).order_by("name")


def organised(user) -> ExpressionWrapper:
    """Whether the user's organisations organise a row's session (they may open its
    synthesis and each AAR)."""
    return ExpressionWrapper(
        Q(session__organiser__in=organisations_of(user)), output_field=BooleanField()
    )


def readable(user):
    """The rows ``user`` may read, with ``organised``. The rule is ``lessons.reading``'s,
    for index rows; anonymous answers held back (too few to hide among) are for the
    organisers only."""
    if not user.is_authenticated:
        return SearchEntry.objects.none()
    organised_q = Q(session__organiser__in=organisations_of(user))
    # Subqueries, not joins (a join through peers repeats a row per peer): no DISTINCT
    # over every row's text.
    widely_shared = Q(
        aar__isnull=False,
        aar__status=AAR.Status.SUBMITTED,
        aar__sharing=AAR.Sharing.ORGANISATIONS,
        held_back=False,
        session__in=sessions_taking_part(user).values("pk"),
    )
    return SearchEntry.objects.filter(organised_q | widely_shared).annotate(
        organised=organised(user)
    )


FTS = "lessons_searchentry_fts"


def _matching_sqlite(rows, long_terms):
    """The FTS5 table joined to the rows. Ordered by its rowid (``newest_first``), FTS5
    hands the matches over newest first, and the search stops at the newest it needs:
    over 100,000 AARs a common word took 3 ms so, against 32 ms through an ``IN``
    (subquery) list and 420 ms sorted afterwards (bench, issue 18). A join, not a
    subquery, needs ``extra()``: Django has no other way to join a table it has no
    model for."""
    expression = " AND ".join('"' + term.replace('"', '""') + '"' for term in long_terms)
    table = SearchEntry._meta.db_table
    return rows.extra(
        tables=[FTS],
        where=[f'{FTS}.rowid = "{table}"."id"', f"{FTS} MATCH %s"],
        params=[expression],
    )


def newest_first(rows):
    """``rows`` newest first: by the FTS5 rowid where the FTS5 table is joined (its own
    order, so it can stop early), otherwise by the primary key. The same order."""
    if FTS in rows.query.extra_tables:
        return rows.order_by().extra(order_by=[f"-{FTS}.rowid"])
    return rows.order_by("-pk")


class ILike(Lookup):
    """``text ILIKE pattern``: PostgreSQL's case-insensitive match, which pg_trgm's index
    on the text serves (Django's ``icontains`` compares ``UPPER(text)``)."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _holds(term: str, field: str = "text"):
    """The condition that ``field`` holds ``term``, whatever its case. On PostgreSQL a
    word without case (Thai, digits) is a plain ``LIKE``: case-folding every row read
    cost twice the match (migration lessons 0003)."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__icontains": term})
    if term.upper() == term.lower():
        return Q(**{f"{field}__contains": term})
    pattern = "%" + connection.ops.prep_for_like_query(term) + "%"
    return ILike(F(field), Value(pattern))


def matching(rows, query: Query):
    """``rows`` that hold every word of the query."""
    long_terms = [term for term in query.terms if len(term) >= MIN_INDEXED]
    short_terms = [term for term in query.terms if len(term) < MIN_INDEXED]
    if long_terms and connection.vendor == "sqlite":
        rows = _matching_sqlite(rows, long_terms)
    else:
        # PostgreSQL: LIKE or ILIKE '%word%', on the pg_trgm GIN index.
        for term in long_terms:
            rows = rows.filter(_holds(term))
    for term in short_terms:
        rows = rows.filter(_holds(term))
    if query.short:
        newest = SearchEntry.objects.order_by("-pk").values("pk")[SHORT_SCAN_ROWS:][:1]
        rows = rows.filter(pk__gt=Coalesce(Subquery(newest), Value(0)))
    return rows


def _score(terms, phrases=()):
    """How densely the words occur: occurrences per character, so a short answer that
    is about the word comes before a long one that mentions it once; a Thai phrase found
    whole counts three times over. The same expression on both databases."""
    text = Upper("text")
    hits = None
    for term, weight in [*((t, 1) for t in terms), *((p, 3) for p in phrases)]:
        count = ExpressionWrapper(
            (Length(text) - Length(Replace(text, Value(term.upper()), Value(""))))
            / Value(len(term))
            * Value(weight),
            output_field=IntegerField(),
        )
        hits = count if hits is None else hits + count
    return ExpressionWrapper(
        hits * Value(1000.0) / (Length("text") + Value(200.0)), output_field=FloatField()
    )


@dataclass(frozen=True)
class Hit:
    """A matching row as ``found`` gives it: enough to rank it, not yet to show it."""

    pk: int
    score: float
    date: object  # the session's date


def found(user, query: Query, **filters) -> list[Hit]:
    """The newest COUNT_LIMIT + 1 rows ``user`` may read that match ``query``, narrowed
    by ``filters`` (any of organisation, session, role, part, question_set, date_from,
    date_to), newest first, each with its score and its session's date. One query; their
    number is the page's count (exact up to COUNT_LIMIT).

    Ranked only among these, not among all: scoring and sorting every match of a common
    word over 100,000 AARs took half a second (BENCHMARKS.md, issue 18). A common word
    finds more than that; the page says so and asks for a narrower search. The score is
    computed only for the rows returned, in the same query: a second one filtered by
    these ids (1,001 of them then) cost more in building its parameters than in scoring."""
    rows = newest_first(narrow(matching(readable(user), query), **filters))
    rows = rows.annotate(score=_score(query.terms, query.phrases))
    return [
        Hit(pk, score, date)
        for pk, score, date in rows.values_list("pk", "score", "session__date")[: COUNT_LIMIT + 1]
    ]


def count_of(hits: list[Hit]) -> tuple[int, bool]:
    """How many ``found`` found, counted up to COUNT_LIMIT: (count, whether there are
    more)."""
    return min(len(hits), COUNT_LIMIT), len(hits) > COUNT_LIMIT


def ranked(hits: list[Hit], *, sort: str = "relevance") -> list[int]:
    """The ids of ``hits`` (from ``found``), best first (``sort`` "relevance") or newest
    session first ("date"); the newest row breaks ties."""
    if sort == "date":
        key = lambda hit: (hit.date, hit.score, hit.pk)  # noqa: E731
    else:
        key = lambda hit: (hit.score, hit.date, hit.pk)  # noqa: E731
    return [hit.pk for hit in sorted(hits[:COUNT_LIMIT], key=key, reverse=True)]


def rows_of(user, pks: list[int]) -> list[SearchEntry]:
    """The rows ``pks``, in that order, with ``organised`` and what a result shows: its
    session, writer and their organisation, AAR and question set (one query)."""
    rows = (
        SearchEntry.objects.filter(pk__in=pks)
        .annotate(organised=organised(user))
        .select_related("session", "participant__organisation", "aar__question_set")
    )
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def search(user, query: Query, *, sort: str = "relevance", **filters) -> list[SearchEntry]:
    """``found``, ``ranked`` then ``rows_of``: every row ``user`` may read that matches
    ``query`` (up to COUNT_LIMIT), best first."""
    return rows_of(user, ranked(found(user, query, **filters), sort=sort))


def narrow(
    rows,
    *,
    organisation=None,
    session=None,
    role="",
    part="",
    question_set="",
    date_from=None,
    date_to=None,
):
    if organisation is not None:
        rows = rows.filter(session__organiser=organisation)
    if session is not None:
        rows = rows.filter(session=session)
    if role:
        # Only rows shown with the writer's name: choosing a role must not tell who
        # wrote an answer shown without it.
        rows = rows.filter(participant__role=role, anonymous=False)
    if part.startswith(themes.THEME_FILTER):
        theme = part.removeprefix(themes.THEME_FILTER)
        rows = rows.filter(themes.counted_as(theme), kind=SearchEntry.Kind.ANSWER)
    elif part:
        if part in SearchEntry.Kind.values and part != SearchEntry.Kind.ANSWER:
            rows = rows.filter(kind=part)
        else:
            rows = rows.filter(kind=SearchEntry.Kind.ANSWER, part=part)
    if question_set == "kmi":
        rows = rows.filter(Q(aar__question_set__isnull=True) | Q(aar__question_set__slug="kmi"))
    elif question_set:
        rows = rows.filter(aar__question_set__slug=question_set)
    if date_from:
        rows = rows.filter(session__date__gte=date_from)
    if date_to:
        rows = rows.filter(session__date__lte=date_to)
    return rows


# --- Snippets ---------------------------------------------------------------------------

# Marks that belong to the character before them (Unicode's grapheme Extend and
# SpacingMark): a Thai vowel above or below, a tone mark, SARA AM.
_JOINS = {"\u0e33", "\u0eb3", "\u200d"}


def _joins_previous(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in _JOINS


def cluster_start(text: str, i: int) -> int:
    """The start of the character cluster that ``text[i]`` is in."""
    while 0 < i < len(text) and _joins_previous(text[i]):
        i -= 1
    return i


def cluster_end(text: str, i: int) -> int:
    """The end of the cluster that ends at or after ``i`` (``text[:i]`` then
    ``text[i:]`` never splits a consonant from its marks)."""
    while i < len(text) and _joins_previous(text[i]):
        i += 1
    return i


def snippet(text: str, terms: list[str], width: int = 220) -> list[tuple[str, bool]]:
    """A part of ``text`` around its first match, as (text, is a match) pieces, so the
    template marks the matches and escapes everything. The cut and every mark fall on
    character-cluster boundaries: a tone mark or vowel stays with its consonant."""
    folded = text.casefold()
    spans = []
    for term in terms:
        needle = term.casefold()
        if not needle or len(needle) != len(term):
            continue
        start = folded.find(needle)
        while start != -1:
            spans.append((cluster_start(text, start), cluster_end(text, start + len(needle))))
            start = folded.find(needle, start + len(needle))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    first = merged[0][0] if merged else 0
    begin = cluster_start(text, max(0, first - width // 3))
    stop = cluster_end(text, min(len(text), begin + width))
    pieces: list[tuple[str, bool]] = []
    if begin > 0:
        pieces.append(("…", False))
    at = begin
    for start, end in merged:
        if end <= begin or start >= stop:
            continue
        start, end = max(start, begin), min(end, stop)
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < stop:
        pieces.append((text[at:stop], False))
    if stop < len(text):
        pieces.append(("…", False))
    return pieces
