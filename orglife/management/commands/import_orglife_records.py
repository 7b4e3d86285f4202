"""Import existing organisational-life records (三会一课 …) from an Excel file: all rows or none."""
import io
import os

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from common.imports import import_actor
from orglife.services import ImportRejected, orglife_records_import, orglife_records_plan


class Command(BaseCommand):
    help = "从 Excel 导入组织生活记录（三会一课、主题党日、谈心谈话等）。有任何错误则不导入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="Excel 文件（.xlsx）路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将要导入的内容，不写入")
        parser.add_argument("--user", default="", help="以该用户名记录导入人（默认第一个党务工作人员）")

    def handle(self, *args, path, dry_run, user, **options):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"无法打开文件 {path}：{exc.strerror}") from None
        name = os.path.basename(path)
        if dry_run:
            plan = orglife_records_plan(source=io.BytesIO(data), file_name=name)
            self._summary(plan)
            if plan.errors:
                self._errors(plan)
                raise CommandError(f"发现 {len(plan.errors)} 处错误，未导入。")
            if not plan.records:
                raise CommandError("文件中没有可导入的记录。")
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未写入）。"))
            return
        actor = import_actor(user)
        try:
            created = orglife_records_import(actor=actor, source=io.BytesIO(data), file_name=name)
        except ImportRejected as exc:
            self._summary(exc.plan)
            self._errors(exc.plan)
            if not exc.plan.errors:
                raise CommandError("文件中没有可导入的记录。") from None
            raise CommandError(f"发现 {len(exc.plan.errors)} 处错误，未导入任何数据。") from None
        except PermissionDenied as exc:
            raise CommandError(f"{actor.username}：{exc}") from None
        self.stdout.write(self.style.SUCCESS(f"已导入 {len(created)} 条组织生活记录。"))

    def _summary(self, plan):
        self.stdout.write(f"文件：{plan.file_name}  工作表：{plan.sheet or '-'}  表头行：{plan.header_row or '-'}")
        self.stdout.write(f"记录 {len(plan.records)} 条")
        if plan.records:
            self.stdout.write("按类型：" + "，".join(f"{name} {n}" for name, n in plan.by_type))
            self.stdout.write("按组织：" + "，".join(f"{name} {n}" for name, n in plan.by_organisation))
        for planned in plan.records:
            data = planned.data
            when = f"{data.date:%Y-%m-%d}" + (f" {data.start_time:%H:%M}" if data.start_time else "")
            self.stdout.write(f"  第{planned.row}行 {planned.organisation.name} {when} [{planned.type_names}] "
                              f"{planned.resolved.topic[:30]}")

    def _errors(self, plan):
        for error in plan.errors:
            self.stderr.write(f"错误：{error}")
