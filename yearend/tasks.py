"""Celery tasks for year-end exports: thin adapters over the job."""
from celery import shared_task

from .jobs import year_end_export_run


# The name it had in reports: jobs queued before an upgrade still find their task.
@shared_task(name="reports.year_end_export")
def year_end_export(export_id: int) -> bool:
    """Build a requested year-end workbook and draft (a repeated delivery finds the job taken and does nothing)."""
    return year_end_export_run(export_id=export_id)
