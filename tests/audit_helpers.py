"""Reading the audit log's transition entries in tests."""
from auditlog.models import LogEntry


def transitions(obj):
    """(actor, changes, comment) of every workflow transition the audit log holds for `obj`, oldest first."""
    entries = LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    return [(e.actor.username if e.actor else None, e.changes_dict, (e.additional_data or {}).get("comment", ""))
            for e in entries if (e.additional_data or {}).get("transition")]
