from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from . import sessions  # noqa: F401  (connects the login-time receiver)


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (the package gives its app none)."""

    verbose_name = _("登录安全记录")
