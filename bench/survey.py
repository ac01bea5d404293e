"""Benchmark: the survey's pages and ballot submission under load, next to a bare Django view.

Starts gunicorn on 127.0.0.1 (a free port) with a fresh database (a temporary SQLite, or
the empty PostgreSQL database given), invites synthetic zones to an open ranking survey,
then, for each number of concurrent clients (keep-alive threads, loopback only), sends a
bounded number of requests to each of:

1. ``POST /bench/write-one-row`` - the named peer: a bare Django view that writes one row
   in a transaction, behind the same middleware (``bench/peer.py``);
2. ``GET`` of the public catalogue page of the edition;
3. ``GET`` of a ballot page through a zone's invitation link;
4. ``POST`` of a full ranking ballot ("submit") through each zone's invitation link - the
   real write path: token lookup, parsing, row locks, receipt, participation.

Prints requests/s and latency percentiles of each, the ratio of ballot submission to the
bare view, and checks that the database holds exactly one ballot per zone that submitted.
Stops by itself; no wall-clock limits are asserted anywhere (the figures go in
``docs/security.md``).

Usage::

    .venv/bin/python bench/survey.py                      # SQLite in a temporary folder
    .venv/bin/python bench/survey.py --requests 500       # quicker
    .venv/bin/python bench/survey.py --quick              # a smoke run for CI (seconds)
    .venv/bin/python bench/survey.py --database-url postgres://postgres@127.0.0.1:5432/bench_survey
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def environment(var_dir: str, database_url: str | None) -> dict[str, str]:
    """Production settings (the default: DEBUG off, start-up checks) over plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in ("MEMORANDUM_ENV", "DEBUG")}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            # Nothing is e-mailed; a public-looking address satisfies the start-up check.
            "SITE_URL": "https://bench.example.invalid",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "MEMORANDUM_VAR_DIR": var_dir,
            "LOG_LEVEL": "ERROR",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "bench.peer_settings",
        }
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


SETUP = r"""
import django, json, sys
django.setup()
from django.db import connection
from django.urls import reverse
from django.utils import translation
from bench.peer import CREATE_TABLE
from memorandum.catalogue.models import Phase
with connection.cursor() as cursor:
    cursor.execute(CREATE_TABLE)
from datetime import timedelta
from django.utils import timezone
from memorandum.catalogue.exchange import load_edition
from memorandum.catalogue.synthetic import generate_zones
from memorandum.test import DEMO_FIXTURE
from memorandum.survey.models import Invitation, Survey, SurveyStatus
edition, _ = load_edition(DEMO_FIXTURE.read_bytes(), DEMO_FIXTURE.name)
edition.phase = Phase.PUBLISHED  # the catalogue page is public
edition.save()
with translation.override("en"):
    catalogue = reverse("catalogue:catalogue", args=[edition.slug])
zones = generate_zones(int(sys.argv[1]), seed=1)
now = timezone.now()
survey = Survey.objects.create(edition=edition, title_nl="Bench", title_fr="Bench", opens_at=now - timedelta(hours=1),
                               closes_at=now + timedelta(days=1), status=SurveyStatus.OPEN, is_synthetic=True)
tokens = []
for zone in zones:
    invitation = Invitation(survey=survey, zone=zone, sent_at=now)
    tokens.append(invitation.new_token())
    invitation.save()
from memorandum.survey.ballots import top_size
from memorandum.survey.items import survey_items
codes = [i.code for i in survey_items(survey)]
groups = {}
for item in survey_items(survey):
    groups.setdefault(item.group, []).append(item.code)
print(json.dumps({"tokens": tokens, "codes": codes, "top": top_size(len(codes)), "catalogue": catalogue,
                  "groups": {k: v for k, v in groups.items() if len(v) > 1}}))
"""


def prepare(env: dict[str, str], zones: int) -> dict:
    import json

    python = sys.executable
    # Static files first: production start-up warns (memorandum.W002) until they are collected.
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [python, "-c", SETUP, str(zones)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"Setting up the survey failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, *, own_group: bool = False
) -> subprocess.Popen:
    """``own_group``: in a process group of its own, so that master and workers can be killed
    together (``bench/survey_kill.py``)."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "memorandum.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=own_group,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 180 s")


def ballot_body(data: dict, index: int, csrf: str) -> str:
    """A valid ranking ballot: a complete top N, the rest "not ranked yet", no order typed
    inside the groups (optional); the order rotates so each submission really changes
    something."""
    codes = data["codes"]
    shift = index % len(codes)
    order = codes[shift:] + codes[:shift]
    fields = {f"overall-{c}": "" for c in codes}
    fields.update({f"overall-{c}": str(n) for n, c in enumerate(order[: data["top"]], start=1)})
    fields.update(action="submit", csrfmiddlewaretoken=csrf)
    return urlencode(fields)


def csrf_for(port: int, token: str) -> tuple[str, str]:
    """Open one ballot page to get the CSRF cookie and form token (reused for every POST)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", f"/en/survey/ballot/{token}/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return cookie, form_token


