"""Survey edits while ballots are submitted: no 5xx (the SQLite "database is locked" case).

Starts gunicorn like ``bench/survey.py`` (production settings, a fresh database: a temporary
SQLite or the empty PostgreSQL database given), signs a secretariat member in, then saves the
survey's settings form in a loop (the title changes at every save, so each one writes) while
concurrent keep-alive clients submit ranking ballots through the zones' links. Prints the
answers of both, and fails when any is a 5xx or an edit is not saved (302), or when a ballot
answer is neither a receipt (302) nor a refusal.

Usage::

    .venv/bin/python bench/survey_edit.py                  # SQLite in a temporary folder
    .venv/bin/python bench/survey_edit.py --requests 2000 --clients 16 --editors 2
    .venv/bin/python bench/survey_edit.py --database-url postgres://postgres@127.0.0.1:5432/bench_edit
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(__file__))
from survey import (  # noqa: E402 - the sibling benchmark's set-up
    HOST,
    ROOT,
    SUBMISSION,
    add_server_options,
    load,
    requests_for,
    served,
)

SIGN_IN = r"""
import django
django.setup()
from django.test import Client
from memorandum.catalogue import roles
from memorandum.survey.models import Survey
from memorandum.test import make_user
user = make_user("bench-secretariat", roles.SECRETARIAT)
client = Client()
client.force_login(user, backend="memorandum.catalogue.auth.NoDemoPasswordInProductionBackend")
survey = Survey.objects.get()
print(client.cookies["sessionid"].value, survey.edition.slug, survey.pk)
"""


class FormFields(HTMLParser):
    """The values each POST form of a page would send as it is shown (``forms``)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
            self.fields = []
            self.forms.append(self.fields)
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and not a.get("disabled"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False


def edit_loop(
    port: int, address: str, session: str, stop: threading.Event, statuses: dict, times: list
):
    """Save the settings form (a new title each time) until ``stop``; count the answers and
    keep the time each save took."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    cookie = f"sessionid={session}"
    n = 0
    while not stop.is_set():
        try:
            conn.request("GET", address, headers={"Cookie": cookie})
            response = conn.getresponse()
            html = response.read().decode()
            csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
            if csrf:
                cookie = f"sessionid={session}; csrftoken={csrf.group(1)}"
            parser = FormFields()
            parser.feed(html)
            (form,) = [f for f in parser.forms if any(k == "title_nl" for k, _ in f)]
            fields = [(k, v) for k, v in form if k != "title_nl"]
            n += 1
            fields.append(("title_nl", f"Bench {n}"))
            started = time.perf_counter()
            conn.request(
                "POST",
                address,
                body=urlencode(fields),
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}{address}",
                },
            )
            response = conn.getresponse()
            answer = response.read()
            status = response.status
            times.append(time.perf_counter() - started)
            if status == 200 and os.environ.get("BENCH_DEBUG"):
                Path(os.environ["BENCH_DEBUG"]).write_bytes(answer)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            status = 0
        statuses[status] = statuses.get(status, 0) + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=1000, help="Ballot submissions (default 1000)."
    )
    parser.add_argument(
        "--clients", type=int, default=16, help="Concurrent ballot clients (default 16)."
    )
    parser.add_argument(
        "--editors", type=int, default=2, help="Concurrent settings editors (default 2)."
    )
    add_server_options(parser)
    args = parser.parse_args()

    with served(args, prefix="bench-survey-edit-") as server:
        out = subprocess.run(
            [sys.executable, "-c", SIGN_IN],
            cwd=ROOT,
            env=server.env,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise SystemExit(f"Signing in failed:\n{out.stderr}")
        session, slug, pk = out.stdout.split()
        address = f"/en/editions/{slug}/surveys/{pk}/edit/"
        stop = threading.Event()
        edits: dict[int, int] = {}
        times: list[float] = []
        editors = [
            threading.Thread(
                target=edit_loop, args=(server.port, address, session, stop, edits, times)
            )
            for _ in range(args.editors)
        ]
        for editor in editors:
            editor.start()
        try:
            submit = requests_for(server.port, server.data)[SUBMISSION]
            ballots = load(server.port, args.requests, args.clients, submit)
        finally:
            stop.set()
            for editor in editors:
                editor.join()
    print(
        f"\ngunicorn gthread {args.workers}x{args.threads}, "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}"
    )
    print(
        f"ballot submissions ({args.clients} clients): {ballots['statuses']}, "
        f"{ballots['rps']:.1f}/s, p50 {ballots['p50']:.0f} ms, p99 {ballots['p99']:.0f} ms"
    )
    times.sort()
    print(
        f"settings saves ({args.editors} editors): {edits}"
        + (
            f", p50 {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
            if times
            else ""
        )
    )
    errors = sum(n for s, n in ballots["statuses"].items() if s >= 500 or s == 0)
    errors += sum(n for s, n in edits.items() if s != 302)
    if errors:
        raise SystemExit(f"{errors} unexpected answers")


if __name__ == "__main__":
    main()
