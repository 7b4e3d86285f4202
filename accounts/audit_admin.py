"""The audit trail in the admin, as the 审计管理员 reads it: Chinese names for models, fields and actions, changes as
字段：修改前 → 修改后, and nothing anyone (superusers included) can add, change or delete."""
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from axes.admin import AccessAttemptAdmin as AxesAttemptAdmin
from axes.admin import AccessFailureLogAdmin as AxesFailureAdmin
from axes.admin import AccessLogAdmin as AxesLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyMixin
from common.audit import ACTION_LABELS, change_lines, changes_summary, entry_comment, related_names


class ObjectTypeFilter(admin.SimpleListFilter):
    """The followed models by their Chinese names (auditlog's own filter lists raw codes such as monthlyreport)."""

    title = _("对象类型")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*auditlog.get_models())
        names = [str(model._meta.verbose_name) for model in types]
        # Two models of one name (佐证材料 of reports and of measures) are told apart by their app.
        return sorted(((ct.pk, str(model._meta.verbose_name) if names.count(str(model._meta.verbose_name)) == 1
                        else f"{model._meta.verbose_name}（{model._meta.app_config.verbose_name}）")
                       for model, ct in types.items()), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type_id=int(self.value()))
        return queryset


class ActionFilter(admin.SimpleListFilter):
    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(str(code), label) for code, label in ACTION_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(action=int(self.value()))
        return queryset


class TransitionFilter(admin.SimpleListFilter):
    title = _("记录类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("transition", _("流程办理")), ("data", _("数据修改"))]

    def queryset(self, request, queryset):
        if self.value() == "transition":
            return queryset.filter(additional_data__transition=True)
        if self.value() == "data":
            return queryset.exclude(additional_data__transition=True)
        return queryset


admin.site.unregister(LogEntry)  # django-auditlog's own admin: English labels, and deletable by superusers


@admin.register(LogEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["time", "who", "object_type", "what", "action_label", "summary", "comment", "remote_addr"]
    list_filter = [ActionFilter, TransitionFilter, ObjectTypeFilter]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_repr", "actor__username", "actor__name"]
    date_hierarchy = "timestamp"
    fields = readonly_fields = ["time", "who", "object_type", "what", "action_label", "change_table", "comment",
                                "remote_addr", "cid"]
    actions = None

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        names = related_names(changelist.result_list)
        for entry in changelist.result_list:
            entry.related_names = names
        return changelist

    @admin.display(description=_("时间"), ordering="timestamp")
    def time(self, entry):
        return localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("操作人"), ordering="actor")
    def who(self, entry):
        return str(entry.actor) if entry.actor_id else _("系统")

    @admin.display(description=_("对象类型"))
    def object_type(self, entry):
        model = entry.content_type.model_class()
        return str(model._meta.verbose_name) if model else entry.content_type.model

    @admin.display(description=_("对象"))
    def what(self, entry):
        return entry.object_repr[:60]

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self, entry):
        if isinstance(entry.additional_data, dict) and entry.additional_data.get("transition"):
            return _("流程办理")
        return ACTION_LABELS.get(entry.action, entry.action)

    @admin.display(description=_("变更"))
    def summary(self, entry):
        return changes_summary(entry, names=getattr(entry, "related_names", None))

    @admin.display(description=_("说明"))
    def comment(self, entry):
        return entry_comment(entry)

    @admin.display(description=_("变更内容"))
    def change_table(self, entry):
        lines = change_lines(entry, resolve=True)
        if not lines:
            return "—"
        return format_html('<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>',
                           _("字段"), _("修改前"), _("修改后"),
                           format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", lines))


# ---------------------------------------------------------------- django-axes (AXES_ENABLE_ADMIN is off)

@admin.register(AccessFailureLog)
class FailedLoginAdmin(ReadOnlyMixin, AxesFailureAdmin):
    """Every failed login, kept whatever happens later (a success or an unlock removes only the lockout count)."""

    actions = None


@admin.register(AccessLog)
class LoginAdmin(ReadOnlyMixin, AxesLogAdmin):
    actions = None


@admin.register(AccessAttempt)
class LockoutAdmin(AxesAttemptAdmin):
    """The lockout counters: the security administrator deletes one to unlock (the failures stay in the log)."""

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("清理已过期的失败计数"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # axes offers this to anyone who can open the page; only the unlocking role may run it.
        return super().cleanup_expired_attempts(request, queryset)

    @admin.display(description=_("到期时间"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)
