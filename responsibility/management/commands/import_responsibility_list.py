"""Import a responsibility list (or risk list) from an Excel file: all rows or none."""
import io
import os

from django.core.management.base import BaseCommand, CommandError

from branches.models import Organisation, Person
from common.imports import import_actor
from responsibility.models import ListKind
from responsibility.services import ImportRejected, responsibility_list_import, responsibility_list_plan, \
    responsibility_list_publish

KIND_HELP = "；".join(f"{value}={label}" for value, label in ListKind.choices)


class Command(BaseCommand):
    help = "从 Excel 导入责任清单（默认党组主体责任清单；--kind risk 为科室廉政风险防控清单）。有任何错误则不导入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="Excel 文件（.xlsx）路径")
        parser.add_argument("--year", type=int, required=True, help="清单年度，如 2022")
        parser.add_argument("--kind", default=ListKind.MAIN, choices=ListKind.values, help=f"清单类型：{KIND_HELP}")
        parser.add_argument("--title", default="", help="清单标题（默认“年度+清单类型”）")
        parser.add_argument("--owner-org", default="", help="清单所属组织名称（如某支部的支部书记清单）")
        parser.add_argument("--owner-person", default="", help="清单所属个人姓名（如某班子成员的一岗双责清单）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将要导入的内容，不写入")
        parser.add_argument("--publish", action="store_true", help="导入后立即发布（生成任务分解）")
        parser.add_argument("--user", default="", help="以该用户名记录操作人（默认第一个党务工作人员）")

    def handle(self, *args, path, year, kind, title, owner_org, owner_person, dry_run, publish, user, **options):
        owner_organisation = self._lookup(Organisation, owner_org) if owner_org else None
        owner = self._lookup(Person, owner_person) if owner_person else None
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CommandError(f"无法打开文件 {path}：{exc.strerror}") from None

        if dry_run:
            plan = responsibility_list_plan(source=io.BytesIO(data), year=year, kind=kind, file_name=os.path.basename(path),
                                            owner_organisation=owner_organisation, owner_person=owner)
            self._summary(plan)
            if plan.errors:
                self._errors(plan)
                raise CommandError(f"发现 {len(plan.errors)} 处错误，未导入。")
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未写入）。"))
            return
        actor = import_actor(user, who="操作人")
        try:
            rlist = responsibility_list_import(actor=actor, source=io.BytesIO(data), year=year, kind=kind, title=title,
                                               file_name=os.path.basename(path), owner_organisation=owner_organisation,
                                               owner_person=owner)
        except ImportRejected as exc:
            self._summary(exc.plan)
            self._errors(exc.plan)
            raise CommandError(f"发现 {len(exc.plan.errors)} 处错误，未导入任何数据。") from None
        items = rlist.items.count()
        self.stdout.write(self.style.SUCCESS(f"已导入“{rlist}”：{items} 项（草稿）。"))
        if publish:
            responsibility_list_publish(actor=actor, rlist=rlist)
            from responsibility.models import Assignment

            count = Assignment.objects.filter(item__responsibility_list=rlist).count()
            self.stdout.write(self.style.SUCCESS(f"已发布：生成任务分解 {count} 条。"))

    def _lookup(self, model, name):
        found = list(model.objects.filter(name=name)[:2])
        if len(found) != 1:
            raise CommandError(f"未找到唯一的“{name}”")
        return found[0]

    def _summary(self, plan):
        self.stdout.write(f"文件：{plan.file_name}  工作表：{plan.sheet or '-'}  表头行：{plan.header_row or '-'}")
        self.stdout.write(f"事项 {len(plan.items)} 项，任务分解 {plan.assignment_count} 条")
        if plan.items:
            self.stdout.write("按类别：" + "，".join(f"{c or '（无类别）'} {n}" for c, n in plan.by_category))
            self.stdout.write("按频次：" + "，".join(f"{f} {n}" for f, n in plan.by_frequency))
            if plan.kind == ListKind.RISK:
                self.stdout.write("按风险等级：" + "，".join(f"{f} {n}" for f, n in plan.by_risk_level))
        for item in plan.items:
            self.stdout.write(f"  第{item.row}行 {item.seq} [{item.category}] {item.content[:30]} → "
                              f"{item.unit_names} · {item.deadline.label}"
                              + (f" {item.deadline.last_due}" if item.deadline.due_dates else ""))

    def _errors(self, plan):
        for error in plan.errors:
            self.stderr.write(f"错误：{error}")
