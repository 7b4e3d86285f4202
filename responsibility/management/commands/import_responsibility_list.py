"""Import a responsibility list (or risk list) from a table file: all rows or none."""
from django.core.management.base import CommandError

from branches.models import Organisation, Person
from common.imports.commands import ImportCommand
from responsibility.models import Assignment, ListKind
from responsibility.services import responsibility_list_import, responsibility_list_plan, responsibility_list_publish

KIND_HELP = "；".join(f"{value}={label}" for value, label in ListKind.choices)


class Command(ImportCommand):
    help = ("从 Excel/Word/CSV 导入责任清单（默认党组主体责任清单；--kind risk 为科室廉政风险防控清单）。"
            "有任何错误则不导入。")
    noun = "事项"
    actor_role = "操作人"

    def add_import_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="清单年度，如 2022")
        parser.add_argument("--kind", default=ListKind.MAIN, choices=ListKind.values, help=f"清单类型：{KIND_HELP}")
        parser.add_argument("--title", default="", help="清单标题（默认“年度+清单类型”）")
        parser.add_argument("--owner-org", default="", help="清单所属组织名称（如某支部的支部书记清单）")
        parser.add_argument("--owner-person", default="", help="清单所属个人姓名（如某班子成员的一岗双责清单）")
        parser.add_argument("--publish", action="store_true", help="导入后立即发布（生成任务分解）")

    def prepare(self, options):
        return {
            "year": options["year"], "kind": options["kind"],
            "owner_organisation": self._lookup(Organisation, options["owner_org"]) if options["owner_org"] else None,
            "owner_person": self._lookup(Person, options["owner_person"]) if options["owner_person"] else None,
            "title": options["title"],
        }

    def plan(self, *, source, file_name, title, **prepared):
        return responsibility_list_plan(source=source, file_name=file_name, **prepared)

    def run(self, *, actor, source, file_name, **prepared):
        return responsibility_list_import(actor=actor, source=source, file_name=file_name, **prepared)

    def done(self, rlist, *, actor, options):
        self.stdout.write(self.style.SUCCESS(f"已导入“{rlist}”：{rlist.items.count()} 项（草稿）。"))
        if options["publish"]:
            responsibility_list_publish(actor=actor, rlist=rlist)
            count = Assignment.objects.filter(item__responsibility_list=rlist).count()
            self.stdout.write(self.style.SUCCESS(f"已发布：生成任务分解 {count} 条。"))

    def _lookup(self, model, name):
        found = list(model.objects.filter(name=name)[:2])
        if len(found) != 1:
            raise CommandError(f"未找到唯一的“{name}”")
        return found[0]

    def describe(self, plan):
        if plan.title_kind:
            self.stderr.write(f"注意：文件标题写的是“{plan.title_kind_label}”，将按 --kind 指定的"
                              f"“{ListKind(plan.kind).label}”导入。")
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
