"""CPU per request of ballot submission next to the bare view, in one process (no gunicorn).

Sets up a fresh database as ``bench/survey.py`` does (production settings, the peer's URL),
then sends requests through Django's WSGI handler - the full middleware stack - in this
process and measures each with ``time.process_time``: first the first submission of every
zone, then resubmissions, then the bare view (``bench/peer.py``). CPU time and statement
counts do not depend on what else runs on the machine, so they compare before and after a
change where the gunicorn figures swing with the load. ``--profile`` prints the cProfile of
the resubmissions.

Usage::

    .venv/bin/python bench/survey_cpu.py --database-url postgres://postgres@127.0.0.1:5432/bench_cpu
    .venv/bin/python bench/survey_cpu.py --profile 30      # the 30 costliest functions (cumulative)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(__file__))
from survey import HOST, ballot_body, environment, prepare  # noqa: E402 - the sibling's set-up


def wsgi_request(handler, method: str, path: str, body: str = "", cookie: str = ""):
    """One request through the WSGI handler; returns (status, headers)."""
    data = body.encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "HTTP_HOST": HOST,
        "REMOTE_ADDR": HOST,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_COOKIE": cookie,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), headers

    response = handler(environ, start_response)
    b"".join(response)
    response.close()
    return answer["status"], answer["headers"]


def backend_cpu(pid: int | None) -> float:
    """CPU seconds used so far by the PostgreSQL server process ``pid`` (0 for SQLite or a
    server on another machine)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(handler, requests, expected: int, pid: int | None = None) -> tuple[list[float], float]:
    """CPU seconds of each request in this process, and the database server's CPU seconds
    per request (on average: its clock ticks are too coarse for one request); every answer
    must have the expected status."""
    times = []
    server = backend_cpu(pid)
    for method, path, body, cookie in requests:
        started = time.process_time()
        status, _ = wsgi_request(handler, method, path, body, cookie)
        times.append(time.process_time() - started)
        if status != expected:
            raise SystemExit(f"{method} {path} answered {status}, expected {expected}")
    return times, (backend_cpu(pid) - server) / len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zones", type=int, default=185, help="Invited zones (default 185).")
    parser.add_argument(
        "--resubmissions", type=int, default=200, help="Resubmissions measured (default 200)."
    )
    parser.add_argument("--rounds", type=int, default=3, help="Rounds; the median is printed.")
    parser.add_argument("--database-url", help="An empty PostgreSQL database (default SQLite).")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="Print the N costliest functions."
    )
    parser.add_argument(
        "--profile-first", action="store_true", help="Profile the first submissions instead."
    )
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="bench-survey-cpu-")
    try:
        env = environment(var_dir, args.database_url)
        data = prepare(env, args.zones)
        os.environ.update(env)
        sys.path.insert(0, env["PYTHONPATH"])
        run(args, data)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args, data: dict) -> None:
    import django
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test.utils import CaptureQueriesContext

    django.setup()
    handler = WSGIHandler()
    secret = _get_new_csrf_string()
    form_token, cookie = _mask_cipher_secret(secret), f"csrftoken={secret}"
    tokens = data["tokens"]

    def submissions(start: int, count: int):
        return [
            (
                "POST",
                f"/en/survey/ballot/{tokens[i % len(tokens)]}/",
                ballot_body(data, i, form_token),
                cookie,
            )
            for i in range(start, start + count)
        ]

    bare = [("POST", "/bench/write-one-row", urlencode({}), "")] * args.resubmissions

    def statements(request, expected: int) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            measure(handler, [request], expected)
        return [q["sql"][:100] for q in queries.captured_queries]

    first_statements = statements(submissions(0, 1)[0], 302)
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
    profiler = cProfile.Profile(time.process_time)  # CPU only: waiting is not our cost
    first_run = submissions(1, len(tokens) - 1)
    if args.profile and args.profile_first:
        first, first_server = profiler.runcall(measure, handler, first_run, 302, pid)
    else:
        first, first_server = measure(handler, first_run, 302, pid)
    again_statements = statements(submissions(len(tokens), 1)[0], 302)
    bare_statements = len(statements(bare[0], 204))
    rounds = []
    for n in range(args.rounds):
        again = submissions(len(tokens) * (n + 1), args.resubmissions)
        ours, our_server = measure(handler, again, 302, pid)
        peer, peer_server = measure(handler, bare, 204, pid)
        rounds.append((statistics.median(ours), our_server, statistics.median(peer), peer_server))
    ours, our_server, peer, peer_server = (
        statistics.median(r[i] for r in rounds) for i in range(4)
    )
    print(f"\nCPU per request in ms, median of {args.rounds} rounds:")
    print(f"{'':22} {'Django':>8} {'database':>9} {'both':>8}")
    first = statistics.median(first)
    print(
        f"{'first submission':22} {first * 1000:8.2f} {first_server * 1000:9.2f} "
        f"{(first + first_server) * 1000:8.2f}"
    )
    for name, python, server in (
        ("resubmission", ours, our_server),
        ("bare view", peer, peer_server),
    ):
        print(
            f"{name:22} {python * 1000:8.2f} {server * 1000:9.2f} {(python + server) * 1000:8.2f}"
        )
    print(
        f"ratio bare / resubmission: Django {peer / ours:.2f}x, "
        f"both {(peer + peer_server) / (ours + our_server):.2f}x"
    )
    print(
        f"statements: first submission {len(first_statements)}, "
        f"resubmission {len(again_statements)}, bare view {bare_statements}"
    )
    for sql in first_statements:
        print(f"  {sql}")
    if args.profile:
        if not args.profile_first:
            again = submissions(len(tokens) * (args.rounds + 1), args.resubmissions)
            profiler.runcall(measure, handler, again, 302)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.profile)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
