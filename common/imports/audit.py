"""Audit rows for objects an import creates in bulk: bulk_create sends no signals, so the import writes the same
"created" LogEntry rows django-auditlog would have written one by one, in one INSERT, with the importer as actor."""
from __future__ import annotations

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.encoding import smart_str


def log_created(instances, *, actor) -> int:
    """Write one "created" audit entry per saved instance (of one registered model); returns how many."""
    instances = [obj for obj in instances if auditlog.contains(type(obj))]
    if not instances:
        return 0
    try:
        context = auditlog_value.get()
    except LookupError:
        context = {}
    content_type = ContentType.objects.get_for_model(type(instances[0]))
    now, cid = timezone.now(), get_cid()
    entries = [LogEntry(
        content_type=content_type, object_pk=str(obj.pk), object_id=obj.pk, object_repr=smart_str(obj)[:2000],
        action=LogEntry.Action.CREATE, changes=model_instance_diff(None, obj) or {}, actor=actor,
        actor_email=getattr(actor, "email", None) or None, remote_addr=context.get("remote_addr"),
        remote_port=context.get("remote_port"), timestamp=now, cid=cid,
    ) for obj in instances]
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
