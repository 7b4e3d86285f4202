"""Celery tasks for reminders: thin adapters over the services."""
import datetime

from celery import shared_task
from django.utils import timezone

from .services import deliveries_send, reminders_scan

DAILY_RUN = datetime.time(8, 30)  # Asia/Shanghai; matches the beat schedule in config/celery.py


@shared_task(name="notifications.scan_reminders")
def scan_reminders(date: str | None = None, catch_up: bool = False) -> int:
    """Record today's reminders (safe to repeat) and deliver them.

    The hourly catch-up run does not send the day's reminders before the daily run's time."""
    now = timezone.localtime()
    if catch_up and now.time() < DAILY_RUN:
        deliveries_send()
        return 0
    today = datetime.date.fromisoformat(date) if date else now.date()
    created = len(reminders_scan(today=today).created)
    deliveries_send()
    return created


@shared_task(name="notifications.deliver_reminders", autoretry_for=(Exception,), retry_backoff=30,
             retry_backoff_max=600, max_retries=5)
def deliver_reminders() -> dict:
    return deliveries_send()
