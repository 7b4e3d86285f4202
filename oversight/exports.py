"""The dashboard export: the current view (figures, categories, year grid, ranking) as a workbook."""
import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from branches.models import Organisation
from common.xlsx import write_text

from . import dashboard
from .grid import year_grid


def dashboard_workbook(*, user, year: int, month: int, root: Organisation | None, today: datetime.date) -> bytes:
    data = dashboard.overview(user=user, year=year, month=month, root=root, today=today)
    subtree = data.subtree
    wb = Workbook()
    ws = wb.active
    ws.title = "总览"
    scope_name = root.name if root else "全部"
    write_text(ws.cell(1, 1), f"{scope_name} {year}年{month}月 党建责任落实情况")  # a name is never a formula
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"统计日期：{today:%Y-%m-%d}"])
    r, m = data.reports, data.measures
    rows = [
        ("应报月报", r.total), ("已报送", r.submitted), ("报送率(%)", r.submission_rate), ("按时报送", r.on_time),
        ("按时率(%)", r.on_time_rate), ("迟报", r.late), ("未报送", r.missing), ("被驳回", r.returned),
        ("审核通过", r.accepted), ("整改措施总数", m.total), ("已销号", m.closed), ("长期坚持", m.long_term),
        ("逾期", m.overdue), ("完成率(%，不含长期坚持)", m.completion_rate), ("任期已届满", data.terms_expired),
        (f"{dashboard.TERM_WINDOW_DAYS}天内届满", data.terms_expiring), ("红色预警", data.alerts["red"]),
        ("黄色预警", data.alerts["yellow"]), ("绿色提示", data.alerts["green"]),
    ]
    ws.append(["指标", "数值"])
    for label, value in rows:
        ws.append([label, value])
    ws.append([])
    ws.append(["责任类别", "本月事项", "已完成", "完成率(%)"])
    for c in data.categories:
        row = ws.max_row + 1
        write_text(ws.cell(row, 1), c["category"])
        ws.cell(row, 2, c["total"]), ws.cell(row, 3, c["done"]), ws.cell(row, 4, c["rate"])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 14
    grid_ws = wb.create_sheet("月报报送一览")
    grid_ws.append(["组织"] + [f"{i}月" for i in range(1, 13)])
    for org, cells in year_grid(user=user, year=year, today=today, org_ids=subtree.org_ids):
        grid_ws.append([None] + [str(cell["label"]) if cell else "" for cell in cells])  # labels may be lazy
        write_text(grid_ws.cell(grid_ws.max_row, 1), org.name)
    grid_ws.column_dimensions["A"].width = 30
    rank_ws = wb.create_sheet("排名")
    rank_ws.append(["名次", "组织", "应报", "按时", "按时率(%)", "未报送", "逾期整改措施"])
    for i, row in enumerate(dashboard.ranking(user=user, year=year, root=root, today=today), start=1):
        rank_ws.append([i, None, row["total"], row["on_time"], row["rate"], row["missing"], row["overdue_measures"]])
        write_text(rank_ws.cell(rank_ws.max_row, 2), row["organisation"].name)
    rank_ws.column_dimensions["B"].width = 30
    for sheet in wb.worksheets:
        sheet.freeze_panes = "A2" if sheet.title != "总览" else "A4"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="center")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
