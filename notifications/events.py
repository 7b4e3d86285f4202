"""Workflow notifications: tell people the moment something happens that concerns them.

Any app announces a change with `notify(...)`, called inside the transaction that makes the change:

    from notifications.events import notify
    from notifications.models import Kind, Level

    notify(subject=instruction, key=f"answered:{event.pk}", recipients=[issuer.user], actor=actor,
           kind=Kind.INSTRUCTION, title=f"督办事项“{instruction.title}”已回复", body=answer_text,
           link=reverse("accountability:detail", args=[instruction.pk]), organisation_id=instruction.org_id)

- The notification rows are written in the caller's transaction, so a rolled-back change notifies nobody; email
  and group-robot delivery is queued when it commits (same channels and digest as the daily reminders).
- `key` names this occurrence (an event id is best): the same (subject, key, recipient) is recorded once, so
  calling twice for the same event notifies once.
- The acting user is never told of their own action; inactive users and None are dropped.
"""
from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ops import outbox

from .models import Kind, Level, Reminder

KEY_PREFIX = "ev:"  # event notifications' stage keys; the scanned reminders' stages never start with it


def _recipients(users, actor) -> list:
    seen, found = set(), []
    actor_id = getattr(actor, "pk", None)
    for user in users:
        if user is None or not user.is_active or user.pk == actor_id or user.pk in seen:
            continue
        seen.add(user.pk)
        found.append(user)
    return found


def notify(*, subject, key: str, recipients, title: str, kind: str = Kind.OTHER, level: str = Level.GREEN,
           body: str = "", link: str = "", organisation_id: int | None = None, actor=None) -> list[Reminder]:
    """Record a notification for each recipient and queue its delivery on commit; returns the new rows."""
    from .services import _plan_deliveries

    users = _recipients(recipients, actor)
    if not users:
        return []
    run = uuid.uuid4()
    content_type = ContentType.objects.get_for_model(type(subject))
    stage = f"{KEY_PREFIX}{key}"[:40]
    today = timezone.localdate()
    rows = [Reminder(content_type=content_type, object_id=subject.pk, stage=stage, recipient=user,
                     organisation_id=organisation_id, level=level, kind=kind, title=title[:200], body=body,
                     link=link, on_date=today, run=run) for user in users]
    with transaction.atomic():
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(Reminder.objects.filter(run=run).select_related("recipient"))
        _plan_deliveries(created)
        # Sent to the broker on commit; kept in the outbox and sent later if the broker is down.
        outbox.enqueue("notifications.deliver_reminders", key="reminders:deliver")
    return created
