"""Kill -9 under load: no acknowledged ballot is lost.

Starts gunicorn like ``bench/survey.py`` (production settings, a fresh database: a temporary
SQLite or the empty PostgreSQL database given), then submits one ranking ballot per invited
zone from concurrent keep-alive clients, and kills the master and every worker with SIGKILL
(the whole process group) once ``--kill-after`` submissions have been acknowledged (answered
302). Then it reads the database and checks, for every acknowledged submission, that the
zone's ballot is stored, submitted, with exactly the ranking posted, and that every submitted
ballot has its zone marked as voted (nothing half-written). Submissions in flight at the kill
may or may not be stored; they are counted, not judged.

Usage::

    .venv/bin/python bench/survey_kill.py                  # SQLite in a temporary folder
    .venv/bin/python bench/survey_kill.py --database-url postgres://postgres@127.0.0.1:5432/bench_kill
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import parse_qsl

sys.path.insert(0, os.path.dirname(__file__))
from survey import (  # noqa: E402 - the sibling benchmark's set-up
    HOST,
    ROOT,
    add_server_options,
    ballot_body,
    csrf_for,
    served,
)

STORED = r"""
import django, json
django.setup()
from memorandum.survey.models import Ballot, Participation
ballots = {b.zone_id: b for b in Ballot.objects.all()}
voted = set(Participation.objects.values_list("zone_id", flat=True))
from memorandum.survey.models import Invitation
from memorandum.survey.models import hash_token
import sys
tokens = json.loads(sys.stdin.read())
out = {}
for token in tokens:
    invitation = Invitation.objects.get(token_hash=hash_token(token))
    ballot = ballots.get(invitation.zone_id)
    out[token] = {
        "status": ballot.status if ballot else None,
        "overall": (ballot.payload or {}).get("overall") if ballot else None,
        "voted": invitation.zone_id in voted,
    }
print(json.dumps(out))
"""


def submit_all(port: int, data: dict, clients: int, kill_after: int, kill) -> dict:
    """Post one ballot per zone; call ``kill()`` once ``kill_after`` were acknowledged."""
    tokens = data["tokens"]
    cookie, form_token = csrf_for(port, tokens[0])
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    lock = threading.Lock()
    queue = iter(range(len(tokens)))
    acknowledged: dict[str, list[str]] = {}
    failed: list[str] = []
    killed = threading.Event()

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while not killed.is_set():
            with lock:
                index = next(queue, None)
            if index is None:
                break
            body = ballot_body(data, index, form_token)
            ranked = sorted(
                (
                    (int(v), k.removeprefix("overall-"))
                    for k, v in parse_qsl(body)
                    if k.startswith("overall-") and v
                )
            )
            try:
                conn.request(
                    "POST", f"/en/survey/ballot/{tokens[index]}/", body=body, headers=headers
                )
                response = conn.getresponse()
                response.read()
                ok = response.status == 302
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                ok = False
            with lock:
                if ok:
                    acknowledged[tokens[index]] = [code for _, code in ranked]
                    if len(acknowledged) == kill_after:
                        kill()
                        killed.set()
                else:
                    failed.append(tokens[index])
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"acknowledged": acknowledged, "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="Concurrent clients (default 20).")
    parser.add_argument(
        "--kill-after",
        type=int,
        default=90,
        help="Kill gunicorn once this many submissions were acknowledged (default 90).",
    )
    add_server_options(parser)
    args = parser.parse_args()
    if not 0 < args.kill_after < args.zones:
        raise SystemExit("--kill-after must be between 1 and the number of zones.")

    with served(args, prefix="bench-survey-kill-", own_group=True) as server:
        port, data, env, process = server.port, server.data, server.env, server.process
        group = os.getpgid(process.pid)
        killed_at = []

        def kill() -> None:
            os.killpg(group, signal.SIGKILL)
            killed_at.append(time.strftime("%H:%M:%S"))

        outcome = submit_all(port, data, args.clients, args.kill_after, kill)
        process.wait(timeout=30)
        acknowledged = outcome["acknowledged"]
        stored = json.loads(
            subprocess.run(
                [sys.executable, "-c", STORED],
                cwd=ROOT,
                env=env,
                input=json.dumps(data["tokens"]),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        lost = [
            t
            for t, order in acknowledged.items()
            if stored[t]["status"] != "submitted" or stored[t]["overall"] != order
        ]
        half = [t for t, row in stored.items() if (row["status"] == "submitted") != row["voted"]]
        submitted = sum(row["status"] == "submitted" for row in stored.values())
        in_flight = submitted - len(acknowledged) + len(lost)
        print(
            f"\nkilled gunicorn (master and workers, SIGKILL) at {killed_at[0] if killed_at else '—'} "
            f"after {len(acknowledged)} acknowledged submissions, {args.clients} clients, "
            f"{'PostgreSQL' if args.database_url else 'SQLite'}\n"
            f"stored and submitted: {submitted} (acknowledged {len(acknowledged)}, "
            f"committed but not acknowledged before the kill {in_flight}), "
            f"requests cut off by the kill {len(outcome['failed'])}\n"
            f"acknowledged but lost or different: {len(lost)}; "
            f"submitted without the zone marked as voted (or the reverse): {len(half)}"
        )
        if lost or half or not killed_at:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
