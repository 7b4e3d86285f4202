"""Admin for accounts (系统管理员) and role grants (安全管理员)."""
from contextvars import ContextVar

from django import forms
from django.contrib import admin
from django.contrib.admin import models as admin_models  # noqa: F401  (admin.models.LogEntry)
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin

from . import audit_admin  # noqa: F401  (the audit log and login records)
from .models import ADMIN_ROLES, RoleGrant, User
from .services import user_password_reset

# Who is resetting a password in the current request: Django's admin view builds the form without the request.
_resetting_actor: ContextVar = ContextVar("resetting_actor", default=None)


class PasswordResetForm(AdminPasswordChangeForm):
    """The admin's 修改密码 form, saved as a reset: the user must change it at next login and is told."""

    def save(self, commit=True):
        actor = _resetting_actor.get()
        if actor is None or not self.cleaned_data.get("set_usable_password", True):
            return super().save(commit=commit)  # disabling password login needs no change at next login
        return user_password_reset(actor=actor, user=self.user, password=self.cleaned_data["password1"])


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
    change_password_form = PasswordResetForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # an account's first password is the administrator's
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        token = _resetting_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _resetting_actor.reset(token)

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
