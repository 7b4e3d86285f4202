"""Celery tasks for monthly reports: thin adapters over the services."""
from celery import shared_task
from django.utils import timezone

from .services import monthly_reports_generate


@shared_task(name="reports.generate_monthly_reports")
def generate_monthly_reports(year: int | None = None, month: int | None = None) -> int:
    """Create this month's reports (safe to run again: existing reports only receive missing lines)."""
    today = timezone.localdate()
    return monthly_reports_generate(year=year or today.year, month=month or today.month)
