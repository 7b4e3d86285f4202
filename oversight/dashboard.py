"""The 纪检 dashboards: figures for a year, month and organisation subtree, each with the rows behind it.

Every figure is one aggregate query over rows the user may see; the drill-down lists use the same filters,
so a figure and its list always agree."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from branches.models import CommitteeTerm, Organisation
from branches.scope import Subtree, subtree_for
from common import statements
from notifications.levels import alert_breakdown
from rectification.models import LedgerFigures, Measure, MeasureStatus
from reports.models import MonthlyReport, ReportLine, ReportStatus

from .ranking import ORG_FIELDS, OrganisationRow, Ranking

TERM_WINDOW_DAYS = 180

# The report sets a figure can drill into; each is a filter on the month's reports.
# A returned report is open again: it counts as returned, not as submitted, until it is sent in again.
SENT = Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
REPORT_SETS = {
    "all": Q(),
    "submitted": SENT,
    "on_time": SENT & Q(days_late=0),
    "late": SENT & Q(days_late__gt=0),
    "missing": Q(status=ReportStatus.DRAFT),
    "returned": Q(status=ReportStatus.RETURNED),
    "accepted": Q(status=ReportStatus.ACCEPTED),
    "awaiting": Q(status=ReportStatus.SUBMITTED),
}
REPORT_SET_LABELS = {
    "all": _("应报"), "submitted": _("已报送"), "on_time": _("按时报送"), "late": _("迟报"), "missing": _("未报送"),
    "returned": _("被驳回"), "accepted": _("审核通过"), "awaiting": _("待审核"),
}


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class ReportFigures:
    total: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0
    accepted: int = 0
    awaiting: int = 0

    @property
    def submission_rate(self):
        return _rate(self.submitted, self.total)

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.total)


@dataclass
class Overview:
    year: int
    month: int
    today: datetime.date
    subtree: Subtree
    reports: ReportFigures
    categories: list[dict]
    measures: LedgerFigures
    terms_expired: int
    terms_expiring: int
    alerts: dict[str, int]
    alert_rows: list[dict]
    trend: list[dict] = field(default_factory=list)


def month_reports(subtree: Subtree, year: int, month: int):
    return subtree.filter(MonthlyReport.objects.filter(year=year, month=month))


# The overview's figures depend on the year, month, day and organisations only: each statement is compiled once
# per distinct inputs (common.statements).

def report_figures(subtree: Subtree, year: int, month: int) -> ReportFigures:
    counts = dict(statements.aggregate(("dashboard.reports", year, month, subtree.org_ids), lambda: month_reports(
        subtree, year, month).aggregate(**{name: Count("pk", filter=condition)
                                           for name, condition in REPORT_SETS.items()})))
    return ReportFigures(total=counts.pop("all"), **counts)


def category_figures(subtree: Subtree, year: int, month: int) -> list[dict]:
    """Lines of the month's reports by the item's category: how many, and how many completed."""
    def build():
        lines = subtree.filter(ReportLine.objects.filter(report__year=year, report__month=month),
                               "report__organisation")
        return (lines.values_list("assignment__item__category")
                .annotate(total=Count("pk"), done=Count("pk", filter=Q(status="done")),
                          first=Min("assignment__item__position"))
                .order_by("first", "assignment__item__category"))
    return [{"category": category or "", "total": total, "done": done, "rate": _rate(done, total)}
            for category, total, done, _first in statements.rows(("dashboard.categories", year, month,
                                                                   subtree.org_ids), build)]


def subtree_measures(subtree: Subtree, user):
    return Measure.objects.visible_to(user).in_organisations(subtree.org_ids)


def subtree_terms(subtree: Subtree, today: datetime.date):
    """Current terms already ended or ending within the window, by their end: an approved postponement counts."""
    return subtree.filter(CommitteeTerm.objects.expiring(today, TERM_WINDOW_DAYS).filter(organisation__is_active=True))


def alert_counts(subtree: Subtree, today: datetime.date) -> tuple[dict[str, int], list[dict]]:
    """三色预警: how many reports, measures, committee terms and instructions stand at each colour today (reminder
    thresholds), in total and by kind, so the red figure can be read against 逾期整改措施."""
    rows = alert_breakdown(today, subtree.org_ids)
    return {level: sum(row[level] for row in rows) for level in ("red", "yellow", "green")}, rows


def trend(subtree: Subtree, year: int, today: datetime.date) -> list[dict]:
    """On-time rate of each month's reports that are already due."""
    rows = statements.rows(("dashboard.trend", year, today, subtree.org_ids), lambda: (
        subtree.filter(MonthlyReport.objects.filter(year=year, due_on__lte=today))
        .values_list("month").order_by("month")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=REPORT_SETS["on_time"]))))
    by_month = {month: (total, on_time) for month, total, on_time in rows}
    return [{"month": m, "total": by_month.get(m, (0, 0))[0], "on_time": by_month.get(m, (0, 0))[1],
             "rate": _rate(by_month.get(m, (0, 0))[1], by_month.get(m, (0, 0))[0])}
            for m in range(1, 13)]


