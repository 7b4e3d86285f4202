"""The dashboard export: the current view (figures, categories, year grid, ranking) as a workbook, written by the
shared ledger writer (common.xlsx)."""
import datetime

from branches.models import Organisation
from branches.scope import scope_for
from common.xlsx import Column, SheetSpec, Total, write_sheets

from accountability.models import AccountabilityForm

from . import dashboard, supervision
from .grid import year_grid


def _supervision_rows(f) -> list:
    """The third table: the year's 督办/约谈 (and 问责 for those allowed to read it), as on the page."""
    rows = [[None] * 4, Total([f"{f.year}年督办问责", "数值", None, None]),
            ["督办单（份）", f.supervise, None, None], ["交办（件）", f.assign, None, None],
            ["承办（家次）", f.recipients, None, None], ["按时签收（家次）", f.acked_on_time, None, None],
            ["按时反馈（家次）", f.replied_on_time, None, None], ["逾期未反馈（家次）", f.overdue, None, None],
            ["约谈（人次）", f.talk_people, None, None], ["约谈（次）", f.talks, None, None]]
    if f.with_records:
        rows += [["问责（起）", f.records, None, None], ["问责个人", f.people_held, None, None],
                 ["问责单位", f.units_held, None, None]]
        rows += [[f"问责·{label}", f.by_form[value], None, None] for value, label in AccountabilityForm.choices]
    return rows


def _overview_sheet(data, heading: str, dated: str, supervised=None) -> SheetSpec:
    r, m = data.reports, data.measures
    figures = [
        ("应报月报", r.total), ("已报送", r.submitted), ("报送率(%)", r.submission_rate), ("按时报送", r.on_time),
        ("按时率(%)", r.on_time_rate), ("迟报", r.late), ("未报送", r.missing), ("被驳回", r.returned),
        ("审核通过", r.accepted), ("整改措施总数", m.total), ("已销号", m.closed), ("长期坚持", m.long_term),
        ("逾期", m.overdue), ("完成率(%，不含长期坚持)", m.completion_rate), ("任期已届满", data.terms_expired),
        (f"{dashboard.TERM_WINDOW_DAYS}天内届满", data.terms_expiring), ("红色预警", data.alerts["red"]),
        ("黄色预警", data.alerts["yellow"]), ("绿色提示", data.alerts["green"]),
    ]
    rows = [[label, value, None, None] for label, value in figures]
    rows.append([None] * 4)
    rows.append(Total(["责任类别", "本月事项", "已完成", "完成率(%)"]))  # the second table, below the figures
    rows += [[c["category"], c["total"], c["done"], c["rate"]] for c in data.categories]
    if supervised is not None:
        rows += _supervision_rows(supervised)
    return SheetSpec(name="总览", heading=heading, subheading=dated, rows=rows, freeze_columns=0,
                     columns=[Column("指标", 30), Column("数值", 14, "center"), Column("", 10, "center"),
                              Column("", 10, "center")])


def scope_name(user, root: Organisation | None) -> str:
    """What the export covers, for its title and file name: the chosen organisation; with none chosen, the whole
    agency by its name for those who see all of it, else the user's own scope (never a bare 全部)."""
    if root is not None:
        return root.name
    if scope_for(user).sees_all:
        top = Organisation.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order", "pk").first()
        if top is not None:
            return top.name
    return "本人查看范围"


def dashboard_workbook(*, user, year: int, month: int, root: Organisation | None, today: datetime.date) -> bytes:
    data = dashboard.overview(user=user, year=year, month=month, root=root, today=today)
    name = scope_name(user, root)
    dated = f"统计日期：{today:%Y-%m-%d}"
    grid = SheetSpec(
        name="月报报送一览", heading=f"{name} {year}年月度报告报送一览", subheading=dated, freeze_columns=1,
        columns=[Column("组织", 30)] + [Column(f"{i}月", 12, "center") for i in range(1, 13)],
        rows=([org.name] + [str(cell.label) if cell else None for cell in cells]  # labels may be lazy
              for org, cells in year_grid(user=user, year=year, today=today, org_ids=data.subtree.org_ids)))
    ranking = SheetSpec(
        name="排名", heading=f"{name} {year}年按时报送排名", subheading=dated,
        columns=[Column("名次", 6, "center"), Column("组织", 30), Column("应报", 8, "int"), Column("按时", 8, "int"),
                 Column("按时率(%)", 10, "rate"), Column("未报送", 8, "int"), Column("逾期整改措施", 12, "int")],
        rows=([i, row["organisation"].name, row["total"], row["on_time"], row["rate"], row["missing"],
               row["overdue_measures"]]
              for i, row in enumerate(dashboard.ranking(user=user, year=year, root=root, today=today).all(), start=1)))
    heading = f"{name} {year}年{month}月 党建责任落实情况"
    supervised = supervision.year_figures(user=user, year=year, subtree=data.subtree, today=today)
    return write_sheets([_overview_sheet(data, heading, dated, supervised), grid, ranking])
