"""Write a responsibility list back to Excel in the layout agencies keep (title row, merged categories)."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from common.xlsx import write_text

from .models import ResponsibilityList

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


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


def export_list(rlist: ResponsibilityList) -> bytes:
    layout = RISK_LAYOUT if rlist.is_risk_list else LIST_LAYOUT
    merge_key = 1  # the column merged down its runs: 责任类别 or 单位/科室
    items = list(rlist.items.select_related("person", "department_head").prefetch_related("units__organisation"))
    wb = Workbook()
    ws = wb.active
    ws.title = "廉政风险防控清单" if rlist.is_risk_list else "责任清单"
    width = len(layout)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    write_text(ws.cell(1, 1), str(rlist))
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 32
    for col, (label, col_width, _get) in enumerate(layout, start=1):
        cell = ws.cell(2, col, label)
        cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BORDER
        ws.column_dimensions[get_column_letter(col)].width = col_width
    for row, item in enumerate(items, start=3):
        for col, (_label, _w, get) in enumerate(layout, start=1):
            cell = ws.cell(row, col)
            write_text(cell, get(item) or None)
            cell.alignment, cell.border = (CENTER if col in (1, 2) else WRAP), BORDER
    # Merge each run of equal values in the category column, as published lists do.
    start = 3
    for row in range(3, len(items) + 4):
        current = ws.cell(row, merge_key + 1).value if row < len(items) + 3 else object()
        if current != ws.cell(start, merge_key + 1).value:
            if row - 1 > start:
                ws.merge_cells(start_row=start, start_column=merge_key + 1, end_row=row - 1, end_column=merge_key + 1)
            start = row
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
