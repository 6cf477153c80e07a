"""Measure every page at one data size: p50/p95 through gunicorn, and query counts.

Run by `python -m bench` in a process whose environment already points at the
benchmark's own database (see bench/common.py). Writes its results as JSON.

    python -m bench.measure --scale 1 --requests 30 --json var/bench/result.json

After generating, the search index is rebuilt (``lessons.index.rebuild``), timed, and
its size on disk read; issue 18's search page is measured for four queries
(dataset.SEARCH_WORDS) as the coordinator of one organisation, and the search itself
(``lessons.search``) in process for the same four.
"""

import argparse
import json
import os
import time
import urllib.parse
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from aar.models import Commitment, MethodReview, Recommendation  # noqa: E402
from bench import dataset  # noqa: E402
from bench.common import AAR_TEXT, Gunicorn, percentile, request  # noqa: E402
from lessons import index as search_index  # noqa: E402
from lessons import search as lessons_search  # noqa: E402
from lessons.models import Lesson, SearchEntry  # noqa: E402
from sessions_app import tally  # noqa: E402
from sessions_app.models import AssistSession, Participant, new_token  # noqa: E402

WARMUP = 3
INPROCESS = 6
ONE_ORG = "dashboard, one organisation"
# Issue 18: the search page, as the coordinator of one organisation (a twentieth of the
# sessions organised, and what is shared by the sessions it takes part in).
SEARCH = "search /lessons/?q="
SEARCH_PAGE = 20  # results a page, for the in-process measure of the search alone
# Times each query is searched in process (after one to warm up): at most --requests,
# and no more than this, as a common word may take seconds at scale 1 while it is slow.
SEARCH_REPEATS = 10
# Tables of the search index on SQLite: the content table (with its B-tree indexes) and
# the FTS5 table's shadow tables (its external content is the table itself).
FTS_SHADOW = ("data", "idx", "docsize", "config")


# A purpose as a facilitator types it for a new session (issue 19's "solved before?").
SOLVED_BEFORE_TEXT = "อยากรู้ว่าจะแบ่งงานในทีมอย่างไรเมื่อคนทำงานมีน้อย และขอสนับสนุนงบประมาณจากท้องถิ่น"


def search_pages() -> dict[str, str]:
    """The search page for each of issue 18's four queries."""
    return {
        search_name(label, word): "/lessons/?" + urllib.parse.urlencode({"q": word})
        for label, word in dataset.SEARCH_WORDS.items()
    }


def search_name(label: str, word: str) -> str:
    return f"{SEARCH}, {label} ({word})"


def index_rebuild() -> dict:
    """Rebuild the search index from the text, timed, then the planner's statistics (on
    PostgreSQL also VACUUM: GIN's pending list and the visibility map), and its size."""
    started = time.perf_counter()
    rows = search_index.rebuild()
    rebuild_s = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "rows": rows,
        "rebuild_s": rebuild_s,
        "analyze_s": time.perf_counter() - started,
        **index_size(),
    }


def index_size() -> dict:
    """Bytes on disk of the search index: on SQLite, of lessons_searchentry (its rows and
    B-tree indexes) and of the FTS5 shadow tables (dbstat); on PostgreSQL, the table
    with its indexes and TOAST, and the pg_trgm GIN index alone."""
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size(%s), pg_relation_size(%s), pg_relation_size(%s)",
                [table, table, "lessons_searchentry_text_trgm"],
            )
            total, heap, trgm = cursor.fetchone()
            return {"total_bytes": total, "table_bytes": heap, "engine_bytes": trgm}
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table]
        )
        indexes = [name for (name,) in cursor.fetchall()]
        shadow = [f"{table}_fts_{part}" for part in FTS_SHADOW]
        names = [table, *indexes, *shadow]
        marks = ", ".join(["%s"] * len(names))
        try:
            cursor.execute(
                f"SELECT name, SUM(pgsize) FROM dbstat WHERE name IN ({marks}) GROUP BY name",
                names,
            )
        except Exception:  # noqa: BLE001 - SQLite built without dbstat
            return {"total_bytes": None, "table_bytes": None, "engine_bytes": None}
        size = dict(cursor.fetchall())
    table_bytes = sum(size.get(name, 0) for name in [table, *indexes])
    engine_bytes = sum(size.get(name, 0) for name in shadow)
    return {
        "total_bytes": table_bytes + engine_bytes,
        "table_bytes": table_bytes,
        "engine_bytes": engine_bytes,
        "by_table": size,
    }


