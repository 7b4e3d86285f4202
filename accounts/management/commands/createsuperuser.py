"""createsuperuser as a break-glass tool only: refused unless ALLOW_BREAK_GLASS_SUPERUSER is on, and each account it
creates is written to the audit log with the operating-system user and host that ran it (no request, no actor)."""
import getpass
import socket

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def operator() -> dict[str, str]:
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        os_user = "?"
    return {"os_user": os_user, "host": socket.gethostname()}


class Command(createsuperuser.Command):
    help = _("应急超级管理员：仅在设置 ALLOW_BREAK_GLASS_SUPERUSER=true 时可用，每次使用记入审计日志。")

    def handle(self, *args, **options):
        if not settings.ALLOW_BREAK_GLASS_SUPERUSER:
            raise CommandError(_(
                "已禁止创建超级管理员（三员分立）。账号由系统管理员在管理后台建立；确需应急时，"
                "设置环境变量 ALLOW_BREAK_GLASS_SUPERUSER=true 后重试，用后立即关闭。"))
        database = options.get("database") or "default"
        users = get_user_model()._default_manager.db_manager(database)
        before = set(users.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in users.filter(is_superuser=True).exclude(pk__in=before):
            LogEntry.objects.db_manager(database).log_create(
                user, force_log=True, action=LogEntry.Action.ACCESS, changes={},
                additional_data={"break_glass_superuser": True, **operator()})
