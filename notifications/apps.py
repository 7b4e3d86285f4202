from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒通知")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ReminderSettings, Webhook

        auditlog.register(ReminderSettings)
        auditlog.register(Webhook, exclude_fields=["url"])  # the robot's key is a secret
