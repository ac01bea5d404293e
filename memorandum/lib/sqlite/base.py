"""SQLite with writers queued before they ask for the write lock (the embedded ``ENGINE``).

Every write transaction starts with ``BEGIN IMMEDIATE`` (``transaction_mode`` in
settings.py), which takes SQLite's single write lock or waits for it. SQLite's wait is a
poll, not a queue: its busy handler sleeps 1, 2, 5 … and then 100 ms between tries, so a
writer that has already waited a while tries ten times a second while each newcomer tries
within milliseconds. Under sustained writing (ballots submitted from many clients while
the secretariat saves a survey's settings) an early writer can lose round after round
until the busy timeout (20 s) ends its wait with ``database is locked``: a 500. Measured
with ``bench/survey_edit.py`` (docs/robustness.md): every wait is at ``BEGIN IMMEDIATE``
(no read upgraded to a write, no statement outside its transaction), and queuing here cut
the longest of them from 3.3–4.2 s to 0.7–1.1 s.

Here writers take turns before they ask SQLite. In a process, the threads take a lock
(:class:`WriteGate`, waiters are woken when it is free, no polling); the thread holding it
takes an exclusive ``flock`` on a file beside the database (``<database>-writers``), shared
by every process, tried every millisecond by one thread per process, and the process that
just wrote waits that millisecond before trying again, so that the others get their turn.
The turn is held until the transaction ends (commit or rollback) or the connection closes;
``BEGIN IMMEDIATE`` then rarely waits at all. A single statement outside a transaction
(autocommit) does not queue: SQLite's busy timeout still covers it. Time spent queuing
counts against the same timeout; past it, ``OperationalError("database is locked")`` as
SQLite would raise, which the site answers 503 with ``Retry-After``
(:class:`memorandum.lib.middleware.DatabaseBusyMiddleware`). An in-memory database (the
test suite) has one connection and no queue.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# How often the thread at the head of a process's queue tries the file lock (seconds).
POLL = 0.001


class WriteGate:
    """The queue of writers of one database file, as this process sees it."""

    def __init__(self, path: str) -> None:
        self.path = f"{path}-writers"
        self._turn = threading.Lock()
        self._fd: int | None = None
        self._released_at = 0.0

    def acquire(self, timeout: float) -> None:
        """Wait for this process's turn, then for the file lock; ``OperationalError`` after
        ``timeout`` seconds in all."""
        deadline = time.monotonic() + timeout
        if not self._turn.acquire(timeout=max(timeout, 0)):
            raise OperationalError("database is locked")
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
            # Let the other processes' next try come before this process's next writer.
            pause = self._released_at + POLL - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            while True:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationalError("database is locked") from None
                    time.sleep(POLL)
        except BaseException:
            self._turn.release()
            raise

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._released_at = time.monotonic()
        self._turn.release()


_gates: dict[tuple[int, str], WriteGate] = {}
_gates_lock = threading.Lock()


def gate_for(path: str) -> WriteGate:
    """The gate of ``path`` in this process (a forked worker gets its own: a file lock
    belongs to the open file, which a fork would share)."""
    key = (os.getpid(), path)
    with _gates_lock:
        gate = _gates.get(key)
        if gate is None:
            gate = _gates[key] = WriteGate(path)
        return gate


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's SQLite wrapper; a write transaction waits for its turn (see the module)."""

    _gate: WriteGate | None = None

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        gate = gate_for(str(self.settings_dict["NAME"]))
        gate.acquire(float(self.settings_dict["OPTIONS"].get("timeout", 5)))
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            gate.release()
            raise
        self._gate = gate

    def _end_turn(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.release()

    def _set_autocommit(self, autocommit):
        # Back in autocommit: the transaction has committed or rolled back (``atomic``
        # always ends here, before the on-commit callbacks run).
        try:
            super()._set_autocommit(autocommit)
        finally:
            if autocommit:
                self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn()
