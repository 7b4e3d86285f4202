"""The audit log's record of a workflow transition, and how any audit entry reads in Chinese.

Transitions claim their row with a conditional UPDATE, which sends no signals, so django-auditlog never sees them;
each service calls `audit_transition` in its own transaction instead (rolled back with it)."""
from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The actions as the 审计管理员 reads them (auditlog's own labels are English codes).
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("创建"),
    LogEntry.Action.UPDATE: gettext_lazy("修改"),
    LogEntry.Action.DELETE: gettext_lazy("删除"),
    LogEntry.Action.ACCESS: gettext_lazy("查阅"),
}
# Names of the pseudo-fields a transition may record that are not model fields.
EXTRA_FIELD_LABELS = {"status": gettext_lazy("状态"), "state": gettext_lazy("状态")}
MASKED_FIELDS = {"password"}


def audit_transition(obj, *, actor, before, after, comment: str = "", field: str = "status") -> LogEntry:
    """Record that `obj` moved from `before` to `after` (codes, not labels), by `actor`, with the comment."""
    data = {"transition": True}
    if comment:
        data["comment"] = str(comment)
    return LogEntry.objects.log_create(
        obj, force_log=True, action=LogEntry.Action.UPDATE, actor=actor,
        changes={field: [_plain(before), _plain(after)]}, additional_data=data)


def _plain(value) -> str:
    return "None" if value is None else str(value)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(EXTRA_FIELD_LABELS.get(name, name))


def _shown(model, name: str) -> bool:
    """Concrete fields only: auditlog's diff of a new object also lists reverse relations and the primary key."""
    field = _field(model, name)
    return field is None or (getattr(field, "concrete", False) and not field.primary_key)


def value_label(model, name: str, value, *, resolve: bool = False, names: dict | None = None) -> str:
    """A stored value as people read it: a choice's label instead of its code, local time, 空 for nothing; the
    object a foreign key names from `names` (read for a whole page, `related_names`) or, with `resolve`, with one
    query (the detail page)."""
    if name in MASKED_FIELDS:
        return "***"
    if value in (None, "None", ""):
        return _("空")
    field = _field(model, name)
    if field is not None and field.choices:
        for code, label in field.flatchoices:
            if str(code) == str(value):
                return str(label)
    if field is not None and field.is_relation and field.many_to_one:
        if names and (field.related_model, str(value)) in names:
            return names[(field.related_model, str(value))]
        if resolve:
            related = field.related_model._default_manager.filter(pk=value).first()
            if related is not None:
                return str(related)
        return f"#{value}"
    if value in ("True", True):
        return _("是")
    if value in ("False", False):
        return _("否")
    if field is not None and field.get_internal_type() == "DateTimeField":
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def related_names(entries) -> dict:
    """The names of the objects the foreign keys in these entries' changes point to: one query per related model,
    so a page of the audit log reads "操作人：吴敏" instead of "#8" at a fixed cost."""
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, change in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is None or not (field.is_relation and field.many_to_one) or not isinstance(change, list):
                continue
            wanted.setdefault(field.related_model, set()).update(
                str(v) for v in change if str(v).isdigit())
    names = {}
    for model, ids in wanted.items():
        # select_related(): the names (__str__) of some models read their parents (a score names its unit).
        for obj in model._default_manager.filter(pk__in=sorted(ids)).select_related():
            names[(model, str(obj.pk))] = str(obj)
    return names


def change_lines(entry: LogEntry, *, resolve: bool = False, names: dict | None = None) -> list[tuple[str, str, str]]:
    """(field name, before, after) for every changed field of an entry, in Chinese; before is empty for a
    creation."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    created = entry.action == LogEntry.Action.CREATE
    lines = []
    for name, change in sorted((entry.changes_dict or {}).items()):
        if not _shown(model, name):
            continue
        label = field_label(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            verb = _("增加") if change.get("operation") == "add" else _("移除")
            lines.append((label, "", f"{verb}：" + "、".join(str(o) for o in change.get("objects", []))))
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            if created and change[1] in (None, "None", ""):
                continue  # a new object's empty fields say nothing
            before = "" if created else value_label(model, name, change[0], resolve=resolve, names=names)
            lines.append((label, before, value_label(model, name, change[1], resolve=resolve, names=names)))
        else:
            lines.append((label, "", str(change)))
    return lines


def changes_summary(entry: LogEntry, limit: int = 80, names: dict | None = None) -> str:
    """One line for the list: 状态：待审核 → 审核通过；审核意见：…"""
    if entry.action == LogEntry.Action.DELETE:
        return ""
    parts = [f"{label}：{after}" if before == "" else f"{label}：{before} → {after}"
             for label, before, after in change_lines(entry, names=names)]
    text = "；".join(parts)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def entry_comment(entry: LogEntry) -> str:
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    return str(data.get("comment", ""))
