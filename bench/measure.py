"""Measure every page at one data size: p50/p95 through gunicorn, and query counts.

Run by `python -m bench` in a process whose environment already points at the
benchmark's own database (see bench/common.py). Writes its results as JSON.

    python -m bench.measure --scale 1 --requests 30 --json var/bench/result.json
"""

import argparse
import json
import os
import time
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
from sessions_app import tally  # noqa: E402
from sessions_app.models import AssistSession, Participant, new_token  # noqa: E402

WARMUP = 3
INPROCESS = 6
ONE_ORG = "dashboard, one organisation"


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
    """The pages, on the held session with the most AARs in (of 20 on the roster)."""
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
    pages = targets()
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
        who = one_org if name.startswith(ONE_ORG) else client
        queries[name], inprocess[name] = count_queries(who, "get", [url] * INPROCESS)
    name = "participant AAR page POST (submit)"
    queries[name], inprocess[name] = count_queries(
        Client(), "post", [f"/aar/{tokens.pop()}/" for _ in range(INPROCESS)], AAR_TEXT
    )

    results = []
    with Gunicorn(os.environ.copy()) as server:
        for name, url in pages.items():
            who = one_org_cookie if name.startswith(ONE_ORG) else cookie
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
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
