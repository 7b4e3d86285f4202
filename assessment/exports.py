"""考核结果汇总表 and a unit's 考核评分表 as Excel, laid out like the ledgers agencies keep (title row, bold framed
header frozen below it, widths, wrapped text; user text is written as text, never as a formula)."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from common.xlsx import write_text

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _title(ws, row: int, text: str, width: int, *, size=16, bold=True):
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    write_text(ws.cell(row, 1), text)
    ws.cell(row, 1).font, ws.cell(row, 1).alignment = Font(bold=bold, size=size), CENTER if bold else WRAP
    ws.row_dimensions[row].height = 30 if bold else 20


def _header(ws, row: int, labels_widths):
    for col, (label, width) in enumerate(labels_widths, start=1):
        cell = ws.cell(row, col, label)
        cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row + 1, 1)


def _cell(ws, row, col, value, *, center=False):
    cell = ws.cell(row, col)
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value
    cell.alignment, cell.border = CENTER if center else WRAP, BORDER
    if value is not None and not isinstance(value, str):
        cell.number_format = "0.00" if not isinstance(value, int) else "0"
    return cell


def summary_workbook(scheme, results, categories: list[str], category_points: dict) -> bytes:
    """One row per unit in rank order: 序号 · 单位 · 各类别得分 · 加分 · 扣分 · 总分 · 排名 · 等次 · 备注."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核结果汇总表"
    layout = ([("序号", 6), ("单位", 26)] + [(c, 11) for c in categories]
              + [("加分", 8), ("扣分", 8), ("总分", 9), ("排名", 7), ("等次", 8), ("备注", 30)])
    _title(ws, 1, f"{scheme.title}考核结果汇总表", len(layout))
    status = scheme.get_status_display()
    as_of = f"数据截至{scheme.as_of:%Y年%m月%d日}" if scheme.as_of else ""
    _title(ws, 2, f"总分{scheme.total_points:g}分　{as_of}　状态：{status}", len(layout), size=11, bold=False)
    _header(ws, 3, layout)
    for row, result in enumerate(results, start=4):
        values = [row - 3, result.organisation.name]
        values += [float(category_points.get((result.pk, c), 0)) for c in categories]
        deducted = float(scheme.total_points - result.base_score)
        values += [float(result.bonus), deducted, float(result.total), result.rank,
                   result.get_grade_display(), result.grade_note]
        for col, value in enumerate(values, start=1):
            _cell(ws, row, col, value, center=col != 2 and col != len(layout))
    return _save(wb)


def sheet_workbook(result, rows) -> bytes:
    """考核评分表: 考核类别 · 考核指标 · 考核内容 · 分值 · 评分标准 · 统计数据 · 得分 · 扣分原因/依据."""
    scheme = result.scheme
    wb = Workbook()
    ws = wb.active
    ws.title = "考核评分表"
    layout = [("考核类别", 12), ("考核指标", 18), ("考核内容", 30), ("分值", 7), ("评分标准", 28), ("统计数据", 30),
              ("得分", 8), ("扣分原因/依据", 30)]
    _title(ws, 1, f"{scheme.title}考核评分表", len(layout))
    _title(ws, 2, f"被考核单位：{result.organisation.name}　总分：{result.total}　排名：{result.rank or '—'}　"
                  f"等次：{result.get_grade_display() or '—'}", len(layout), size=11, bold=False)
    _header(ws, 3, layout)
    row, merges = 4, []
    for item in rows:
        s, ind = item.score, item.indicator
        points = "触发" if ind.rule == "veto" and s.triggered else ("—" if ind.rule == "veto" else float(s.points))
        values = [ind.category, ind.name, ind.content, float(ind.points), ind.standard, item.explanation, points,
                  s.reason]
        for col, value in enumerate(values, start=1):
            _cell(ws, row, col, value, center=col in (4, 7))
        if item.category_span > 1:
            merges.append((row, row + item.category_span - 1))
        row += 1
    for first, last in merges:
        ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    for label, value in (("基本分", result.base_score), ("加分", result.bonus), ("总分", result.total)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        _cell(ws, row, 1, label, center=True)
        _cell(ws, row, 7, float(value), center=True)
        _cell(ws, row, 8, result.grade_note if label == "总分" else "")
        row += 1
    return _save(wb)


def _save(wb) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
