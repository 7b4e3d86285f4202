"""The year's figures for a year-end export: lists, monthly reports, rectification, committee terms and
organisational life, each counted in the database as the dashboards count them."""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q

from branches.models import CommitteeTerm, Organisation
from rectification.models import LedgerFigures
from reports.models import LineStatus, ReportStatus
from responsibility.models import Assignment, Item, ListStatus

from .scope import YearScope

MONTHS = range(1, 13)
LINE_LABELS = {value: str(label) for value, label in LineStatus.choices}
NOT_SUBMITTED, NOT_DUE, NOT_REPORTED = "未报送", "未到期", "未报告"


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class ListFigures:
    title: str
    kind: str
    categories: int
    items: int
    units: int
    assignments: int


@dataclass
class ReportYearFigures:
    due: int = 0  # 应报: all but drafts whose deadline has not come
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0
    returned: int = 0
    accepted: int = 0
    lines: int = 0  # lines of the reports sent in (submitted or accepted)
    lines_done: int = 0
    lines_in_progress: int = 0
    lines_not_started: int = 0
    lines_not_applicable: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.due)

    @property
    def line_done_rate(self) -> float | None:
        return rate(self.lines_done, self.lines)


@dataclass
class TermFigures:
    organisations: int = 0  # elected committees in the subtree
    renewed: int = 0  # renewals held in the year
    on_time: int = 0  # … on or before the previous term's end (or its postponement)
    late: int = 0
    expired: int = 0  # term ended by the year's end (or today) and no new one elected
    no_record: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.renewed)


@dataclass
class OrglifeType:
    code: str
    name: str
    verb: str
    group: str
    is_talk: bool
    required: bool
    count: int


@dataclass
class OrglifeFigures:
    types: list[OrglifeType]
    by_org: dict[int, dict[str, int]]  # organisation id -> type code -> records held

    @property
    def total(self) -> int:
        return sum(t.count for t in self.types)

    @property
    def talks(self) -> int:
        return sum(t.count for t in self.types if t.is_talk)

    def count(self, code: str) -> int:
        return next((t.count for t in self.types if t.code == code), 0)


@dataclass
class YearFigures:
    year: int
    today: datetime.date
    as_of: datetime.date
    label: str
    lists: list[ListFigures]
    reports: ReportYearFigures
    measures: LedgerFigures
    batches: int
    problems: int
    terms: TermFigures
    orglife: OrglifeFigures | None

    @property
    def items(self) -> int:
        return sum(lf.items for lf in self.lists)


def _list_figures(ys: YearScope) -> list[ListFigures]:
    """The year's published lists: 方面 (categories), 事项 (items), units and (item, unit) assignments in the subtree."""
    assignments = ys.subtree.filter(Assignment.objects.live().filter(item__responsibility_list__year=ys.year))
    per_list = {row["item__responsibility_list"]: row for row in assignments.values("item__responsibility_list")
                .annotate(n=Count("pk"), units=Count("organisation", distinct=True),
                          items=Count("item", distinct=True),
                          categories=Count("item__category", distinct=True, filter=~Q(item__category="")))
                .order_by()}
    result = []
    lists = (Item.objects.filter(responsibility_list__year=ys.year, responsibility_list__status=ListStatus.PUBLISHED)
             .values("responsibility_list", "responsibility_list__title", "responsibility_list__kind",
                     "responsibility_list__revision")
             .annotate(items=Count("pk"), categories=Count("category", distinct=True, filter=~Q(category="")))
             .order_by("responsibility_list__kind", "responsibility_list"))
    for row in lists:
        assigned = per_list.get(row["responsibility_list"])
        if ys.subtree.org_ids is not None:
            if assigned is None:
                continue  # nothing of this list reaches the subtree
            items, categories = assigned["items"], assigned["categories"]
        else:
            items, categories = row["items"], row["categories"]
        title = row["responsibility_list__title"]
        if row["responsibility_list__revision"] > 1:
            title = f"{title}（第{row['responsibility_list__revision']}版）"
        result.append(ListFigures(title=title, kind=row["responsibility_list__kind"], categories=categories,
                                  items=items, units=assigned["units"] if assigned else 0,
                                  assignments=assigned["n"] if assigned else 0))
    return result


# As the dashboard counts them: a returned report is open again, so it is neither sent nor missing but returned
# until it is sent in again; a draft is missing once its deadline has passed, and not yet due before that.
# 应报 (due) = on time + late + returned + missing.
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _report_conditions(today: datetime.date) -> dict[str, Q]:
    sent, not_due = Q(status__in=SENT), Q(status=ReportStatus.DRAFT, due_on__gte=today)
    return {"due": ~not_due, "on_time": sent & Q(days_late=0), "late": sent & Q(days_late__gt=0),
            "missing": Q(status=ReportStatus.DRAFT, due_on__lt=today), "not_due": not_due,
            "returned": Q(status=ReportStatus.RETURNED), "accepted": Q(status=ReportStatus.ACCEPTED)}


