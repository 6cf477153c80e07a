"""Load test: participants submitting AARs while coordinators refresh the dashboard.

Through gunicorn on loopback, like users. Each simulated participant opens a fresh
personal link, submits the four parts, waits 0.5 to 1.5 s and takes the next link; each
coordinator reloads /followup/ every 1 to 3 s. At the end, the AARs in the database must
equal the successful submissions, with 0 errors. Python threads stand in for locust:
one process, no extra dependency, the same HTTP.

    python -m bench.load --seconds 60 --participants 100 --coordinators 10 --json out.json
"""

import argparse
import http.client
import json
import os
import queue
import random
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from aar.models import AAR  # noqa: E402
from bench import dataset  # noqa: E402
from bench.common import AAR_TEXT, Gunicorn, percentile, request  # noqa: E402
from bench.measure import fresh_participants  # noqa: E402
from sessions_app.models import Participant  # noqa: E402


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"aar GET": [], "aar POST": [], "dashboard": []}
        self.errors: list[str] = []
        self.submitted = 0

    def record(self, kind: str, status: int, ok: int, ms: float) -> bool:
        with self.lock:
            if status != ok:
                self.errors.append(f"{kind}: {status}")
                return False
            self.times[kind].append(ms)
            if kind == "aar POST":
                self.submitted += 1
            return True


def participant(port, tokens: queue.Queue, stats: Stats, stop: float, rng: random.Random):
    # One connection per visit (open the page, submit), closed while the person thinks:
    # gunicorn closes idle keep-alive connections after 2 s, as a browser would reconnect.
    while time.monotonic() < stop:
        try:
            token = tokens.get_nowait()
        except queue.Empty:
            return
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            status, _body, ms = request(port, "GET", f"/aar/{token}/", connection=conn)
            stats.record("aar GET", status, 200, ms)
            status, _body, ms = request(
                port, "POST", f"/aar/{token}/", body=AAR_TEXT, connection=conn
            )
            stats.record("aar POST", status, 302, ms)
        except (OSError, http.client.HTTPException) as exc:
            with stats.lock:
                stats.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()
        time.sleep(rng.uniform(0.5, 1.5))


def coordinator(port, cookie: str, stats: Stats, stop: float, rng: random.Random):
    while time.monotonic() < stop:
        try:
            status, _body, ms = request(port, "GET", "/followup/", cookie=cookie)
            stats.record("dashboard", status, 200, ms)
        except (OSError, http.client.HTTPException) as exc:
            with stats.lock:
                stats.errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(rng.uniform(1.0, 3.0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--coordinators", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()

    links = fresh_participants(int(args.participants * args.seconds * 2) + 10)
    load_session = Participant.objects.get(token=links[0]).session
    tokens: queue.Queue = queue.Queue()
    for token in links:
        tokens.put(token)
    client = Client()
    client.force_login(get_user_model().objects.get(username=dataset.BENCH_USER))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    connection.close()  # the threads below only speak HTTP

    stats = Stats()
    with Gunicorn(os.environ.copy(), workers=args.workers, threads=4) as server:
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=participant, args=(server.port, tokens, stats, stop, random.Random(i))
            )
            for i in range(args.participants)
        ] + [
            threading.Thread(
                target=coordinator, args=(server.port, cookie, stats, stop, random.Random(-i))
            )
            for i in range(1, args.coordinators + 1)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    saved = AAR.objects.filter(participant__session=load_session, status="submitted").count()
    requests_done = sum(len(t) for t in stats.times.values())
    result = {
        "database": connection.vendor,
        "seconds": round(elapsed, 1),
        "participants": args.participants,
        "coordinators": args.coordinators,
        "workers": args.workers,
        "requests": requests_done,
        "throughput_rps": requests_done / elapsed,
        "submissions": stats.submitted,
        "submissions_per_s": stats.submitted / elapsed,
        "saved": saved,
        "lost": stats.submitted - saved,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "latency": {
            kind: {"p50": percentile(t, 50), "p95": percentile(t, 95), "n": len(t)}
            for kind, t in stats.times.items()
            if t
        },
    }
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
