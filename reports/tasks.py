"""Celery tasks for monthly reports: thin adapters over the services."""
from celery import shared_task
from django.utils import timezone

from .services import monthly_reports_generate
from .yearend_services import year_end_export_run


@shared_task(name="reports.generate_monthly_reports")
def generate_monthly_reports(year: int | None = None, month: int | None = None) -> int:
    """Create this month's reports (safe to run again: existing reports only receive missing lines)."""
    today = timezone.localdate()
    return monthly_reports_generate(year=year or today.year, month=month or today.month)


@shared_task(name="reports.year_end_export")
def year_end_export(export_id: int) -> bool:
    """Build a requested year-end workbook and draft (a repeated delivery finds the job taken and does nothing)."""
    return year_end_export_run(export_id=export_id)
