"""Compiled statements: the SQL the ORM writes for a figure, kept per process and sent again as it is.

A dashboard figure is a fixed query whose only inputs are a few values: the day, the year and month, the reminder
thresholds, the organisations covered. Building and compiling it through the ORM costs 2–5 ms of Python every time,
more than most of these queries take to run in the database, and the overview runs about fifteen of them; the
scope of the user, read on every page, is another. So the statement is built once for each distinct set of inputs
(the key), its SQL and parameters are kept, and later calls send that SQL straight to the database.

Only the statement is kept, never a result: every call reads the data as it is now. The key must name every input
the query depends on (the caller's arguments, not the user or the request as such), because the SQL of a key is
reused for as long as the process lives. A builder that runs no query (an empty `IN ()` the ORM answers itself) or
more than one is simply run again next time. Rows come back with the ORM's converters applied (dates on SQLite);
an aggregate's values as the driver gives them, so `aggregate` is for counts."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

MAX_STATEMENTS = 1024  # distinct keys kept per process; the least recently used goes first

# key → (SQL, parameters, what reading the rows needs: the aggregate's names or the compiler and its converters)
_statements: OrderedDict[tuple, tuple[str, tuple, Any]] = OrderedDict()
_lock = threading.Lock()


def aggregate(key: tuple, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What `run()` returns, which must be one `queryset.aggregate(...)` result as it comes (its keys in the order
    of the SQL's columns), compiled once per key."""
    kept = _get(key)
    if kept is not None:
        text, params, names = kept
        return dict(zip(names, _fetch(text, params)[0]))
    result, seen = _capturing(run)
    _keep(key, seen, tuple(result))
    return result


def rows(key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of the `values_list()` queryset `build()` returns, as tuples with the values the ORM would give
    (its converters applied), compiled once per key."""
    kept = _get(key)
    if kept is None:
        queryset = build()
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            text, params = compiler.as_sql()
        except EmptyResultSet:  # an empty IN (): no rows, and nothing to send
            return []
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        kept = (text, tuple(params), (compiler, converters))
        _put(key, kept)
    text, params, (compiler, converters) = kept
    result = _fetch(text, params)
    if converters:
        result = compiler.apply_converters(result, converters)
    return [tuple(row) for row in result]


def sql(key: tuple, build: Callable[[], QuerySet]) -> tuple[str, tuple]:
    """The SQL and parameters of the queryset `build()` returns, to be embedded in a hand-written statement,
    compiled once per key."""
    kept = _get(key)
    if kept is None:
        queryset = build()
        text, params = queryset.query.sql_with_params()
        kept = (text, tuple(params), None)
        _put(key, kept)
    return kept[0], kept[1]


def forget() -> None:
    """Drop every kept statement (tests that change what a key's SQL would be)."""
    with _lock:
        _statements.clear()


def _full_key(key: tuple) -> tuple:
    return (connection.alias, connection.vendor, *key)


def _get(key: tuple):
    full = _full_key(key)
    with _lock:
        kept = _statements.get(full)
        if kept is not None:
            _statements.move_to_end(full)
        return kept


def _keep(key: tuple, seen: list, names: tuple[str, ...]) -> None:
    if len(seen) == 1 and not seen[0][2]:
        text, params, _many = seen[0]
        _put(key, (text, tuple(params or ()), names))


def _put(key: tuple, kept: tuple) -> None:
    with _lock:
        _statements[_full_key(key)] = kept
        while len(_statements) > MAX_STATEMENTS:
            _statements.popitem(last=False)


def _capturing(run):
    seen = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        result = run()
    return result, seen


def _fetch(text: str, params: tuple) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        return cursor.fetchall()
