"""The base of every import command: a file path, --dry-run and --user; the plan's summary and every error on
stderr; all rows or none. A command declares its own options, its plan and import services and its summary."""
from __future__ import annotations

import io
import os

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from common.tables import ReadError
from common.tables.limits import check_upload_size, limit

from . import ImportRejected, import_actor


class ImportCommand(BaseCommand):
    noun = "记录"  # what the file holds, for "文件中没有可导入的记录"
    actor_role = "导入人"

    def add_arguments(self, parser):
        parser.add_argument("path", help="文件路径（Excel .xlsx/.xls、Word .docx 或 CSV）")
        self.add_import_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将要导入的内容，不写入")
        parser.add_argument("--user", default="", help="以该用户名记录操作人（默认第一个党务工作人员）")

    # -- what a command supplies
    def add_import_arguments(self, parser) -> None:
        pass

    def prepare(self, options: dict) -> dict:
        """Check and resolve the command's own options before the file is read; returns what plan/run need."""
        return {}

    def plan(self, *, source, file_name: str, **prepared):
        raise NotImplementedError

    def run(self, *, actor, source, file_name: str, **prepared):
        raise NotImplementedError

    def describe(self, plan) -> None:
        """Lines after the file line: counts by kind, then the planned entries."""

    def done(self, result, *, actor, options: dict) -> None:
        raise NotImplementedError

    # -- the flow
    def handle(self, *args, path, dry_run, user, **options):
        prepared = self.prepare(options)
        try:
            with open(path, "rb") as handle:
                data = handle.read(limit("IMPORT_MAX_UPLOAD_BYTES") + 1)
        except OSError as exc:
            raise CommandError(f"无法打开文件 {path}：{exc.strerror}") from None
        try:
            check_upload_size(len(data))
        except ReadError as exc:
            raise CommandError(exc.message) from None
        name = os.path.basename(path)
        if dry_run:
            plan = self.plan(source=io.BytesIO(data), file_name=name, **prepared)
            self.summary(plan)
            if plan.errors:
                self.errors(plan)
                raise CommandError(f"发现 {len(plan.errors)} 处错误，未导入。")
            if not plan.entries:
                raise CommandError(f"文件中没有可导入的{self.noun}。")
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未写入）。"))
            return
        actor = import_actor(user, who=self.actor_role)
        try:
            result = self.run(actor=actor, source=io.BytesIO(data), file_name=name, **prepared)
        except ImportRejected as exc:
            self.summary(exc.plan)
            self.errors(exc.plan)
            if not exc.plan.errors:
                raise CommandError(f"文件中没有可导入的{self.noun}。") from None
            raise CommandError(f"发现 {len(exc.plan.errors)} 处错误，未导入任何数据。") from None
        except PermissionDenied as exc:
            raise CommandError(f"{actor.username}：{exc}") from None
        self.done(result, actor=actor, options=options)

    def summary(self, plan) -> None:
        self.stdout.write(f"文件：{plan.file_name}  工作表：{plan.sheet or '-'}  表头行：{plan.header_row or '-'}")
        self.describe(plan)

    def errors(self, plan) -> None:
        for error in plan.errors:
            self.stderr.write(f"错误：{error}")
