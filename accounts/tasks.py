"""Celery tasks of accounts: the monthly archive of the audit trail (a thin adapter over accounts.audit_archive)."""
from celery import shared_task

from .audit_archive import ArchiveBusy, audit_archive


@shared_task(name="accounts.audit_archive", acks_late=True)
def archive_audit_trail() -> int:
    try:
        return audit_archive().total
    except ArchiveBusy:  # a manual run is under way; next month's run takes what is left
        return 0
