"""What a host finds before asking the peers: "has this been solved before?" (related
lessons and past sessions for what is being typed) and the peer finder (who wrote or
recommended something on a topic, for choosing peers with recent practice).

Both start from ``key_words``: a few telling words of the typed text, not the whole of
it, since the search ANDs its words and a purpose of three lines holds none whole.
Both read only through the search's rules of reading (``lessons.search.readable`` and
``readable_sessions``, ``lessons.reading.organisations_of`` for lessons), each in a
fixed number of queries whatever the data.
"""

import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
)

from lessons import search
from lessons.models import Lesson, SearchEntry
from lessons.reading import organisations_of
from lessons.words import _stop_words, segment
from sessions_app.models import AssistSession, Organisation, Participant

MAX_TEXT = 5_000  # characters of the typed text read for its words (a brief's part at most)
MIN_WORD = search.MIN_INDEXED  # shorter words are no use to the trigram indexes
# Words that tell nothing in the English a purpose is written in (the Thai ones are
# PyThaiNLP's list).
ENGLISH_STOP_WORDS = frozenset((
    "about", "after", "again", "also", "and", "any", "are", "because", "been", "before",
    "being", "both", "but", "can", "could", "did", "does", "doing", "down", "during", "each",
    "few", "for", "from", "further", "had", "has", "have", "having", "her", "here", "his",
    "how", "into", "its", "just", "more", "most", "not", "now", "off", "once", "only", "other",
    "our", "out", "over", "own", "same", "she", "should", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "too", "under", "until", "very", "was", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "would", "you", "your",
))  # fmt: skip
# Thai words of asking that PyThaiNLP's list keeps and every purpose holds.
THAI_ASKING_WORDS = frozenset(("อยากรู้", "อยากได้", "ต้องการ", "อยากให้", "ทำอย่างไร"))
# The peer finder counts the newest matching entries up to this: the people with recent
# practice, in one bounded read (a common word matches tens of thousands of rows).
PEER_ROWS = 1_000
# "Solved before?" reads at most this many sessions (and lessons) holding a key word,
# the newest: a common word is in most purposes, and the newest are the recent practice.
CANDIDATES = 500
SESSION_FTS = "lessons_session_fts"  # migration lessons 0007
LESSON_FTS = "lessons_lesson_fts"
# Entries written by a person: an AAR's answers, commitments and their outcomes, and the
# recommendations they gave. Not the host's responses (their row carries the giver of
# the recommendation) nor the team's review of the method (nobody's).
PEER_KINDS = (
    SearchEntry.Kind.ANSWER,
    SearchEntry.Kind.COMMITMENT,
    SearchEntry.Kind.OUTCOME,
    SearchEntry.Kind.RECOMMENDATION,
)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")[:MAX_TEXT]
    # Control and format characters (zero-width spaces and joiners, direction marks)
    # are no part of a word: dropped, as the search drops them. Whitespace parts words.
    return "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )


