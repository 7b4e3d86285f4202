"""Import a 问题整改台账 from an Excel file: all rows or none."""
import io
import os

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from common.imports import import_actor
from rectification.importers import LedgerPlan, parse_source
from rectification.models import Measure, Source
from rectification.services import ImportRejected, rectification_ledger_import, rectification_ledger_plan

SOURCE_HELP = "；".join(f"{value}={label}" for value, label in Source.choices)


class Command(BaseCommand):
    help = "从 Excel 导入问题整改台账（问题、整改措施及其完成、销号状态）。有任何错误则不导入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="Excel 文件（.xlsx）路径")
        parser.add_argument("--batch-title", default="", help="批次标题（默认取表头上方的标题行）")
        parser.add_argument("--source", default="", help=f"问题来源（默认按标题判断）：{SOURCE_HELP}")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将要导入的内容，不写入")
        parser.add_argument("--user", default="", help="以该用户名记录导入人（默认第一个党务工作人员）")

    def handle(self, *args, path, batch_title, source, dry_run, user, **options):
        if source and not parse_source(source):
            raise CommandError(f"未知的问题来源“{source}”，可选：{SOURCE_HELP}")
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"无法打开文件 {path}：{exc.strerror}") from None
        name = os.path.basename(path)
        if dry_run:
            plan = rectification_ledger_plan(source=io.BytesIO(data), file_name=name, title=batch_title,
                                             source_kind=source)
            self._summary(plan)
            if plan.errors:
                self._errors(plan)
                raise CommandError(f"发现 {len(plan.errors)} 处错误，未导入。")
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未写入）。"))
            return
        actor = import_actor(user)
        try:
            batch = rectification_ledger_import(actor=actor, source=io.BytesIO(data), file_name=name,
                                                title=batch_title, source_kind=source)
        except ImportRejected as exc:
            self._summary(exc.plan)
            self._errors(exc.plan)
            raise CommandError(f"发现 {len(exc.plan.errors)} 处错误，未导入任何数据。") from None
        except PermissionDenied as exc:
            raise CommandError(f"{actor.username}：{exc}") from None
        problems = batch.problems.count()
        measures = Measure.objects.filter(problem__batch=batch).count()
        self.stdout.write(self.style.SUCCESS(f"已导入“{batch}”：{problems} 个问题，{measures} 项整改措施。"))

    def _summary(self, plan: LedgerPlan):
        self.stdout.write(f"文件：{plan.file_name}  工作表：{plan.sheet or '-'}  表头行：{plan.header_row or '-'}")
        self.stdout.write(f"批次：{plan.title or '-'}  来源：{plan.source_label or '-'}  "
                          f"反馈时间：{plan.feedback_on or '-'}")
        self.stdout.write(f"问题 {len(plan.problems)} 个，整改措施 {len(plan.measures)} 项")
        for label, counts in (("是否完成整改", plan.by_done), ("是否销号", plan.by_struck),
                              ("导入后状态", plan.by_state), ("整改类型", plan.by_kind)):
            if counts:
                self.stdout.write(f"{label}：" + "，".join(f"{k} {n}" for k, n in counts))

    def _errors(self, plan: LedgerPlan):
        for error in plan.errors:
            self.stderr.write(f"错误：{error}")