def load(port: int, total: int, concurrency: int, make_request) -> dict:
    """Send ``total`` requests from ``concurrency`` keep-alive threads; return the statistics."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(total))

    def worker(thread_index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        state = {"thread": thread_index}
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            method, path, body, headers = make_request(index, state)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "rps": len(latencies) / wall,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.mean(latencies) * 1000,
        "statuses": statuses,
        "wall": wall,
    }


PHASES = ("bare view: write one row", "catalogue page", "ballot page", "ballot submission")
PEER, SUBMISSION = PHASES[0], PHASES[-1]


def requests_for(port: int, data: dict) -> dict:
    """What each phase sends: ``(method, path, body, headers)`` for request ``index``."""
    tokens = data["tokens"]
    csrf_cookie, csrf_token = csrf_for(port, tokens[0])
    form = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie}",
    }

    def link(index: int) -> str:
        return f"/en/survey/ballot/{tokens[index % len(tokens)]}/"

    return {
        PEER: lambda index, state: ("POST", "/bench/write-one-row", "", {}),
        "catalogue page": lambda index, state: ("GET", data["catalogue"], None, {}),
        "ballot page": lambda index, state: ("GET", link(index), None, {}),
        SUBMISSION: lambda index, state: (
            "POST",
            link(index),
            ballot_body(data, index, csrf_token),
            form,
        ),
    }


EXPECTED = {PEER: 204, "catalogue page": 200, "ballot page": 200, SUBMISSION: 302}


def report(args, port: int, runs: dict) -> int:
    """Print one table per number of clients; return how many answers were unexpected."""
    print(
        f"\ngunicorn gthread {args.workers}x{args.threads} on {HOST}:{port}, "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}, {args.requests} requests per phase"
    )
    bad = 0
    for clients, results in runs.items():
        print(f"\n{clients} concurrent clients")
        print(f"{'':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
        for name, r in results.items():
            print(
                f"{name:28} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f}  {r['statuses']}"
            )
            bad += sum(n for status, n in r["statuses"].items() if status != EXPECTED[name])
        peer, ours = results[PEER], results[SUBMISSION]
        print(
            f"ratio ballot submission / bare view: throughput {ours['rps'] / peer['rps']:.2f}x, "
            f"p95 latency {ours['p95'] / peer['p95']:.1f}x"
        )
    return bad


def check_database(env: dict[str, str], expected: int) -> bool:
    """Exactly one submitted ballot and one participation per zone that submitted."""
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from memorandum.survey.models import Ballot, Participation; "
            "print(Ballot.objects.count(), Ballot.objects.filter(status='submitted').count(), Participation.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    ballots, submitted, participations = map(int, check.stdout.split())
    ok = ballots == submitted == participations == expected
    print(
        f"\ndatabase: {ballots} ballots, {submitted} submitted, {participations} zones marked as voted "
        f"(expected {expected}): {'ok' if ok else 'MISMATCH'}"
    )
    return ok


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """The options of the server both survey benchmarks start (see :func:`served`)."""
    parser.add_argument(
        "--zones", type=int, default=185, help="Synthetic zones invited (default 185)."
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes (default 2)."
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="Threads per gunicorn worker (default 4)."
    )
    parser.add_argument(
        "--database-url", help="An empty PostgreSQL database to use instead of a temporary SQLite."
    )


@dataclass
class Server:
    env: dict[str, str]
    port: int
    data: dict
    process: subprocess.Popen


@contextmanager
def served(args: argparse.Namespace, *, prefix: str, own_group: bool = False) -> Iterator[Server]:
    """gunicorn on a free port over a fresh database with ``args.zones`` zones invited to an
    open survey; stopped (the whole group killed with ``own_group``) and its folder removed
    after."""
    var_dir = tempfile.mkdtemp(prefix=prefix)
    env = environment(var_dir, args.database_url)
    process = None
    try:
        print(
            f"Preparing {'PostgreSQL' if args.database_url else 'SQLite'} database with {args.zones} invited zones …"
        )
        data = prepare(env, args.zones)
        port = free_port()
        process = start_gunicorn(env, port, args.workers, args.threads, own_group=own_group)
        yield Server(env, port, data, process)
    finally:
        if process is not None and process.poll() is None:
            if own_group:
                os.killpg(os.getpgid(process.pid), signal.SIGKILL)
            else:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=1000, help="Requests per phase (default 1000)."
    )
    parser.add_argument(
        "--clients",
        default="10,50",
        help="Numbers of concurrent client threads, comma-separated (default 10,50).",
    )
    add_server_options(parser)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="A smoke run for CI: 20 zones, 60 requests per phase, 4 clients (overrides the above).",
    )
    parser.add_argument(
        "--submissions-only",
        action="store_true",
        help="Measure only the bare view and ballot submission (skip the two pages).",
    )
    args = parser.parse_args()
    if args.quick:
        args.zones, args.requests, args.clients = 20, 60, "4"
    try:
        clients = [int(n) for n in args.clients.split(",")]
    except ValueError:
        raise SystemExit("--clients takes numbers separated by commas, e.g. 10,50.") from None
    if not 1 <= args.requests <= 20_000 or not all(1 <= n <= 64 for n in clients):
        raise SystemExit("Keep --requests within 1..20000 and each --clients within 1..64.")

    with served(args, prefix="bench-survey-") as server:
        port, data = server.port, server.data
        phases = requests_for(port, data)
        if args.submissions_only:
            phases = {name: phases[name] for name in (PEER, SUBMISSION)}
        load(port, min(200, args.requests), max(clients), phases[PEER])  # warm-up
        runs = {
            n: {name: load(port, args.requests, n, make) for name, make in phases.items()}
            for n in clients
        }
        bad = report(args, port, runs)
        ok = check_database(server.env, min(args.zones, args.requests * len(clients)))
        if bad or not ok:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
