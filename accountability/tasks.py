"""Celery tasks for 问责: thin adapters over the services."""
from celery import shared_task

from .reuse import fingerprints_refresh


@shared_task(name="accountability.refresh_fingerprints")
def refresh_fingerprints() -> int:
    """Fingerprint new evidence files and progress texts for the 纸上整改 flags (safe to repeat)."""
    total = 0
    while True:
        made = fingerprints_refresh()
        total += made
        if not made:
            return total
