"""django-axes installed under a Chinese name (INSTALLED_APPS names this class instead of "axes")."""
from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (the package gives its app none)."""

    verbose_name = _("登录安全记录")
