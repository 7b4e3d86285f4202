"""Write a responsibility list back to Excel in the layout agencies keep (title row, merged categories)."""
from common.xlsx import Column, MergeRuns, SheetSpec, write_sheets

from .models import ResponsibilityList


def _units(item) -> str:
    if item.units_text:
        return item.units_text
    return "、".join(u.organisation.name for u in item.units.all())


LIST_LAYOUT = [
    ("序号", 6, lambda i: i.seq), ("责任类别", 14, lambda i: i.category), ("责任内容", 24, lambda i: i.content),
    ("具体任务", 40, lambda i: i.tasks), ("牵头领导", 10, lambda i: i.lead_leader_text),
    ("责任单位", 20, _units), ("责任人", 10, lambda i: i.person.name if i.person else ""),
    ("完成时限", 14, lambda i: i.deadline_text), ("完成标准", 24, lambda i: i.standard),
    ("佐证材料", 20, lambda i: i.evidence),
]
RISK_LAYOUT = [
    ("序号", 6, lambda i: i.seq), ("单位/科室", 14, _units), ("风险类别", 14, lambda i: i.risk_category),
    ("风险点", 18, lambda i: i.risk_point), ("廉政风险主要内容及表现形式", 30, lambda i: i.risk_manifestation),
    ("风险等级", 8, lambda i: i.get_risk_level_display()), ("防控措施", 36, lambda i: i.tasks),
    ("部门负责人", 10, lambda i: i.department_head.name if i.department_head else ""),
    ("责任领导", 10, lambda i: i.lead_leader_text),
]
MERGED_COLUMN = 2  # merged down its runs, as published lists do: 责任类别, or 单位/科室


def export_list(rlist: ResponsibilityList) -> bytes:
    layout = RISK_LAYOUT if rlist.is_risk_list else LIST_LAYOUT
    items = list(rlist.items.select_related("person", "department_head").prefetch_related("units__organisation"))
    columns = [Column(label, width, "center" if col <= MERGED_COLUMN else "text")
               for col, (label, width, _get) in enumerate(layout, start=1)]
    spec = SheetSpec(name="廉政风险防控清单" if rlist.is_risk_list else "责任清单", heading=str(rlist), subheading=None,
                     columns=columns, rows=[], freeze_columns=0)

    def rows():
        runs = MergeRuns(spec, [MERGED_COLUMN])
        for index, item in enumerate(items):
            row = [get(item) or None for _label, _width, get in layout]
            yield runs.cells(index, row, [row[MERGED_COLUMN - 1]])
        runs.finish(len(items) - 1)

    spec.rows = rows()
    return write_sheets([spec])
