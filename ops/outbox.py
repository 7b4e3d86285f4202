"""The task outbox: every enqueue site calls `enqueue`, so a broker outage delays work instead of losing it.

`enqueue` writes a row in the caller's transaction and hands the task to the broker once that transaction commits.
If the broker cannot be reached the row stays, the request carries on (no HTTP 500), and `sweep` (run by beat every
OUTBOX_SWEEP_SECONDS, and by each worker as it starts) sends it when the broker is back. A row is claimed with a
conditional UPDATE before it is sent and deleted once sent, so the on-commit send and a sweep never both send it.
"""
from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.observability import HEADER, current_request_id

from .models import OutboxMessage

log = logging.getLogger(__name__)

CLAIM_FOR = datetime.timedelta(seconds=60)


def enqueue(task: str, *, args: list | tuple = (), kwargs: dict | None = None, key: str = "") -> OutboxMessage:
    """Queue the Celery task named `task` once the current transaction commits (at once outside one)."""
    message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=kwargs or {}, key=key[:200],
                                           request_id=current_request_id()[:64])
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def is_waiting(key: str) -> bool:
    """True while a task recorded under `key` has not reached the broker (the page says it will start later)."""
    return bool(key) and OutboxMessage.objects.filter(key=key).exists()


def _unclaimed(now) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _claim(pk: int, now) -> bool:
    return OutboxMessage.objects.filter(_unclaimed(now), pk=pk).update(claimed_until=now + CLAIM_FOR) == 1


def _publish(name: str, args: list, kwargs: dict, request_id: str) -> None:
    from config.celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovered lazily)
    task = app.tasks.get(name)  # registered tasks go through apply_async, which honours CELERY_TASK_ALWAYS_EAGER
    if task is not None and app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, headers={HEADER: request_id})
        return
    # kombu retries a lost connection forever unless told otherwise; one bounded attempt here, so a request or a
    # scan never waits on a broker that is down (the row stays for the sweep).
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        if task is not None:
            task.apply_async(args=args, kwargs=kwargs, retry=False, headers={HEADER: request_id},
                             connection=connection)
        else:
            app.send_task(name, args=args, kwargs=kwargs, retry=False, headers={HEADER: request_id},
                          connection=connection)


def dispatch(pk: int) -> bool:
    """Send one stored task to the broker; True when sent (the row is gone), False when it stays for the sweep."""
    now = timezone.now()
    if not _claim(pk, now):
        return False
    message = OutboxMessage.objects.filter(pk=pk).first()
    if message is None:
        return False
    try:
        _publish(message.task, message.args, message.kwargs, message.request_id)
    except Exception as exc:  # any broker failure: keep the row, the sweep sends it later
        log.warning("broker unreachable, task %s kept in the outbox (%s)", message.task, type(exc).__name__)
        OutboxMessage.objects.filter(pk=pk).update(attempts=message.attempts + 1, claimed_until=None,
                                                   last_error=f"{type(exc).__name__}: {exc}"[:500])
        return False
    OutboxMessage.objects.filter(pk=pk).delete()
    return True


def sweep(*, limit: int = 500) -> int:
    """Send stored tasks oldest first; stop at the first failure (the broker is still down). Returns how many."""
    sent = 0
    now = timezone.now()
    for pk in OutboxMessage.objects.filter(_unclaimed(now)).values_list("pk", flat=True)[:limit]:
        if not dispatch(pk):
            break
        sent += 1
    if sent:
        log.info("outbox: sent %s stored task(s)", sent)
    return sent


def pending_count() -> int:
    return OutboxMessage.objects.count()
