"""The rows each automatic rule counts, written once and used twice: aggregated per organisation in SQL for the
scores (a fixed number of queries, whatever the number of organisations) and listed for a unit's drill-down, so
a score's figure and the rows shown behind it always agree.

A unit's rows are those of its subtree: the unit, the organisations below it and the 科室 it covers
(`OrgTree.reach`), as on the dashboards. The window is the assessment year up to `as_of`."""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate

from branches.models import CommitteeTerm, Organisation
from orglife.compliance import Status, compliance
from rectification.models import Measure, MeasureKind, MeasureState, MeasureUnit
from reports.models import MonthlyReport, ReportLine, ReportStatus

from accountability.figures import recipients_in

from .models import Rule

SENT = Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
ON_TIME = SENT & Q(days_late=0)
LATE = SENT & Q(days_late__gt=0)
MISSING = ~SENT
# 督办/交办: acknowledged (签收) by its date and first answered (反馈) by the deadline; a missing date is not on time.
INSTRUCTION_ON_TIME = Q(acknowledged_on__isnull=False, acknowledged_on__lte=F("ack_due_on"),
                        first_replied_on__isnull=False, first_replied_on__lte=F("instruction__due_on"))


def window(year: int, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), as_of)


# ---------------------------------------------------------------- the rows, for any set of organisations

def reports(org_ids, year: int, as_of: datetime.date):
    """The year's monthly reports already due by `as_of`."""
    return MonthlyReport.objects.filter(organisation__in=org_ids, year=year, due_on__lte=as_of)


def lines(org_ids, year: int, as_of: datetime.date):
    """The lines of those reports; 已完成 lines are the good ones."""
    return ReportLine.objects.filter(report__organisation__in=org_ids, report__year=year, report__due_on__lte=as_of)


def measures(org_ids, year: int, as_of: datetime.date):
    """Measures with a responsible department among the organisations, due within the window, not 长期坚持;
    annotated `on_time`: struck off (销号) no later than their due date."""
    start, end = window(year, as_of)
    in_units = MeasureUnit.objects.filter(organisation__in=org_ids).values("measure_id")
    return (Measure.objects.filter(pk__in=in_units, due_on__range=(start, end)).exclude(kind=MeasureKind.LONG_TERM)
            .annotate(closed_on=TruncDate("closed_at"))
            .annotate(on_time=ExpressionWrapper(Q(state=MeasureState.CLOSED, closed_on__lte=F("due_on")),
                                                output_field=BooleanField())))


def instruction_rows(org_ids, year: int, as_of: datetime.date):
    """Each organisation's part (承办) in the year's 督办/交办 whose deadline fell within the window (withdrawn ones
    aside); an instruction to two organisations of one unit counts twice for it, once per organisation."""
    _start, end = window(year, as_of)
    return recipients_in(year=year, org_ids=org_ids).filter(instruction__due_on__lte=end)


def terms(org_ids, as_of: datetime.date):
    """The current committee term of each active organisation; `ends` before as_of means not renewed on time."""
    return (CommitteeTerm.objects.current().with_end()
            .filter(organisation__in=org_ids, organisation__is_active=True))


def orglife_checks(org_ids, year: int, as_of: datetime.date, tick=None):
    """Organisational-life checks of the periods ended within the window: met, or missed. `tick(done, total)` is
    told every tenth of the organisations (the checks are worked out one organisation at a time)."""
    start, end = window(year, as_of)
    organisations = Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("sort_order", "pk")
    found, total = [], len(org_ids)
    every = max(1, total // 10)
    for done, org in enumerate(compliance(organisations=organisations, start=start, end=end,
                                          today=end + datetime.timedelta(days=1))):
        if tick and done % every == 0:
            tick(done, total)
        found.extend(c for c in org.checks if c.status in (Status.MET, Status.MISSED) and c.period.end <= end)
    return found


# ---------------------------------------------------------------- per-unit figures in a fixed number of queries

def _fold(per_org: dict[int, dict], reach: dict[int, set[int]], keys) -> dict[int, dict]:
    return {unit: {k: sum(per_org.get(o, {}).get(k, 0) for o in orgs) for k in keys} for unit, orgs in reach.items()}


def report_figures(reach, all_ids, year, as_of):
    rows = (reports(all_ids, year, as_of).values("organisation").order_by()
            .annotate(total=Count("pk"), good=Count("pk", filter=ON_TIME), late=Count("pk", filter=LATE),
                      missing=Count("pk", filter=MISSING)))
    return _fold({r["organisation"]: r for r in rows}, reach, ("total", "good", "late", "missing"))


def line_figures(reach, all_ids, year, as_of):
    rows = (lines(all_ids, year, as_of).values("report__organisation").order_by()
            .annotate(total=Count("pk"), good=Count("pk", filter=Q(status="done"))))
    return _fold({r["report__organisation"]: r for r in rows}, reach, ("total", "good"))


def measure_figures(reach, all_ids, year, as_of):
    # A measure shared by two departments of one unit counts once for that unit: fold distinct measure ids.
    pairs = (MeasureUnit.objects.filter(organisation__in=all_ids,
                                        measure__in=measures(all_ids, year, as_of).values("pk"))
             .values_list("organisation_id", "measure_id"))
    on_time = set(measures(all_ids, year, as_of).filter(on_time=True).values_list("pk", flat=True))
    by_org = defaultdict(set)
    for org_id, measure_id in pairs:
        by_org[org_id].add(measure_id)
    result = {}
    for unit, orgs in reach.items():
        ids = set().union(*(by_org.get(o, set()) for o in orgs)) if orgs else set()
        result[unit] = {"total": len(ids), "good": len(ids & on_time)}
    return result


def term_figures(reach, all_ids, year, as_of):
    rows = terms(all_ids, as_of).values_list("organisation_id", "ends")
    per_org = {org: {"total": 1, "good": int(ends >= as_of)} for org, ends in rows}
    return _fold(per_org, reach, ("total", "good"))


def orglife_figures(reach, all_ids, year, as_of, tick=None):
    per_org = defaultdict(lambda: {"total": 0, "good": 0})
    for check in orglife_checks(all_ids, year, as_of, tick=tick):
        per_org[check.organisation.pk]["total"] += 1
        per_org[check.organisation.pk]["good"] += int(check.status == Status.MET)
    return _fold(per_org, reach, ("total", "good"))


def instruction_figures(reach, all_ids, year, as_of):
    rows = (instruction_rows(all_ids, year, as_of).values("organisation").order_by()
            .annotate(total=Count("pk"), good=Count("pk", filter=INSTRUCTION_ON_TIME)))
    return _fold({r["organisation"]: r for r in rows}, reach, ("total", "good"))


FIGURES = {
    Rule.REPORTS_ON_TIME: report_figures,
    Rule.ITEMS_DONE: line_figures,
    Rule.MEASURES_ON_TIME: measure_figures,
    Rule.TERMS: term_figures,
    Rule.ORGLIFE: orglife_figures,
    Rule.INSTRUCTIONS_ON_TIME: instruction_figures,
}
