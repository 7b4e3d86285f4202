"""Dashboard pages: the overview with charts, the organisation × month grid and ranking, drill-downs, export."""
import datetime
from io import BytesIO

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from branches.selectors import organisation_get
from branches.scope import scope_for
from responsibility.exports import write_text

from . import dashboard
from .selectors import year_grid


def _params(request):
    today = timezone.localdate()
    # By default the last month whose reports are due this month (the current month's are still being written).
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    try:
        year = int(request.GET.get("year") or last_month.year)
        month = int(request.GET.get("month") or (last_month.month if not request.GET.get("year")
                                                 or int(request.GET["year"]) == last_month.year else 12))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:  # malformed: the same default as none given
        year, month = last_month.year, last_month.month
    root = organisation_get(user=request.user, pk=request.GET["org"]) if request.GET.get("org") else None
    return today, year, month, root


CHOICE_DEPTH = 2  # the scope picker lists the upper levels; deeper units are reached from the grid and ranking


def _org_choices(user, root=None):
    from branches.selectors import organisation_list

    return [org for org in organisation_list(user=user)
            if org.depth <= CHOICE_DEPTH or (root is not None and org.pk == root.pk)]


def _chart_points(trend, width=560, height=180, pad=30):
    """Server-rendered SVG coordinates for the monthly on-time rate (no script, works offline)."""
    step = (width - 2 * pad) / 11
    points = []
    for i, row in enumerate(trend):
        if row["rate"] is None:
            continue
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * row["rate"] / 100
        points.append({"x": round(x, 1), "y": round(y, 1), "rate": row["rate"], "month": row["month"]})
    return {"width": width, "height": height, "pad": pad, "points": points,
            "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
            "labels": [{"x": round(pad + i * step, 1), "month": i + 1} for i in range(12)]}


def _measure_bar(figures, width=560):
    parts = [("closed", "已销号", figures.closed, "#1a7f37"), ("awaiting", "待审核", figures.awaiting_review, "#0550ae"),
             ("in_progress", "整改中", figures.in_progress, "#9a6700"),
             ("not_started", "未启动", figures.not_started, "#d4a72c"),
             ("overdue", "逾期", figures.overdue, "#b3261e"), ("long_term", "长期坚持", figures.long_term, "#8c959f")]
    total = figures.total or 1
    x, bars = 0.0, []
    for key, label, n, colour in parts:
        w = width * n / total
        bars.append({"key": key, "label": label, "n": n, "x": round(x, 1), "w": round(w, 1), "colour": colour})
        x += w
    return {"width": width, "bars": bars}


def overview(request):
    today, year, month, root = _params(request)
    data = dashboard.overview(user=request.user, year=year, month=month, root=root, today=today)
    return render(request, "reports/dashboard.html", {
        "o": data, "root": root, "orgs": _org_choices(request.user, root), "chart": _chart_points(data.trend),
        "bar": _measure_bar(data.measures), "months": range(1, 13), "years": range(today.year - 4, today.year + 1),
        "scope": scope_for(request.user), "query": request.GET.urlencode(),
    })


GRID_PAGE = 100  # organisations per page of the grid and of the ranking


def grid(request):
    today, year, month, root = _params(request)
    subtree = dashboard.subtree_for(user=request.user, root=root)
    # Page the organisations first, then read the cells of that page only.
    organisations = Paginator(dashboard.grid_organisations(subtree, year), GRID_PAGE).get_page(request.GET.get("page"))
    rows = year_grid(user=request.user, year=year, today=today, org_ids=[org.pk for org in organisations])
    ranking = Paginator(dashboard.ranking(user=request.user, year=year, root=root, today=today), GRID_PAGE)
    params = request.GET.copy()
    for key in ("page", "rank"):
        params.pop(key, None)
    return render(request, "reports/dashboard_grid.html", {
        "year": year, "root": root, "orgs": _org_choices(request.user, root), "years": range(today.year - 4, today.year + 1),
        "rows": rows, "pages": organisations, "ranking": ranking.get_page(request.GET.get("rank")),
        "months": range(1, 13), "query": params.urlencode(),
        "orgs_url": reverse("branches:list"),  # one reverse() for hundreds of rows
    })


def drill_reports(request):
    today, year, month, root = _params(request)
    which = request.GET.get("which", "all")
    which = which if which in dashboard.REPORT_SETS else "all"
    return render(request, "reports/drill_reports.html", {
        "reports": dashboard.report_list(user=request.user, year=year, month=month, root=root, which=which,
                                         today=today),
        "label": dashboard.REPORT_SET_LABELS[which], "year": year, "month": month, "root": root, "today": today})


def drill_lines(request):
    today, year, month, root = _params(request)
    category = request.GET.get("category")
    return render(request, "reports/drill_lines.html", {
        "lines": dashboard.line_list(user=request.user, year=year, month=month, root=root, category=category,
                                     done=request.GET.get("done") == "1"),
        "category": category, "done": request.GET.get("done") == "1", "year": year, "month": month, "root": root})


def drill_measures(request):
    today, _year, _month, root = _params(request)
    status = request.GET.get("status") or None
    return render(request, "reports/drill_measures.html", {
        "measures": dashboard.measure_list(user=request.user, root=root, status=status, today=today),
        "status": status, "root": root, "today": today})


def drill_terms(request):
    today, _year, _month, root = _params(request)
    return render(request, "reports/drill_terms.html", {
        "terms": dashboard.term_list(user=request.user, root=root, today=today), "root": root, "today": today})


def export(request):
    """The current dashboard view as a workbook: figures, categories, grid and ranking."""
    today, year, month, root = _params(request)
    data = dashboard.overview(user=request.user, year=year, month=month, root=root, today=today)
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
    for org, cells in year_grid(user=request.user, year=year, today=today, org_ids=subtree.org_ids):
        grid_ws.append([None] + [str(cell["label"]) if cell else "" for cell in cells])  # labels may be lazy
        write_text(grid_ws.cell(grid_ws.max_row, 1), org.name)
    grid_ws.column_dimensions["A"].width = 30
    rank_ws = wb.create_sheet("排名")
    rank_ws.append(["名次", "组织", "应报", "按时", "按时率(%)", "未报送", "逾期整改措施"])
    for i, row in enumerate(dashboard.ranking(user=request.user, year=year, root=root, today=today), start=1):
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
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"党建责任看板_{scope_name}_{year}年{month}月.xlsx")
    return response