def _trimmed(word: str) -> str:
    """``word`` without punctuation and symbols at either end."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


def key_words(text: str, limit: int = 6) -> list[str]:
    """The most telling words of ``text`` (a purpose, a problem, a topic): its words
    (PyThaiNLP's ``newmm`` for Thai) of MIN_WORD characters or more, without stop words
    and numbers, each once, longest first (a longer word is the more particular), then
    in the order typed. Deterministic: the same text gives the same words."""
    seen: dict[str, tuple[str, int]] = {}
    for position, token in enumerate(segment(_clean(text))):
        word = _trimmed(token.strip())
        folded = word.casefold()
        if (
            len(word) < MIN_WORD
            or folded in seen
            or not any(ch.isalpha() for ch in word)
            or word in _stop_words()
            or word in THAI_ASKING_WORDS
            or folded in ENGLISH_STOP_WORDS
        ):
            continue
        seen[folded] = (word, position)
    ordered = sorted(seen.values(), key=lambda item: (-len(item[0]), item[1]))
    return [word for word, _position in ordered[:limit]]


def _any_of(holds, words: list[str]) -> Q:
    return reduce(or_, (holds(word) for word in words))


@dataclass
class Related:
    words: list[str] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    sessions: list = field(default_factory=list)  # AssistSession, with ``hits``, ``organised``

    @property
    def empty(self) -> bool:
        return not (self.lessons or self.sessions)


def _found_by_engine(rows, fts: str, fields: tuple[str, str], words: list[str]):
    """``rows`` whose ``fields`` hold any of ``words``, newest first, as the database's
    engine finds them (migration lessons 0007): an FTS5 ``OR`` on SQLite, an OR of
    (I)LIKEs on PostgreSQL's trigram indexes."""
    if connection.vendor == "sqlite":
        expression = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        table = rows.model._meta.db_table
        return rows.extra(
            tables=[fts],
            where=[f'{fts}.rowid = "{table}"."id"', f"{fts} MATCH %s"],
            params=[expression],
        ).extra(order_by=[f"-{fts}.rowid"])
    first, second = fields

    def holds(word):
        return search._holds(word, first) | search._holds(word, second)

    return rows.filter(_any_of(holds, words)).order_by("-pk")


def _hits(text: str, words: list[str]) -> int:
    """How many of ``words`` ``text`` holds, whatever their case."""
    folded = text.casefold()
    return sum(1 for word in words if word.casefold() in folded)


def related_sessions(user, words: list[str], *, limit: int = 5, exclude=None):
    """The past sessions ``user`` may read that hold any of ``words``, those holding the
    most first, then the newest; each with ``hits`` and ``organised``. Matched on the
    title, and on the purpose only in the sessions the user's organisations organise:
    the others (taken part in) show their shared answers, not their purpose, so neither
    does a match on it.

    Two queries. The engine finds the newest CANDIDATES readable sessions holding a word
    (a common word is in most purposes; the newest are the recent practice), whose words
    are counted here; then the chosen few are read with their hosts. Reading every
    session's title and purpose for each word took 72 ms over 5,000 sessions when none
    held one, and counting the words of 500 candidates in SQL 15 ms more than here
    (bench, issue 19)."""
    if not words or not user.is_authenticated:
        return []
    rows = search.readable_sessions(user)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    rows = _found_by_engine(rows, SESSION_FTS, ("title", "purpose"), words)
    organised = ExpressionWrapper(
        Q(organiser__in=organisations_of(user)), output_field=BooleanField()
    )
    scored = []
    for pk, title, purpose, date, ours in rows.annotate(ours=organised).values_list(
        "pk", "title", "purpose", "date", "ours"
    )[:CANDIDATES]:
        hits = _hits(f"{title}\n{purpose}" if ours else title, words)
        if hits:
            scored.append((hits, date, pk, bool(ours)))
    scored = sorted(scored, reverse=True)[:limit]
    if not scored:
        return []
    sessions = AssistSession.objects.select_related("host").in_bulk(
        [pk for _h, _d, pk, _o in scored]
    )
    chosen = []
    for hits, _date, pk, ours in scored:
        session = sessions[pk]
        session.hits, session.organised = hits, ours
        chosen.append(session)
    return chosen


def related_lessons(user, words: list[str], *, limit: int = 5) -> list[Lesson]:
    """The lessons of the user's organisations whose title or statement holds any of
    ``words``, those holding the most first, then the latest changed. Two queries: the
    engine finds the newest CANDIDATES lessons holding a word, whose words are counted
    here; then the chosen few are read with their organisations."""
    if not words:
        return []
    rows = Lesson.objects.filter(organisation__in=organisations_of(user))
    rows = _found_by_engine(rows, LESSON_FTS, ("title", "statement"), words)
    scored = []
    for pk, title, statement, updated_at in rows.values_list(
        "pk", "title", "statement", "updated_at"
    )[:CANDIDATES]:
        hits = _hits(f"{title}\n{statement}", words)
        if hits:
            scored.append((hits, updated_at, pk))
    scored = sorted(scored, reverse=True)[:limit]
    if not scored:
        return []
    found = Lesson.objects.select_related("organisation").in_bulk([pk for _h, _u, pk in scored])
    chosen = []
    for hits, _updated, pk in scored:
        lesson = found[pk]
        lesson.hits = hits
        chosen.append(lesson)
    return chosen


def related(user, text: str, limit: int = 5, *, exclude=None) -> Related:
    """ "Has this been solved before?": the lessons and past sessions related to
        ``text``, that ``user`` may read. Four queries (fewer when the engines find nothing,
    none without a word);
        ``exclude``: the pk of the session being written, which would find itself."""
    words = key_words(text)
    if not user.is_authenticated:
        return Related(words=words)
    return Related(
        words=words,
        lessons=related_lessons(user, words, limit=limit),
        sessions=related_sessions(user, words, limit=limit, exclude=exclude),
    )


# --- The peer finder -----------------------------------------------------------------


def _matching_any(rows, words: list[str]):
    """``rows`` that hold any of ``words`` (each MIN_WORD characters or more), on the
    engine ``lessons.search.matching`` uses, which ANDs them: an FTS5 ``OR`` on SQLite,
    an OR of (I)LIKEs on PostgreSQL's trigram index."""
    if connection.vendor == "sqlite":
        expression = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        table = SearchEntry._meta.db_table
        return rows.extra(
            tables=[search.FTS],
            where=[f'{search.FTS}.rowid = "{table}"."id"', f"{search.FTS} MATCH %s"],
            params=[expression],
        )
    return rows.filter(reduce(or_, (Q(search._holds(word)) for word in words)))


@dataclass
class Person:
    name: str
    role: str  # its label
    organisation: Organisation | None
    entries: int = 0
    last_date: object = None
    sessions: set = field(default_factory=set)


@dataclass
class OrganisationPeers:
    organisation: Organisation
    entries: int = 0
    last_date: object = None
    people: set = field(default_factory=set)
    sessions: set = field(default_factory=set)

    @property
    def people_count(self) -> int:
        return len(self.people)


@dataclass
class Peers:
    words: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    organisations: list[OrganisationPeers] = field(default_factory=list)
    read: int = 0  # matching entries counted
    capped: bool = False  # more matched than PEER_ROWS: the newest were counted


def peers_for(user, text: str, limit: int = 20, *, words: list[str] | None = None) -> Peers:
    """The people and organisations who wrote AARs or gave recommendations holding any
    key word of ``text`` (or ``words``), among the newest PEER_ROWS such entries that
    ``user`` may read (``lessons.search.readable``): most entries first, then the most
    recent session.

    Anonymity: an entry its writer asked to show without their name is left out
    entirely, from the people and from the organisations (an organisation's count could
    tell its one writer apart). A person is their name and organisation (each session
    has its own roster), and one whose personal data was erased is left out. Two
    queries: the entries, and their organisations."""
    words = key_words(text) if words is None else words
    result = Peers(words=words)
    if not words or not user.is_authenticated:
        return result
    rows = search.readable(user).filter(
        kind__in=PEER_KINDS,
        anonymous=False,
        participant__isnull=False,
        participant__erased_at__isnull=True,
    )
    rows = search.newest_first(_matching_any(rows, words))
    found = list(
        rows.values_list(
            "participant__full_name",
            "participant__role",
            "participant__organisation_id",
            "session_id",
            "session__date",
        )[: PEER_ROWS + 1]
    )
    result.capped = len(found) > PEER_ROWS
    found = found[:PEER_ROWS]
    result.read = len(found)
    org_ids = {org_id for _n, _r, org_id, _s, _d in found if org_id is not None}
    orgs = Organisation.objects.in_bulk(org_ids) if org_ids else {}
    roles = dict(Participant.Role.choices)
    people: dict[tuple, Person] = {}
    by_org: dict[int, OrganisationPeers] = {}
    for name, role, org_id, session_id, date in found:
        key = (" ".join(name.split()).casefold(), org_id)
        person = people.get(key)
        if person is None:
            person = people[key] = Person(name, str(roles.get(role, role)), orgs.get(org_id))
        person.entries += 1
        person.sessions.add(session_id)
        person.last_date = max(filter(None, (person.last_date, date)), default=None)
        if org_id is None:
            continue
        group = by_org.get(org_id)
        if group is None:
            group = by_org[org_id] = OrganisationPeers(orgs[org_id])
        group.entries += 1
        group.people.add(key)
        group.sessions.add(session_id)
        group.last_date = max(filter(None, (group.last_date, date)), default=None)

    def order(item):
        return (-item.entries, -(item.last_date.toordinal() if item.last_date else 0))

    result.people = sorted(people.values(), key=lambda p: (*order(p), p.name))[:limit]
    result.organisations = sorted(by_org.values(), key=lambda o: (*order(o), o.organisation.name))[
        :limit
    ]
    return result
