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

On PostgreSQL these statements are also *prepared*: sent once per connection with their
values bound on the server, so that PostgreSQL parses and plans them once. Planning the
invitation's four-table join cost seven times the database CPU of running it (0.35 against
0.05 ms). Only the statements of this module are prepared: the rest of the site keeps
Django's client-side binding (settings.py sets ``prepare_threshold`` to a count no
statement reaches, so that psycopg prepares only the statements that ask for it). A
connection pooler in front of PostgreSQL must therefore keep prepared statements per client
(PgBouncer 1.21+ with ``max_prepared_statements``, or session pooling).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

from django.db import DatabaseError, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.constants import OnConflict
from django.db.models.query import get_related_populators

# Values no caller passes: strings with a NUL byte and integers far below any key.
_STAND_INS: dict[type, Callable[[int], object]] = {
    str: lambda i: f"\x00compiled-query-{i}\x00",
    int: lambda i: -(2**62) - i,
}


class CompiledQuery:
    """``build(*values)`` returns a queryset; ``query(*values)`` returns its models, compiled once.

    ``types`` gives the type of each value (``str`` or ``int``). Only model querysets (no
    ``values()`` or ``prefetch_related``) are supported; an annotation is evaluated by the
    database (for what it does, such as taking a lock) but not set on the models. The first call
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
        if queryset._prefetch_related_lookups or queryset._fields is not None:
            raise ValueError("CompiledQuery supports model querysets only.")
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
        with prepared_cursor(connections[using]) as cursor:
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


@functools.cache
def _postgresql_classes() -> tuple[type, type]:
    # Imported on first use: psycopg is only installed where PostgreSQL is used.
    from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True)

    class PreparedDebugWrapper(CursorDebugWrapper):
        def execute(self, sql, params=None):
            # psycopg keeps no text of a prepared statement's run, where Django reads the
            # statement it logs: log it with its values.
            with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                return CursorWrapper.execute(self, sql, params)

    return PreparingCursor, PreparedDebugWrapper


def prepared_cursor(connection):
    """A cursor whose statements PostgreSQL parses and plans once per connection (see the
    module's docstring); the ordinary cursor on other databases. Statements still go
    through Django's cursor wrapper: logged, counted and wrapped like any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    cursor_class, debug_wrapper = _postgresql_classes()
    # What connection.cursor() does before it makes a cursor.
    connection.close_if_health_check_failed()
    connection.validate_thread_sharing()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = cursor_class(connection.connection)
    if connection.queries_logged:
        return debug_wrapper(raw, connection)
    return connection.make_cursor(raw)


def _prepared_values(fields: Sequence[Field], obj: Model, connection, *, adding: bool) -> list:
    """The database values of ``fields`` of ``obj``, prepared as ``save()`` prepares them
    (``pre_save`` sets ``auto_now`` and the like, ``get_db_prep_save`` adapts JSON…)."""
    values = []
    for field in fields:
        value = field.pre_save(obj, adding)
        if hasattr(value, "resolve_expression"):
            raise ValueError(f"{field.name}: only plain values can be written.")
        values.append(field.get_db_prep_save(value, connection))
    return values


class CompiledUpdate:
    """``update(obj)`` writes these fields of a model instance by its key, as
    ``obj.save(update_fields=fields)`` does, with SQL built once from the fields' declaration.

    ``save()`` compiled an ``UPDATE`` every time: a sixth of a ballot submission's CPU. The
    values are prepared by the fields themselves (``pre_save``, then ``get_db_prep_save``:
    ``auto_now`` is set, JSON is adapted), as ``save()`` would. Model signals are not sent,
    so only a model without ``pre_save``/``post_save`` receivers may use it; plain values
    only (no expressions). Raises ``DatabaseError`` when no row has that key, as ``save()``
    does with ``update_fields``.
    """

    def __init__(self, model: type[Model], fields: Sequence[str]) -> None:
        self.model = model
        self.fields: list[Field] = [model._meta.get_field(name) for name in fields]
        if any(f.primary_key or not f.concrete for f in self.fields):
            raise ValueError("Only concrete fields other than the key can be updated.")
        self._sql: dict[str, str] = {}

    def sql(self, connection) -> str:
        sql = self._sql.get(connection.alias)
        if sql is None:
            quote = connection.ops.quote_name
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in self.fields)
            pk = self.model._meta.pk
            sql = self._sql[connection.alias] = (
                f"UPDATE {quote(self.model._meta.db_table)} SET {assignments} "
                f"WHERE {quote(pk.column)} = %s"
            )
        return sql

    def __call__(self, obj: Model, using: str = "default") -> None:
        connection = connections[using]
        values = _prepared_values(self.fields, obj, connection, adding=False)
        pk = self.model._meta.pk
        values.append(pk.get_db_prep_value(obj.pk, connection))
        with prepared_cursor(connection) as cursor:
            cursor.execute(self.sql(connection), values)
            if cursor.rowcount != 1:
                raise DatabaseError("The update did not affect exactly one row.")


class CompiledInsert:
    """``insert(obj)`` inserts a model instance as ``bulk_create([obj], ignore_conflicts=True)``
    does, with SQL built once from the model's declaration; True when a row was inserted,
    False when a unique constraint already held one.

    ``bulk_create`` compiled its ``INSERT`` every time, and a ballot's first submission makes
    two (the zone's draft row, its participation). Values are prepared by the fields
    (``pre_save`` with ``add=True``, then ``get_db_prep_save``), as ``bulk_create`` does; the
    key is left to the database when it is an auto field. No signals are sent
    (``bulk_create`` sends none either).
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        opts = model._meta
        self.fields: list[Field] = [
            f for f in opts.concrete_fields if f is not opts.auto_field and not f.generated
        ]
        self._sql: dict[str, str] = {}

    def sql(self, connection) -> str:
        sql = self._sql.get(connection.alias)
        if sql is None:
            quote, ops = connection.ops.quote_name, connection.ops
            columns = ", ".join(quote(f.column) for f in self.fields)
            placeholders = ", ".join(["%s"] * len(self.fields))
            sql = self._sql[connection.alias] = (
                f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "
                f"{quote(self.model._meta.db_table)} ({columns}) VALUES ({placeholders}) "
                + ops.on_conflict_suffix_sql(self.fields, OnConflict.IGNORE, None, None)
            ).rstrip()
        return sql

    def __call__(self, obj: Model, using: str = "default") -> bool:
        connection = connections[using]
        values = _prepared_values(self.fields, obj, connection, adding=True)
        with prepared_cursor(connection) as cursor:
            cursor.execute(self.sql(connection), values)
            inserted = cursor.rowcount == 1
        obj._state.adding, obj._state.db = False, using
        return inserted
