"""Background work: how the apps hand a job to the worker.

Tasks are declared with ``django_tasks.task`` in each app's ``tasks.py`` and take only
ids and plain values (the arguments are stored as JSON). A job that depends on rows
written in the current transaction must be queued *after* that transaction commits,
otherwise the worker could start before the rows exist, or run a job whose transaction
was rolled back: :func:`enqueue_on_commit` does that.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue ``task(*args, **kwargs)`` once the surrounding transaction has committed
    (at once when there is none)."""
    # robust: the request's own work has committed; if the queue is unreachable now, the
    # error is logged and `recover_jobs` queues the work again, instead of a 500 after the fact.
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


def enqueue_many_on_commit(task: Any, args_list: list[tuple]) -> None:
    """Queue ``task(*args)`` for each tuple once the surrounding transaction has committed,
    all in one transaction (one commit for the database queue, not one per job)."""
    if not args_list:
        return

    def enqueue_all() -> None:
        with transaction.atomic():
            for args in args_list:
                task.enqueue(*args)

    transaction.on_commit(enqueue_all, robust=True)
