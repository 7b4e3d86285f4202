"""The Celery app and every periodic schedule, in one place."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("zerenlian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task, each with the time it runs in Asia/Shanghai (CELERY_TIMEZONE).
app.conf.beat_schedule = {}
