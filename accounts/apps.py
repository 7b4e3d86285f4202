from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from . import sessions  # noqa: F401  (connects the login-time receiver)

        # django-auditlog's entries and the admin site's own are both "log entry" in their packages (one msgid, so
        # one translation): the 审计管理员 must tell them apart.
        from auditlog.models import LogEntry as AuditEntry
        from django.contrib.admin.models import LogEntry as AdminEntry

        AuditEntry._meta.verbose_name = AuditEntry._meta.verbose_name_plural = _("审计记录")
        AdminEntry._meta.verbose_name = AdminEntry._meta.verbose_name_plural = _("后台操作记录")
