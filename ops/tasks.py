"""Celery tasks for running the system: thin adapters over ops.outbox, ops.heartbeat and the background imports."""
import socket

from celery import shared_task

from common.imports.background import import_job_run

from .heartbeat import WORKER_PREFIX, heartbeat_record
from .outbox import sweep


@shared_task(name="ops.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Send what the outbox kept during a broker outage; running it also proves a worker is consuming."""
    from celery import current_task

    hostname = getattr(current_task.request, "hostname", None) or socket.gethostname()
    heartbeat_record(WORKER_PREFIX + hostname)
    return sweep()


@shared_task(name="imports.import_job", ignore_result=True)
def import_job(job_id: int) -> str:
    """Plan or import a large upload (common/imports/background.py); a repeated delivery does nothing."""
    return import_job_run(job_id=job_id)
