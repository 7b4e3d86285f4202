"""What /healthz checks: the database, the broker, a worker's heartbeat, the beat's freshness and the outbox."""
from __future__ import annotations

from django.db import connection

from .heartbeat import heartbeat_ages, is_fresh


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any failure is reported, never raised
        return type(exc).__name__


def _broker() -> str:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        return "ok"
    except Exception as exc:
        return type(exc).__name__


def health_report() -> tuple[bool, dict]:
    """(healthy, details). Healthy means the web host can serve: database and broker reachable. A stale worker or
    beat is reported in the details (the web keeps working; queued work waits) without failing the check."""
    database = _database()
    broker = _broker()
    details = {"database": database, "broker": broker}
    if database == "ok":
        from .outbox import pending_count

        try:
            ages = heartbeat_ages()
            details.update({
                "worker": "ok" if is_fresh(ages["worker"]) else "stale",
                "worker_seen_seconds_ago": ages["worker"],
                "beat": "ok" if is_fresh(ages["beat"]) else "stale",
                "beat_seen_seconds_ago": ages["beat"],
                "outbox_pending": pending_count(),
            })
        except Exception as exc:  # tables missing before the first migrate
            details["worker"] = details["beat"] = type(exc).__name__
    healthy = database == "ok" and broker == "ok"
    return healthy, details
