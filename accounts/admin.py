"""Admin for accounts (系统管理员) and role grants (安全管理员)."""
from django import forms
from django.contrib import admin
from django.contrib.admin import models as admin_models  # noqa: F401  (admin.models.LogEntry)
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin

from . import audit_admin  # noqa: F401  (the audit log and login records)
from .models import ADMIN_ROLES, RoleGrant, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # No superuser flag, groups or raw permissions here: roles are granted by the security admin.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "email", "receive_email")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["username", "name", "email", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "name", "email"]
    filter_horizontal = []

    def has_change_permission(self, request, obj=None):
        # 三员分立: the system administrator must not reset the security or audit administrator's password.
        if obj is not None and not request.user.is_superuser and obj.pk != request.user.pk \
                and obj.granted_roles & ADMIN_ROLES:
            return False
        return super().has_change_permission(request, obj)


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "role"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantForm
    list_display = ["user", "role", "granted_by", "granted_at"]
    list_filter = ["role"]
    list_select_related = ["user", "granted_by"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__name"]

    def has_change_permission(self, request, obj=None):
        return False  # a grant is given or withdrawn, never edited

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        actor = request.user

        class Form(form_class):
            def _post_clean(self):
                self.instance.granted_by = actor
                super()._post_clean()

        return Form


@admin.register(admin.models.LogEntry)
class AdminActionAdmin(ReadOnlyAdmin):
    """What was done through this admin site, by whom: read by the audit administrator, changed by nobody."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "change_message"]
    list_filter = ["action_flag", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "user__username", "user__name"]
    date_hierarchy = "action_time"
