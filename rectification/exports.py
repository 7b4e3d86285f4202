"""Write the ledger back to Excel as the 台账 agencies keep: one sheet per batch, title row, merged problem cells."""
from __future__ import annotations

import re
from io import BytesIO
from itertools import groupby

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from common.xlsx import write_text

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_ROW = 3
PROBLEM_COLUMNS = 3  # 序号, 问题类别, 问题描述: merged down each problem's measures

def _units(m) -> str:
    return m.units_text or "、".join(u.organisation.name for u in m.units.all())


LAYOUT = [
    ("序号", 6, lambda m: m.problem.seq), ("问题类别", 12, lambda m: m.problem.category),
    ("问题描述", 28, lambda m: m.problem.description), ("整改措施", 32, lambda m: m.text),
    ("责任领导", 9, lambda m: m.leader_name), ("责任部门", 14, _units), ("责任人", 9, lambda m: m.person_name),
    ("整改时限", 13, lambda m: m.deadline_text or (f"{m.due_on.year}年{m.due_on.month}月{m.due_on.day}日"
                                                   if m.due_on else "")),
    ("整改完成标准", 20, lambda m: m.standard), ("整改进展", 20, lambda m: m.progress_text),
    ("是否完成整改", 9, lambda m: m.done_text), ("是否销号", 7, lambda m: m.struck_text),
]


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "整改台账"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}({n})", n + 1
    used.add(name)
    return name


def _batch_line(batch) -> str:
    parts = [f"问题来源：{batch.get_source_display()}"]
    if batch.issuing_body:
        parts.append(f"反馈单位：{batch.issuing_body}")
    if batch.feedback_on:
        parts.append(f"反馈时间：{batch.feedback_on.year}年{batch.feedback_on.month}月{batch.feedback_on.day}日")
    return "    ".join(parts)


def export_ledger(measures) -> bytes:
    """`measures` come in ledger order with `status` annotated and problem, batch, people and units loaded."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    width = len(LAYOUT)
    for batch, rows in groupby(measures, key=lambda m: m.problem.batch):
        rows = list(rows)
        ws = wb.create_sheet(_sheet_title(batch.title, used))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        write_text(ws.cell(1, 1), batch.title)
        ws.cell(1, 1).font, ws.cell(1, 1).alignment = Font(bold=True, size=16), CENTER
        ws.row_dimensions[1].height = 32
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        write_text(ws.cell(2, 1), _batch_line(batch))
        for col, (label, col_width, _get) in enumerate(LAYOUT, start=1):
            cell = ws.cell(HEADER_ROW, col, label)
            cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BORDER
            ws.column_dimensions[get_column_letter(col)].width = col_width
        row = HEADER_ROW + 1
        for _problem_id, group in groupby(rows, key=lambda m: m.problem_id):
            group = list(group)
            first = row
            for measure in group:
                for col, (_label, _w, get) in enumerate(LAYOUT, start=1):
                    cell = ws.cell(row, col)
                    if col > PROBLEM_COLUMNS or row == first:
                        write_text(cell, get(measure) or None)
                    cell.alignment = CENTER if col in (1, 5, 7, 11, 12) else WRAP
                    cell.border = BORDER
                row += 1
            if row - 1 > first:
                for col in range(1, PROBLEM_COLUMNS + 1):
                    ws.merge_cells(start_row=first, start_column=col, end_row=row - 1, end_column=col)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if not wb.worksheets:
        ws = wb.create_sheet("整改台账")
        for col, (label, _w, _get) in enumerate(LAYOUT, start=1):
            ws.cell(1, col, label).font = Font(bold=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
