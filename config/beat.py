"""The beat scheduler used in production: exactly one beat schedules, however many are started.

Before it schedules anything a beat takes a lock: a PostgreSQL advisory lock held on a connection of its own (a
second beat on any host waits as a standby and takes over when the first one's connection goes), or, on SQLite, a
file lock under var/ (one host). The schedule's last-run times are kept in the schedule file as usual, so a beat
that was down for a day sends each missed periodic task once when it comes back. Each tick also records the beat's
heartbeat for /healthz.
"""
from __future__ import annotations

import fcntl
import logging
import time

from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

LOCK_KEY = 727_001  # pg_advisory_lock key of the beat; any constant unique to this product
RETRY_SECONDS = 10


class BeatLock:
    """Try to become the one beat; `acquire()` returns False while another beat holds the lock."""

    def __init__(self):
        self._connection = None
        self._file = None

    def acquire(self) -> bool:
        wrapper = connections["default"]
        if wrapper.vendor == "postgresql":
            if self._connection is None:
                self._connection = wrapper.get_new_connection(wrapper.get_connection_params())
                self._connection.autocommit = True
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                return bool(cursor.fetchone()[0])
        if self._file is None:
            self._file = open(settings.VAR_DIR / "beat.lock", "a+")  # held for the life of the process
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def still_held(self) -> bool:
        """False when the lock's database connection is gone (then another beat may have taken over)."""
        if self._connection is None:
            return self._file is not None
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # closing a broken connection
                pass
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None


class LockedScheduler(PersistentScheduler):
    """PersistentScheduler that first waits for the beat lock, and stops if it loses it."""

    heartbeat_every = 30

    def setup_schedule(self):
        self.lock = BeatLock()
        waited = False
        while not self.lock.acquire():
            if not waited:
                log.warning("another beat holds the lock; this one waits as a standby")
                waited = True
            time.sleep(RETRY_SECONDS)
        log.info("beat lock taken; scheduling")
        self._last_heartbeat = 0.0
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_heartbeat >= self.heartbeat_every:
            if not self.lock.still_held():
                raise SystemExit("beat lost its lock connection; exiting so that one beat schedules")
            self._record_heartbeat()
            self._last_heartbeat = now
        return min(super().tick(*args, **kwargs), self.heartbeat_every)

    def _record_heartbeat(self):
        from ops.heartbeat import BEAT, heartbeat_record

        try:
            heartbeat_record(BEAT)
        except Exception:  # a database hiccup must not stop the schedule
            log.warning("could not record the beat heartbeat", exc_info=True)
        finally:
            connections.close_all()

    def close(self):
        super().close()
        self.lock.release()
