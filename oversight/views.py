"""Dashboard pages: the overview with charts, the organisation × month grid and ranking, drill-downs, export."""
import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from assessment.selectors import dashboard_summary
from branches.scope import scope_for
from branches.selectors import organisation_get
from common.xlsx import XLSX_TYPE
from reports.models import report_due_on

from . import dashboard, supervision
from .exports import dashboard_workbook, scope_name
from .grid import grid_rows_html, ranking_rows_html, year_grid


def last_due_month(today: datetime.date) -> datetime.date:
    """The last month whose report deadline has passed: a month still before its deadline would read as
    0% 报送 / all 未报送 although nobody is late yet."""
    month = today.replace(day=1) - datetime.timedelta(days=1)
    while report_due_on(month.year, month.month) >= today:
        month = month.replace(day=1) - datetime.timedelta(days=1)
    return month


def _params(request):
    today = timezone.localdate()
    last_month = last_due_month(today)
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
    parts = [("closed", _("已销号"), figures.closed, "#1a7f37"),
             ("awaiting", _("待审核"), figures.awaiting_review, "#0550ae"),
             ("in_progress", _("整改中"), figures.in_progress, "#9a6700"),
             ("not_started", _("未启动"), figures.not_started, "#d4a72c"),
             ("overdue", _("逾期"), figures.overdue, "#b3261e"),
             ("long_term", _("长期坚持"), figures.long_term, "#8c959f")]
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
    duban = supervision.year_figures(user=request.user, year=year, subtree=data.subtree, today=today)
    return render(request, "oversight/dashboard.html", {
        "o": data, "root": root, "chart": _chart_points(data.trend),
        "bar": _measure_bar(data.measures), "months": range(1, 13), "years": range(today.year - 4, today.year + 1),
        "scope": scope_for(request.user), "query": request.GET.urlencode(),
        "assessment": dashboard_summary(user=request.user, year=year, org_ids=data.subtree.org_ids),
        "duban": duban, "duban_forms": [(value, label, duban.by_form[value])
                                        for value, label in supervision.AccountabilityForm.choices],
        "due_on": report_due_on(year, month), "not_due": report_due_on(year, month) >= today,
    })


GRID_PAGE = 100  # organisations per page of the grid and of the ranking


def grid(request):
    today, year, month, root = _params(request)
    subtree = dashboard.subtree_for(user=request.user, root=root)
    # Page the organisations first, then read the cells of that page only.
    organisations = Paginator(dashboard.GridOrganisations(subtree, year), GRID_PAGE).get_page(request.GET.get("page"))
    rows = year_grid(user=request.user, year=year, today=today, organisations=list(organisations))
    ranking = Paginator(dashboard.ranking(user=request.user, year=year, root=root, today=today),
                        GRID_PAGE).get_page(request.GET.get("rank"))
    orgs_url = reverse("branches:list")  # one reverse() for hundreds of rows
    params = request.GET.copy()
    for key in ("page", "rank"):
        params.pop(key, None)
    return render(request, "oversight/dashboard_grid.html", {
        "grid_rows": grid_rows_html(rows, orgs_url), "ranking_rows": ranking_rows_html(ranking, orgs_url),
        "year": year, "root": root, "years": range(today.year - 4, today.year + 1),
        "rows": rows, "pages": organisations, "ranking": ranking,
        "months": range(1, 13), "query": params.urlencode(),
    })


def drill_reports(request):
    today, year, month, root = _params(request)
    which = request.GET.get("which", "all")
    which = which if which in dashboard.REPORT_SETS else "all"
    return render(request, "oversight/drill_reports.html", {
        "reports": dashboard.report_list(user=request.user, year=year, month=month, root=root, which=which,
                                         today=today),
        "label": dashboard.REPORT_SET_LABELS[which], "year": year, "month": month, "root": root, "today": today})


def drill_lines(request):
    today, year, month, root = _params(request)
    category = request.GET.get("category")
    return render(request, "oversight/drill_lines.html", {
        "lines": dashboard.line_list(user=request.user, year=year, month=month, root=root, category=category,
                                     done=request.GET.get("done") == "1"),
        "category": category, "done": request.GET.get("done") == "1", "year": year, "month": month, "root": root})


def drill_measures(request):
    today, _year, _month, root = _params(request)
    status = request.GET.get("status") or None
    return render(request, "oversight/drill_measures.html", {
        "measures": dashboard.measure_list(user=request.user, root=root, status=status, today=today),
        "status": status, "root": root, "today": today})


def drill_terms(request):
    today, _year, _month, root = _params(request)
    return render(request, "oversight/drill_terms.html", {
        "terms": dashboard.term_list(user=request.user, root=root, today=today), "root": root, "today": today})


def drill_instructions(request):
    """督办/交办 behind a figure: the instructions issued (`kind`), or the recipient rows of `which`."""
    today, year, _month, root = _params(request)
    subtree = dashboard.subtree_for(user=request.user, root=root)
    which = request.GET.get("which", "")
    context = {"year": year, "root": root, "today": today}
    if which == "issued":
        kind = request.GET.get("kind", "")
        return render(request, "oversight/drill_instructions.html", {
            **context, "instructions": supervision.instruction_list(year=year, subtree=subtree, kind=kind),
            "label": dict(supervision.InstructionKind.choices).get(kind, _("督办交办"))})
    which = which if which in supervision.RECIPIENT_LABELS else "all"
    return render(request, "oversight/drill_recipients.html", {
        **context, "rows": supervision.recipient_list(which=which, year=year, subtree=subtree, today=today),
        "label": supervision.RECIPIENT_LABELS[which]})


def drill_talks(request):
    today, year, _month, root = _params(request)
    subtree = dashboard.subtree_for(user=request.user, root=root)
    talks = supervision.talk_list(user=request.user, year=year, subtree=subtree)
    return render(request, "oversight/drill_talks.html", {
        "talks": talks, "people": sum(len(t.interviewees.all()) or 1 for t in talks), "year": year, "root": root})


def drill_records(request):
    today, year, _month, root = _params(request)
    subtree = dashboard.subtree_for(user=request.user, root=root)
    form = request.GET.get("form", "")
    records = supervision.record_list(user=request.user, year=year, subtree=subtree, form=form, request=request)
    return render(request, "oversight/drill_records.html", {
        "records": records, "year": year, "root": root,
        "label": dict(supervision.AccountabilityForm.choices).get(form, _("全部形态"))})


def export(request):
    """The current dashboard view as a workbook: figures, categories, grid and ranking."""
    today, year, month, root = _params(request)
    content = dashboard_workbook(user=request.user, year=year, month=month, root=root, today=today)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = scope_name(request.user, root)
    response["Content-Disposition"] = content_disposition_header(True, f"党建责任看板_{name}_{year}年{month}月.xlsx")
    return response