def report_state(status: str, days_late: int, due_on: datetime.date, today: datetime.date) -> tuple[str, str]:
    """One report's place in the year (a key of `_report_conditions`) and what its month's cell says."""
    if status == ReportStatus.RETURNED:
        return "returned", "驳回"
    if status == ReportStatus.DRAFT:
        return ("missing", "未报") if due_on < today else ("not_due", NOT_DUE)
    return ("late", f"迟报{days_late}天") if days_late else ("on_time", "按时")


def _report_figures(ys: YearScope) -> ReportYearFigures:
    counts = ys.reports().aggregate(**{name: Count("pk", filter=q) for name, q in _report_conditions(ys.today).items()})
    lines = ys.lines().filter(report__status__in=SENT).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=LineStatus.DONE)),
        in_progress=Count("pk", filter=Q(status=LineStatus.IN_PROGRESS)),
        not_started=Count("pk", filter=Q(status=LineStatus.NOT_STARTED)),
        not_applicable=Count("pk", filter=Q(status=LineStatus.NOT_APPLICABLE)))
    return ReportYearFigures(**counts, lines=lines["total"], lines_done=lines["done"],
                             lines_in_progress=lines["in_progress"], lines_not_started=lines["not_started"],
                             lines_not_applicable=lines["not_applicable"])


@dataclass
class TermRow:
    organisation: Organisation
    term: CommitteeTerm | None  # in force at as_of
    previous: CommitteeTerm | None
    renewals: list[tuple[CommitteeTerm, CommitteeTerm]]  # (new term, the one it replaced) elected in the year


def term_rows_for(ys: YearScope) -> list[TermRow]:
    orgs = list(ys.term_organisations().order_by("sort_order", "id"))
    terms = defaultdict(list)
    for term in CommitteeTerm.objects.filter(organisation__in=[o.pk for o in orgs]).order_by("elected_on"):
        terms[term.organisation_id].append(term)
    rows = []
    for org in orgs:
        history = [t for t in terms[org.pk] if t.elected_on <= ys.as_of]
        renewals = [(t, history[i - 1]) for i, t in enumerate(history) if i and t.elected_on.year == ys.year]
        rows.append(TermRow(org, history[-1] if history else None, history[-2] if len(history) > 1 else None,
                            renewals))
    return rows


def renewed_on_time(new: CommitteeTerm, previous: CommitteeTerm) -> bool:
    """On time: elected on or before the previous term's end (its approved postponement, if any)."""
    return new.elected_on <= previous.ends_on


def _term_figures(rows: list[TermRow], ys: YearScope) -> TermFigures:
    figures = TermFigures(organisations=len(rows))
    for row in rows:
        for new, previous in row.renewals:
            figures.renewed += 1
            if renewed_on_time(new, previous):
                figures.on_time += 1
            else:
                figures.late += 1
        if row.term is None:
            figures.no_record += 1
        elif row.term.ends_on < ys.as_of:
            figures.expired += 1
    return figures


def _orglife_figures(ys: YearScope) -> OrglifeFigures | None:
    """Organisational-life records held in the year, per organisation and type; None when there are none.

    Counted as orglife counts them (`Record.objects.counted()`: returned records do not count; a record of two
    types counts once for each), per organisation rather than per subtree so that rows add up to the totals."""
    if not apps.is_installed("orglife"):
        return None
    try:
        from orglife.models import Record, RecordType
    except ImportError:
        return None
    rows = (ys.subtree.filter(Record.objects.counted().filter(date__year=ys.year))
            .values_list("organisation_id", "types__code").annotate(n=Count("pk", distinct=True)).order_by())
    by_org: dict[int, dict[str, int]] = defaultdict(dict)
    totals: dict[str, int] = defaultdict(int)
    for org_id, code, n in rows:
        if code:
            by_org[org_id][code] = n
            totals[code] += n
    if not totals:
        return None
    types = [OrglifeType(code=t.code, name=t.name, verb=t.verb, group=t.group, is_talk=t.is_talk,
                         required=t.required_count > 0, count=totals.get(t.code, 0))
             for t in RecordType.objects.order_by("sort_order", "id") if t.is_active or t.code in totals]
    return OrglifeFigures(types=types, by_org=dict(by_org))


def year_figures(ys: YearScope, *, terms: list[TermRow] | None = None) -> YearFigures:
    measures = ys.measures()
    terms = terms if terms is not None else term_rows_for(ys)
    return YearFigures(
        year=ys.year, today=ys.today, as_of=ys.as_of, label=ys.label,
        lists=_list_figures(ys), reports=_report_figures(ys), measures=measures.figures(ys.today),
        batches=measures.values("problem__batch").distinct().count(),
        problems=measures.values("problem").distinct().count(),
        terms=_term_figures(terms, ys), orglife=_orglife_figures(ys))

