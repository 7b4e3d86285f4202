"""Import existing organisational-life records (三会一课 …) from a table file: all rows or none."""
from common.imports.commands import ImportCommand
from orglife.services import orglife_records_import, orglife_records_plan


class Command(ImportCommand):
    help = "从 Excel/Word/CSV 导入组织生活记录（三会一课、主题党日、谈心谈话等）。有任何错误则不导入。"
    noun = "记录"

    def plan(self, *, source, file_name):
        return orglife_records_plan(source=source, file_name=file_name)

    def run(self, *, actor, source, file_name):
        return orglife_records_import(actor=actor, source=source, file_name=file_name)

    def describe(self, plan):
        self.stdout.write(f"记录 {len(plan.records)} 条")
        if plan.records:
            self.stdout.write("按类型：" + "，".join(f"{name} {n}" for name, n in plan.by_type))
            self.stdout.write("按组织：" + "，".join(f"{name} {n}" for name, n in plan.by_organisation))
        for planned in plan.records:
            data = planned.data
            when = f"{data.date:%Y-%m-%d}" + (f" {data.start_time:%H:%M}" if data.start_time else "")
            self.stdout.write(f"  第{planned.row}行 {planned.organisation.name} {when} [{planned.type_names}] "
                              f"{planned.resolved.topic[:30]}")

    def done(self, created, *, actor, options):
        self.stdout.write(self.style.SUCCESS(f"已导入 {len(created)} 条组织生活记录。"))
