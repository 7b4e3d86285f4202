"""Import a 问题整改台账 from a table file: all rows or none."""
from django.core.management.base import CommandError

from common.imports.commands import ImportCommand
from rectification.importers import LedgerPlan, parse_source
from rectification.models import Measure, Source
from rectification.services import rectification_ledger_import, rectification_ledger_plan

SOURCE_HELP = "；".join(f"{value}={label}" for value, label in Source.choices)


class Command(ImportCommand):
    help = "从 Excel/Word/CSV 导入问题整改台账（问题、整改措施及其完成、销号状态）。有任何错误则不导入。"
    noun = "整改措施"

    def add_import_arguments(self, parser):
        parser.add_argument("--batch-title", default="", help="批次标题（默认取表头上方的标题行）")
        parser.add_argument("--source", default="", help=f"问题来源（默认按标题判断）：{SOURCE_HELP}")

    def prepare(self, options):
        source = options["source"]
        if source and not parse_source(source):
            raise CommandError(f"未知的问题来源“{source}”，可选：{SOURCE_HELP}")
        return {"title": options["batch_title"], "source_kind": source}

    def plan(self, *, source, file_name, title, source_kind):
        return rectification_ledger_plan(source=source, file_name=file_name, title=title, source_kind=source_kind)

    def run(self, *, actor, source, file_name, title, source_kind):
        return rectification_ledger_import(actor=actor, source=source, file_name=file_name, title=title,
                                           source_kind=source_kind)

    def describe(self, plan: LedgerPlan):
        self.stdout.write(f"批次：{plan.title or '-'}  来源：{plan.source_label or '-'}  "
                          f"反馈时间：{plan.feedback_on or '-'}")
        self.stdout.write(f"问题 {len(plan.problems)} 个，整改措施 {len(plan.measures)} 项")
        for label, counts in (("是否完成整改", plan.by_done), ("是否销号", plan.by_struck),
                              ("导入后状态", plan.by_state), ("整改类型", plan.by_kind)):
            if counts:
                self.stdout.write(f"{label}：" + "，".join(f"{k} {n}" for k, n in counts))

    def done(self, batch, *, actor, options):
        problems = batch.problems.count()
        measures = Measure.objects.filter(problem__batch=batch).count()
        self.stdout.write(self.style.SUCCESS(f"已导入“{batch}”：{problems} 个问题，{measures} 项整改措施。"))