def search_inprocess(user, repeats: int) -> list[dict]:
    """``lessons.search`` alone, without the page: the count (as the page counts, up to
    COUNT_LIMIT), the first page of results and their snippets, for each query; and how
    many rows of the whole index hold the word, to see the data is as meant."""
    rows = []
    for label, word in dataset.SEARCH_WORDS.items():
        query = lessons_search.parse(word)
        times = []
        for _ in range(repeats + 1):
            start = time.perf_counter()
            hits = lessons_search.found(user, query)
            count, more = lessons_search.count_of(hits)
            ranked = lessons_search.ranked(hits)
            page = lessons_search.rows_of(user, ranked[:SEARCH_PAGE])
            for entry in page:
                lessons_search.snippet(entry.text, query.terms)
            times.append((time.perf_counter() - start) * 1000)
        times = times[1:]  # the first warms the caches
        rows.append(
            {
                "label": label,
                "query": word,
                "short": query.short,
                "p50": percentile(times, 50),
                "p95": percentile(times, 95),
                "count": count,
                "more": more,
                "on_page": len(page),
                # Every row of the index that holds the word, whoever may read it.
                "in_index": SearchEntry.objects.filter(text__contains=word).count(),
                # What the engine finds in the whole index (the short query: bounded).
                "engine_all": lessons_search.matching(SearchEntry.objects.all(), query)
                .order_by()
                .count(),
            }
        )
    return rows


def fresh_participants(n: int) -> list[str]:
    """Tokens of people with no AAR yet, in a session held today, for AAR POSTs."""
    template = AssistSession.objects.filter(status="held").order_by("pk").first()
    session = AssistSession.objects.create(
        organiser=template.organiser,
        title="Benchmark: AAR submissions",
        host=template.host,
        purpose="วัดความเร็ว",
        date=timezone.localdate(),
        facilitator=template.facilitator,
        status="held",
        created_by=template.created_by,
    )
    tally.session_added(session)
    people = Participant.objects.bulk_create(
        Participant(session=session, full_name=f"ผู้เข้าร่วม {i}", token=new_token()) for i in range(n)
    )
    tally.recount_session(session.pk)
    return [p.token for p in people]


