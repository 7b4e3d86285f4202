"""Reminder service: record each reminder once, then deliver it after commit, per channel, with its result."""
from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ops import outbox

from .channels import post_webhook, send_digest
from .models import Channel, Delivery, DeliveryStatus, Kind, Reminder, ReminderSettings, Webhook
from .rules import Candidate, all_candidates

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
STUCK_AFTER = datetime.timedelta(minutes=10)  # a 'sending' claim older than this belonged to a worker that died


@dataclass
class ScanResult:
    candidates: list[Candidate]
    created: list[Reminder]


# The centre's category of a scanned reminder, by its subject (orglife reminds of organisations and 班子成员).
KIND_BY_MODEL = {
    "reports.monthlyreport": Kind.REPORT,
    "rectification.measure": Kind.MEASURE,
    "branches.committeeterm": Kind.TERM,
    "branches.organisation": Kind.ORGLIFE,
    "branches.person": Kind.ORGLIFE,
}


def _reminder_rows(candidates, today, run) -> list[Reminder]:
    types: dict[type, ContentType] = {}
    rows = []
    for c in candidates:
        model = type(c.subject)
        ct = types.setdefault(model, ContentType.objects.get_for_model(model))
        for user in c.recipients:
            rows.append(Reminder(content_type=ct, object_id=c.subject.pk, stage=c.stage, recipient=user,
                                 organisation_id=c.organisation_id, level=c.level, title=c.title[:200], body=c.body,
                                 kind=c.kind or KIND_BY_MODEL.get(model._meta.label_lower, Kind.OTHER),
                                 link=c.link, on_date=today, run=run))
    return rows


def existing_keys(rows) -> set[tuple]:
    if not rows:
        return set()
    query = Q()
    for ct, ids in _group(rows).items():
        query |= Q(content_type_id=ct, object_id__in=ids)
    return set(Reminder.objects.filter(query).values_list("content_type_id", "object_id", "stage", "recipient_id"))


def _group(rows):
    grouped = defaultdict(set)
    for r in rows:
        grouped[r.content_type_id].add(r.object_id)
    return grouped


def reminders_scan(*, today: datetime.date, dry_run: bool = False) -> ScanResult:
    """Decide today's reminders and record the new ones with their deliveries in one transaction.

    The unique key (object, stage, recipient) makes re-runs and concurrent runs insert nothing twice; the rows
    this run inserted are recognised by its run id."""
    candidates = all_candidates(today)
    run = uuid.uuid4()
    rows = _reminder_rows(candidates, today, run)
    if dry_run:
        seen = existing_keys(rows)
        fresh = [r for r in rows if (r.content_type_id, r.object_id, r.stage, r.recipient_id) not in seen]
        return ScanResult(candidates, fresh)
    # Rows already recorded are left out before inserting (a daily scan finds most of yesterday's again); the unique
    # key still settles a concurrent run. Read before the transaction: on SQLite a transaction that reads first
    # and then writes cannot wait for another writer.
    seen = existing_keys(rows)
    rows = [r for r in rows if (r.content_type_id, r.object_id, r.stage, r.recipient_id) not in seen]
    with transaction.atomic():
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        created = _inserted(rows, run)
        _plan_deliveries(created)
        # Sent to the broker on commit; kept in the outbox and sent later if the broker is down.
        outbox.enqueue("notifications.deliver_reminders", key="reminders:deliver")
    return ScanResult(candidates, created)


def _inserted(rows: list[Reminder], run) -> list[Reminder]:
    """The rows this run inserted (a row another run had already recorded was skipped), with their ids: the keys
    read back, not whole reminders and their recipients again (14,000 of them at 6,000 organisations)."""
    by_key = {(r.content_type_id, r.object_id, r.stage, r.recipient_id): r for r in rows}
    created = []
    for pk, *key in (Reminder.objects.filter(run=run)  # in the model's order, newest first
                     .values_list("pk", "content_type_id", "object_id", "stage", "recipient_id")):
        row = by_key[tuple(key)]
        row.pk = pk
        row._state.adding, row._state.db = False, Reminder.objects.db
        created.append(row)
    return created


