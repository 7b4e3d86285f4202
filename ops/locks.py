"""Job locks that die with their holder: a PostgreSQL session advisory lock is released when the process holding it
dies (SIGKILL, power cut), so a redelivered task can tell a dead runner from a live one at once."""
from __future__ import annotations

import contextlib

from django.db import connection

YEAR_END_EXPORT = 727_002  # lock namespaces (pg_advisory_lock's first key)
AUDIT_ARCHIVE = 727_003


@contextlib.contextmanager
def job_lock(namespace: int, key: int):
    """Yield True when this process holds the lock for (namespace, key) (always True outside PostgreSQL, where the
    caller falls back on its time-based rule), False while a live process holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])


def holder_alive_rules() -> bool:
    """True where job_lock tells live runners from dead ones (then a running job without a holder is takeable)."""
    return connection.vendor == "postgresql"