def overview(*, user, year: int, month: int, root: Organisation | None, today: datetime.date) -> Overview:
    subtree = subtree_for(user=user, root=root)
    terms = statements.aggregate(("dashboard.terms", today, subtree.org_ids), lambda: subtree_terms(
        subtree, today).aggregate(expired=Count("pk", filter=Q(ends__lt=today)), total=Count("pk")))
    alerts, alert_rows = alert_counts(subtree, today)
    return Overview(
        year=year, month=month, today=today, subtree=subtree,
        reports=report_figures(subtree, year, month),
        categories=category_figures(subtree, year, month),
        measures=subtree_measures(subtree, user).figures(today),
        terms_expired=terms["expired"], terms_expiring=terms["total"] - terms["expired"],
        alerts=alerts, alert_rows=alert_rows,
        trend=trend(subtree, year, today),
    )


def grid_organisations(subtree: Subtree, year: int):
    """The organisations with a report in the year, in tree order (a queryset, so it pages in SQL)."""
    reporting = subtree.filter(MonthlyReport.objects.filter(year=year)).values("organisation")
    return Organisation.objects.filter(pk__in=reporting).only(*ORG_FIELDS).order_by("sort_order", "pk")


class GridOrganisations:
    """What a Paginator pages for the grid: `grid_organisations`, counted and sliced in SQL, each statement
    compiled once per year, subtree and page (common.statements)."""

    def __init__(self, subtree: Subtree, year: int):
        self.subtree, self.year = subtree, year

    def count(self) -> int:
        return statements.aggregate(("grid.organisations", self.year, self.subtree.org_ids), lambda: (
            grid_organisations(self.subtree, self.year).aggregate(n=Count("pk"))))["n"]

    def __getitem__(self, page: slice) -> list[OrganisationRow]:
        key = ("grid.page", self.year, self.subtree.org_ids, page.start, page.stop)
        return [OrganisationRow(*row) for row in statements.rows(key, lambda: grid_organisations(
            self.subtree, self.year).values_list(*ORG_FIELDS)[page])]


def ranking(*, user, year: int, root: Organisation | None, today: datetime.date) -> Ranking:
    """Organisations by on-time rate of the year's due reports, then by overdue items, paged in SQL."""
    return Ranking(user=user, subtree=subtree_for(user=user, root=root), year=year, today=today)


# ---------------------------------------------------------------- drill-down lists

def report_list(*, user, year: int, month: int, root: Organisation | None, which: str, today: datetime.date):
    """The month's reports of one figure, each with `overdue` (days past due while open) and `late` (days late
    at its last sending)."""
    subtree = subtree_for(user=user, root=root)
    condition = REPORT_SETS.get(which, Q())
    reports = list(month_reports(subtree, year, month).filter(condition).select_related("organisation")
                   .order_by("organisation__sort_order"))
    for report in reports:
        report.overdue = report.overdue_days(today) if report.is_editable else 0
        report.late = report.days_late if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED) else 0
    return reports


def line_list(*, user, year: int, month: int, root: Organisation | None, category: str | None, done: bool):
    subtree = subtree_for(user=user, root=root)
    lines = subtree.filter(ReportLine.objects.filter(report__year=year, report__month=month), "report__organisation")
    if category is not None:
        lines = lines.filter(assignment__item__category=category)
    if done:
        lines = lines.filter(status="done")
    return list(lines.select_related("report__organisation", "assignment__item")
                .order_by("report__organisation__sort_order", "assignment__item__position"))


def measure_list(*, user, root: Organisation | None, status: str | None, today: datetime.date):
    subtree = subtree_for(user=user, root=root)
    measures = subtree_measures(subtree, user).with_status(today)
    if status == "done":
        measures = measures.filter(status=MeasureStatus.CLOSED)
    elif status == "rated":
        measures = measures.exclude(status=MeasureStatus.LONG_TERM)
    elif status in MeasureStatus.values:
        measures = measures.filter(status=status)
    return list(measures.select_related("problem__batch", "leader", "person").order_by("problem__batch", "problem__position",
                                                                                         "position"))


def term_list(*, user, root: Organisation | None, today: datetime.date):
    subtree = subtree_for(user=user, root=root)
    return list(subtree_terms(subtree, today).select_related("organisation"))