def targets() -> dict[str, str]:
    """The pages, on the held session with the most AARs in (of 26 on the roster)."""
    session = (
        AssistSession.objects.filter(status="held", participants__aar__status="submitted")
        .exclude(title__startswith="Benchmark")
        .annotate(n=Count("participants__aar"))
        .order_by("-n", "-date", "pk")
        .first()
    )
    writer = session.participants.filter(aar__status="submitted").first()
    admin_url = "/admin/sessions_app/participant/"
    # Issue 17's pages. The held session with the most recommendations (200, made so by
    # bench/dataset.py); the session above for about 10, unless it is that one.
    big = (
        AssistSession.objects.filter(recommendations__isnull=False)
        .annotate(n=Count("recommendations"))
        .order_by("-n", "pk")
        .first()
    ) or session
    usual = session
    if usual.pk == big.pk:
        # At the smallest sizes there may be no other: then the one page twice.
        usual = (
            AssistSession.objects.filter(status="held", recommendations__isnull=False)
            .exclude(pk=big.pk)
            .order_by("-date", "pk")
            .first()
        ) or big
    # Before a session: the next one planned (the before-page is open until its day),
    # a host team member's link (the brief's boxes too: the larger page).
    planned = (
        AssistSession.objects.filter(status="planned", date__gte=timezone.localdate())
        .exclude(title__startswith="Benchmark")
        .order_by("date", "pk")
        .first()
    ) or session
    before = (
        planned.participants.filter(role="host").order_by("pk").first()
        or planned.participants.order_by("pk").first()
    )
    # Typed in from paper: someone on the roster with no AAR yet, if there is one.
    on_paper = (
        session.participants.filter(aar__isnull=True, removed_at__isnull=True)
        .order_by("pk")
        .first()
    ) or writer
    followup = f"/followup/sessions/{session.pk}"
    # Issue 19: a lesson with its sources, history and reuses (the most sources).
    lesson = Lesson.objects.annotate(n=Count("sources")).order_by("-n", "-pk").first()
    return {
        "/healthz (floor)": "/healthz",
        "admin participant changelist (reference)": admin_url,
        "dashboard /followup/": "/followup/",
        "dashboard, one organisation's coordinator": "/followup/?page=1",
        "session page": f"/sessions/{session.pk}/",
        "follow-up session page": f"/followup/sessions/{session.pk}/",
        "synthesis": f"/followup/sessions/{session.pk}/synthesis/",
        "participant AAR page GET": f"/aar/{writer.token}/",
        "participant's data page (PDPA)": f"/aar/{writer.token}/my-data/",
        "audit log": "/followup/audit/",
        "session export CSV": f"/followup/sessions/{session.pk}/export.csv",
        "session export XLSX": f"/followup/sessions/{session.pk}/export.xlsx",
        "dashboard export CSV": "/followup/export.csv",
        "commitment outcomes /followup/outcomes/": "/followup/outcomes/",
        "recommendations, a session of about 10": (
            f"/followup/sessions/{usual.pk}/recommendations/"
        ),
        "recommendations, the session of 200": f"/followup/sessions/{big.pk}/recommendations/",
        "synthesis, the session of 200 recommendations": (
            f"/followup/sessions/{big.pk}/synthesis/"
        ),
        "reviews of the method /followup/method-reviews/": "/followup/method-reviews/",
        "participant's before-page (host team)": f"/aar/{before.token}/before/",
        "question sets /followup/question-sets/": "/followup/question-sets/",
        "session's question set (before its first AAR)": (
            f"/followup/sessions/{planned.pk}/question-set/"
        ),
        "AAR typed in for a participant GET": f"{followup}/participants/{on_paper.pk}/aar/",
        "lessons /lessons/library/": "/lessons/library/",
        "a lesson's page": f"/lessons/library/{lesson.pk}/",
        # The bench user's first organisation (one of the 20 organisers), this year.
        "themes /lessons/themes/": "/lessons/themes/",
        # As the new-session form's script asks while a purpose is typed.
        "solved before? suggestions (inline)": "/lessons/solved-before/?"
        + urllib.parse.urlencode({"text": SOLVED_BEFORE_TEXT, "partial": "1"}),
        "peer finder /lessons/peers/ (ทีม)": "/lessons/peers/?"
        + urllib.parse.urlencode({"topic": "ทีม"}),
        **trends_pages(),
    }


def trends_pages() -> dict[str, str]:
    """Issue 20's pages over five years to this month (the longest period they take), as
    the coordinator of every organising organisation: the trends from the kept monthly
    totals, the same with a role (the sessions' kept role rows), the organisations
    side by side, and the trends' export."""
    this_month = timezone.localdate().replace(day=1)
    year, month = divmod(this_month.year * 12 + this_month.month - 1 - 59, 12)
    period = {"start": f"{month + 1}/{year}", "end": f"{this_month.month}/{this_month.year}"}
    query = urllib.parse.urlencode(period)
    return {
        # By quarter (the default over two years), and by month as chosen.
        "trends /followup/trends/ (5 years)": f"/followup/trends/?{query}",
        "trends by month (5 years)": f"/followup/trends/?{query}&step=month",
        "trends, one role (5 years)": f"/followup/trends/?{query}&role=peer",
        "organisations side by side (5 years)": f"/followup/trends/organisations/?{query}",
        "trends export CSV (5 years)": f"/followup/trends/export.csv?{query}",
    }


