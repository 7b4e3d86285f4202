"""The admin site: open to anyone whose roles grant a model permission, not to an is_staff flag."""
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class ZerenlianAdminSite(admin.AdminSite):
    site_header = _("责任链 管理后台")
    site_title = _("责任链")
    index_title = _("数据维护")

    def has_permission(self, request):
        from accounts.permissions import can_use_admin

        return can_use_admin(request.user)


class ZerenlianAdminConfig(AdminConfig):
    default_site = "config.admin.ZerenlianAdminSite"
