"""The Celery app and every periodic schedule, in one place."""
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

from config.observability import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("zerenlian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_celery_signals()

# Every periodic task, each with the time it runs in Asia/Shanghai (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    # 00:30 on the 1st of every month: open the month's report for every organisation with items due.
    "generate-monthly-reports": {"task": "reports.generate_monthly_reports", "schedule": crontab(minute=30, hour=0,
                                                                                                  day_of_month=1)},
    # 08:30 every day: the day's deadline reminders (reports, rectification measures, committee terms).
    "scan-reminders-daily": {"task": "notifications.scan_reminders", "schedule": crontab(minute=30, hour=8)},
    # At minute 15 of every hour: catch up after an outage and retry deliveries that failed (idempotent).
    "scan-reminders-hourly": {"task": "notifications.scan_reminders", "schedule": crontab(minute=15),
                              "kwargs": {"catch_up": True}},
    # 07:00 every day: catch up on reports for lists published during the month (idempotent).
    "generate-monthly-reports-catch-up": {"task": "reports.generate_monthly_reports",
                                          "schedule": crontab(minute=0, hour=7)},
    # Every OUTBOX_SWEEP_SECONDS (60 s): send tasks the outbox kept while the broker was down; records the worker's
    # heartbeat for /healthz.
    "sweep-outbox": {"task": "ops.sweep_outbox", "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", 60)),
                     "options": {"expires": 300}},
    # 03:30 on the 2nd of every month: audit entries older than AUDIT_RETENTION_DAYS (180) go to a signed archive
    # file and leave the database (accounts/audit_archive.py; check the archives with `manage.py audit_verify`).
    "archive-audit-trail": {"task": "accounts.audit_archive", "schedule": crontab(minute=30, hour=3, day_of_month=2)},
    # At minute 40 of every hour: fingerprint new evidence files and progress texts for the 纸上整改 flags.
    "refresh-evidence-fingerprints": {"task": "accountability.refresh_fingerprints", "schedule": crontab(minute=40)},
}


@worker_ready.connect
def catch_up_on_start(sender, **kwargs):
    """A worker coming back after an outage sends what is still relevant straight away (not before the daily
    run's time: a restart at night waits for the morning)."""
    sender.app.send_task("notifications.scan_reminders", kwargs={"catch_up": True})
    sender.app.send_task("ops.sweep_outbox")