def count_queries(client: Client, method: str, urls: list[str], data=None) -> tuple[int, float]:
    """Queries of the last request, and the in-process p50 (test client, no server) over
    the requests after the first."""
    times = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = getattr(client, method)(url, data)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
    return len(ctx.captured_queries), percentile(times[1:] or times, 50)


def measure(port: int, cookie: str, method: str, paths: list[str], body=None) -> list[float]:
    times = []
    for i, path in enumerate(paths):
        status, content, ms = request(port, method, path, cookie=cookie, body=body)
        ok = 302 if method == "POST" else 200
        if status != ok:
            raise RuntimeError(f"{method} {path} answered {status}: {content[:300]!r}")
        if i >= WARMUP:
            times.append(ms)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--json", required=True)
    parser.add_argument("--reuse", action="store_true", help="keep the data already there")
    parser.add_argument("--no-search", action="store_true", help="no search index, no search pages")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production's rate-limit cache
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, DEBUG off
    started = time.perf_counter()
    if args.reuse and AssistSession.objects.exists():
        counts = {
            "sessions": AssistSession.objects.count(),
            "participants": Participant.objects.count(),
            "aars": Participant.objects.filter(aar__isnull=False).count(),
            "commitments": Commitment.objects.count(),
            "recommendations": Recommendation.objects.count(),
            "method_reviews": MethodReview.objects.count(),
        }
    else:
        counts = dataset.generate(args.scale)
    generated_s = time.perf_counter() - started
    search_index_info = None  # --no-search: none
    if not args.no_search and args.reuse and SearchEntry.objects.exists():
        search_index_info = {"rows": SearchEntry.objects.count(), "rebuild_s": None}
        search_index_info.update(index_size())
    elif not args.no_search:
        search_index_info = index_rebuild()
    pages = targets() | ({} if args.no_search else search_pages())
    n = args.requests + WARMUP
    tokens = fresh_participants(n + INPROCESS)

    users = get_user_model().objects
    client, one_org = Client(), Client()
    client.force_login(users.get(username=dataset.BENCH_USER))
    one_org.force_login(users.get(username=dataset.ONE_ORG_USER))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    one_org_cookie = f"sessionid={one_org.cookies['sessionid'].value}"

    queries, inprocess = {}, {}
    for name, url in pages.items():
        who = one_org if name.startswith((ONE_ORG, SEARCH)) else client
        queries[name], inprocess[name] = count_queries(who, "get", [url] * INPROCESS)
    name = "participant AAR page POST (submit)"
    queries[name], inprocess[name] = count_queries(
        Client(), "post", [f"/aar/{tokens.pop()}/" for _ in range(INPROCESS)], AAR_TEXT
    )

    engine, search_queries = [], set()
    if not args.no_search:
        engine = search_inprocess(
            users.get(username=dataset.ONE_ORG_USER), min(args.requests, SEARCH_REPEATS)
        )
        search_queries = {queries[name] for name in search_pages()}

    results = []
    with Gunicorn(os.environ.copy()) as server:
        for name, url in pages.items():
            who = one_org_cookie if name.startswith((ONE_ORG, SEARCH)) else cookie
            times = measure(server.port, who, "GET", [url] * n)
            results.append((name, times))
        posts = [f"/aar/{token}/" for token in tokens[:n]]
        results.append(
            (
                "participant AAR page POST (submit)",
                measure(server.port, "", "POST", posts, AAR_TEXT),
            )
        )
    rows = [
        {
            "page": name,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "queries": queries[name],
            "inprocess_ms": inprocess[name],
        }
        for name, times in results
    ]
    Path(args.json).write_text(
        json.dumps(
            {
                "scale": args.scale,
                "database": connection.vendor,
                "counts": counts,
                "generated_s": generated_s,
                "requests": args.requests,
                "rows": rows,
                "search_index": search_index_info,
                "search_engine": engine,
                "search_queries_constant": len(search_queries) <= 1,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
