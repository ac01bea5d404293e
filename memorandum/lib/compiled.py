"""A model query compiled to SQL once, then run many times with new values.

Django compiles a queryset to SQL every time it is evaluated. For a query that follows
foreign keys (``select_related``) over wide models, that compilation costs more CPU than
the database spends answering it: about a third of a ballot submission went into
compiling its two reads (measured with cProfile, see docs/security.md#performance).
:class:`CompiledQuery` keeps the queryset as the one declaration of the query, compiles
it once per thread, and builds the model instances exactly as
the queryset would (the same converters, the same related objects), so its answer is the
queryset's answer.

The queryset is built with stand-in values (:meth:`CompiledQuery.__call__` replaces them in
the compiled parameters by position). Compilation happens on the first call, inside the
caller's transaction, so ``select_for_update`` is allowed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Values no caller passes: strings with a NUL byte and integers far below any key.
_STAND_INS: dict[type, Callable[[int], object]] = {
    str: lambda i: f"\x00compiled-query-{i}\x00",
    int: lambda i: -(2**62) - i,
}


class CompiledQuery:
    """``build(*values)`` returns a queryset; ``query(*values)`` returns its models, compiled once.

    ``types`` gives the type of each value (``str`` or ``int``). Only plain model querysets
    (no ``values()``, annotations or ``prefetch_related``) are supported; the first call
    checks that every stand-in value appears once among the compiled parameters and that
    there are no others. Integer values are meant for keys (a stand-in far below any key).
    """

    def __init__(self, build: Callable[..., QuerySet], *types: type) -> None:
        self.build = build
        self.types = types
        self._local = threading.local()

    def _compile(self, using: str):
        stand_ins = [_STAND_INS[t](i) for i, t in enumerate(self.types)]
        queryset = self.build(*stand_ins)
        if queryset._prefetch_related_lookups or queryset.query.annotation_select:
            raise ValueError("CompiledQuery supports plain model querysets only.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = []
        for stand_in in stand_ins:
            found = [i for i, p in enumerate(params) if p == stand_in]
            if len(found) != 1:
                raise ValueError(f"A stand-in value appears {len(found)} times in {sql!r}.")
            positions.append(found[0])
        if len(params) != len(stand_ins):
            # Any other value would be frozen at its first call's value for the life of the
            # thread (a date computed while building the queryset, a setting): refuse it.
            raise ValueError(f"Every value of {sql!r} must be one of the query's arguments.")
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        plan = {
            "sql": sql,
            "params": params,
            "positions": positions,
            "compiler": compiler,
            "converters": compiler.get_converters(fields),
            "model": klass_info["model"],
            "slice": (start, end),
            "init_list": [f[0].target.attname for f in compiler.select[start:end]],
            "populators": get_related_populators(klass_info, compiler.select, using),
        }
        return plan

    def __call__(self, *values, using: str = "default") -> list[Model]:
        plans = self._local.__dict__.setdefault("plans", {})
        # Per thread, as Django keeps one connection object per thread and the compiler
        # holds the one it compiled with (its converters are called with it).
        plan = plans.get(using)
        if plan is None:
            plan = plans[using] = self._compile(using)
        return self._run(plan, values, using)

    def _run(self, plan: dict, values: Sequence, using: str) -> list[Model]:
        params = list(plan["params"])
        for position, value in zip(plan["positions"], values, strict=True):
            params[position] = value
        with connections[using].cursor() as cursor:
            cursor.execute(plan["sql"], params)
            rows = cursor.fetchall()
        compiler = plan["compiler"]
        if plan["converters"]:
            rows = compiler.apply_converters(rows, plan["converters"])
        start, end = plan["slice"]
        objects = []
        for row in rows:
            obj = plan["model"].from_db(using, plan["init_list"], row[start:end])
            for populator in plan["populators"]:
                populator.populate(row, obj)
            objects.append(obj)
        return objects