def _plan_deliveries(created: list[Reminder]) -> None:
    rules = ReminderSettings.load()
    hooked = set(Webhook.objects.filter(is_active=True).values_list("organisation_id", flat=True))
    deliveries, announced = [], set()
    for reminder in created:
        user = reminder.recipient
        if rules.email_enabled and user.receive_email and user.email:
            deliveries.append(Delivery(reminder=reminder, channel=Channel.EMAIL))
        key = (reminder.content_type_id, reminder.object_id, reminder.stage)
        # A group robot hears of each (object, stage) once, however many people it concerns.
        if reminder.organisation_id in hooked and key not in announced:
            announced.add(key)
            deliveries.append(Delivery(reminder=reminder, channel=Channel.WEBHOOK))
    Delivery.objects.bulk_create(deliveries, batch_size=1000)


def _due_for_delivery(now):
    retry = Q(status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER) | retry)


def _claim(ids, now) -> tuple[uuid.UUID, list[Delivery]]:
    token = uuid.uuid4()
    _due_for_delivery(now).filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claim=token, claimed_at=now)
    claimed = list(Delivery.objects.filter(claim=token).select_related("reminder__recipient"))
    return token, claimed


def _finish(deliveries, error: Exception | None, now) -> None:
    ids = [d.pk for d in deliveries]
    if error is None:
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENT, sent_at=now, error="")
        return
    for delivery in deliveries:
        delivery.attempts += 1
        delivery.status = DeliveryStatus.FAILED if delivery.attempts < MAX_ATTEMPTS else DeliveryStatus.SKIPPED
        delivery.error = f"{type(error).__name__}: {error}"[:1000]
    Delivery.objects.bulk_update(deliveries, ["attempts", "status", "error"])


def _backoff_passed(delivery: Delivery, now) -> bool:
    if delivery.status != DeliveryStatus.FAILED or delivery.claimed_at is None:
        return True
    return now - delivery.claimed_at >= datetime.timedelta(minutes=2 ** delivery.attempts)


def deliveries_send(*, now=None) -> dict[str, int]:
    """Send every pending delivery: one email digest per recipient, one webhook message per organisation.

    Each group is claimed with a conditional UPDATE first, so two workers never send the same group."""
    now = now or timezone.now()
    due = [d for d in _due_for_delivery(now).select_related("reminder__recipient") if _backoff_passed(d, now)]
    counts = {"sent": 0, "failed": 0}
    by_recipient, by_org, opted_out = defaultdict(list), defaultdict(list), []
    email_enabled = ReminderSettings.load().email_enabled
    for delivery in due:
        if delivery.channel == Channel.EMAIL:
            user = delivery.reminder.recipient
            if not (email_enabled and user.is_active and user.receive_email and user.email):
                opted_out.append(delivery.pk)  # turned off since the delivery was planned
                continue
            by_recipient[delivery.reminder.recipient_id].append(delivery.pk)
        else:
            by_org[delivery.reminder.organisation_id].append(delivery.pk)
    if opted_out:
        _due_for_delivery(now).filter(pk__in=opted_out).update(status=DeliveryStatus.SKIPPED,
                                                               error="不再接收邮件提醒")
    for ids in by_recipient.values():
        _token, claimed = _claim(ids, now)
        if not claimed:
            continue
        error = None
        try:
            send_digest(claimed[0].reminder.recipient, [d.reminder for d in claimed])
        except Exception as exc:  # recorded on the delivery and retried with backoff
            error = exc
        _finish(claimed, error, now)
        counts["failed" if error else "sent"] += len(claimed)
    hooks = defaultdict(list)
    for hook in Webhook.objects.filter(is_active=True, organisation_id__in=by_org):
        hooks[hook.organisation_id].append(hook)
    for org_id, ids in by_org.items():
        _token, claimed = _claim(ids, now)
        if not claimed:
            continue
        error = None
        try:
            for hook in hooks.get(org_id, []):
                post_webhook(hook, [d.reminder for d in claimed])
        except Exception as exc:
            error = exc
        _finish(claimed, error, now)
        counts["failed" if error else "sent"] += len(claimed)
    return counts


# ---------------------------------------------------------------- the notification centre

def notification_mark_read(*, user, reminder_ids=None) -> int:
    """Mark the user's own reminders read (all when no ids are given)."""
    unread = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if reminder_ids is not None:
        unread = unread.filter(pk__in=reminder_ids)
    return unread.update(read_at=timezone.now())
