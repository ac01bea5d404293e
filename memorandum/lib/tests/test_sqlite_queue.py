"""Writers of the embedded SQLite database take turns (memorandum/lib/sqlite/base.py)."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from django.db import OperationalError, transaction
from django.db.utils import ConnectionHandler

from memorandum.lib.sqlite.base import WriteGate


@pytest.fixture
def database(tmp_path, django_db_blocker, monkeypatch):
    """Connections (one per thread, as Django keeps them) to a fresh SQLite file of its own,
    not the test database; ``transaction.atomic`` uses them."""
    django_db_blocker.unblock()
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "memorandum.lib.sqlite",
                "NAME": str(tmp_path / "queue.sqlite3"),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL;",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 5,
                },
            }
        }
    )
    monkeypatch.setattr(transaction, "connections", handler)
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE log (who TEXT)")
    yield handler
    handler.close_all()
    django_db_blocker.restore()


def write(handler, who: str, hold: float = 0.0, entered: threading.Event | None = None) -> None:
    """Insert a row in a write transaction held open ``hold`` seconds."""
    connection = handler["default"]
    try:
        with transaction.atomic(using="default"), connection.cursor() as cursor:
            if entered:
                entered.set()
            cursor.execute("INSERT INTO log VALUES (%s)", [who])
            time.sleep(hold)
    finally:
        connection.close()


def rows(handler) -> list[str]:
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT who FROM log ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def held_by_another(handler) -> bool:
    """Whether a writer holds the turn, as another process would find it."""
    other = os.open(handler["default"].settings_dict["NAME"] + "-writers", os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(other)
    return False


def test_a_second_writer_waits_for_the_first_transaction_to_end(database):
    entered = threading.Event()
    first = threading.Thread(target=write, args=(database, "first", 0.3, entered))
    first.start()
    assert entered.wait(5)
    assert held_by_another(database)
    second = threading.Thread(target=write, args=(database, "second"))
    second.start()
    first.join()
    second.join()
    assert rows(database) == ["first", "second"]
    assert not held_by_another(database)


def test_the_turn_is_given_back_when_a_transaction_rolls_back(database):
    connection = database["default"]
    with pytest.raises(RuntimeError):
        with transaction.atomic(using="default"):
            connection.cursor().execute("INSERT INTO log VALUES ('lost')")
            raise RuntimeError
    write(database, "next")
    assert rows(database) == ["next"]


def test_the_turn_is_given_back_when_the_connection_closes_in_a_transaction(database):
    def close_inside() -> None:
        connection = database["default"]
        with transaction.atomic(using="default"):
            connection.cursor().execute("INSERT INTO log VALUES ('lost')")
            connection.close()

    thread = threading.Thread(target=close_inside)
    thread.start()
    thread.join()
    write(database, "next")
    assert rows(database) == ["next"]


def test_a_writer_in_another_process_is_waited_for_then_the_wait_gives_up(tmp_path):
    """Another process's turn is its lock on the file beside the database; past the
    timeout the wait ends as SQLite's own would: "database is locked" (answered 503)."""
    gate = WriteGate(str(tmp_path / "db.sqlite3"))
    other = os.open(gate.path, os.O_RDWR | os.O_CREAT)  # another open file: another process
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            gate.acquire(timeout=0.2)
        assert 0.2 <= time.monotonic() - started < 2
        fcntl.flock(other, fcntl.LOCK_UN)
        gate.acquire(timeout=0.2)  # the turn is free again: this process's lock was released
        gate.release()
    finally:
        os.close(other)


def test_threads_of_a_process_wait_for_each_other_within_the_timeout(tmp_path):
    gate = WriteGate(str(tmp_path / "db.sqlite3"))
    gate.acquire(timeout=1)
    refused: list[Exception] = []

    def other_thread() -> None:
        with pytest.raises(OperationalError, match="database is locked") as error:
            gate.acquire(timeout=0.1)
        refused.append(error.value)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert len(refused) == 1
    gate.release()
    gate.acquire(timeout=0.1)
    gate.release()
