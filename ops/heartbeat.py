"""Heartbeats: workers record one each time they run the outbox sweep, beat on its ticks; /healthz reads them."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from .models import Heartbeat

BEAT = "beat"
WORKER_PREFIX = "worker:"


def heartbeat_record(name: str, *, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name[:200], defaults={"seen_at": now or timezone.now()})


def heartbeat_ages(*, now: datetime.datetime | None = None) -> dict:
    """Seconds since the freshest worker and the beat were last seen (None: never)."""
    now = now or timezone.now()
    worker = beat = None
    for name, seen in Heartbeat.objects.values_list("name", "seen_at"):
        age = max(0, int((now - seen).total_seconds()))
        if name == BEAT:
            beat = age
        elif name.startswith(WORKER_PREFIX) and (worker is None or age < worker):
            worker = age
    return {"worker": worker, "beat": beat}


def is_fresh(age: int | None) -> bool:
    return age is not None and age <= settings.HEALTH_STALE_SECONDS
