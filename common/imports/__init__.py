"""The staff import framework shared by the responsibility lists, the rectification ledger and the
organisational-life records: read a table (.xlsx, .xls, .docx, .csv) → plan with row errors → preview → confirm,
all rows or none.

Each importer declares its columns and row rules (plans, rows); this package holds the rest: the staff check, the
upload form, where an uploaded file waits between the preview and the confirmation (staging), the preview and
confirm views (views), the base management command (commands), the blank template (templates), and the exception a
service raises when a file has errors.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from accounts.models import Role

from .forms import TableUploadForm
from .plans import Plan, read_rows
from .rows import RowChecker, RowError, cell_text
from .staging import StagedImport


class ImportRejected(Exception):
    """The file has errors (or nothing to import); nothing was written. `plan` lists the errors."""

    def __init__(self, plan):
        super().__init__("; ".join(str(e) for e in plan.errors[:5]))
        self.plan = plan


def staff_required(request) -> None:
    """Only 党务工作人员 (and superusers) import files and manage what they import."""
    user = request.user
    if not (user.is_authenticated and (user.is_superuser or user.has_role(Role.STAFF))):
        raise PermissionDenied


def import_actor(username: str = "", *, who: str = "导入人"):
    """The user an import command records: the named active user, else the first active 党务工作人员, else an
    active superuser. `who` names the role in the error (导入人, 操作人)."""
    users = get_user_model().objects.filter(is_active=True)
    actor = users.filter(username=username).first() if username else (
        users.filter(role_grants__role=Role.STAFF).order_by("pk").first() or users.filter(is_superuser=True).first())
    if actor is None:
        raise CommandError(f"找不到{who}：请用 --user 指定一个党务工作人员账号。")
    return actor


__all__ = ["ImportRejected", "Plan", "RowChecker", "RowError", "StagedImport", "TableUploadForm", "cell_text",
           "import_actor", "read_rows", "staff_required"]
