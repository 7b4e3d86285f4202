"""The year-end workbook (年度台账): a year's figures and ledgers for an organisation subtree, as agencies keep them.

One sheet per ledger, each with a merged title row, a bold header frozen and repeated on every printed page,
borders, wrapping and dates, landscape A4. Written in openpyxl's write-only mode, rows streamed from the
database, so neither the workbook nor a year of report lines is ever held in memory. User text goes through
`write_text`: a leading = + - @ stays text, never a formula.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from collections.abc import Callable, Iterable

from django.apps import apps
from django.db.models import BigIntegerField, Case, CharField, Count, Exists, F, Max, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from branches.models import PARTY_ORG_KINDS, TERM_YEARS, CommitteeTerm, Organisation, OrgKind
from branches.scope import OrgTree
from rectification.exports import LAYOUT as LEDGER_LAYOUT
from rectification.models import LedgerFigures, Measure, MeasureUnit
from responsibility.exports import write_text
from responsibility.models import Assignment, Item, ListKind, ListStatus

from .dashboard import REPORT_SETS, Subtree, subtree_for, subtree_measures
from .models import LineStatus, MonthlyReport, ReportLine, ReportStatus

Progress = Callable[[int, str], None]

SHEET_SUMMARY = "总体情况"
SHEET_ITEMS = "责任清单落实情况"
SHEET_REPORTS = "月报报送情况"
SHEET_LEDGER = "整改台账"
SHEET_TERMS = "换届情况"
SHEET_ORGLIFE = "组织生活"

MONTHS = range(1, 13)
LINE_LABELS = {value: str(label) for value, label in LineStatus.choices}
NOT_SUBMITTED, NOT_DUE, NOT_REPORTED = "未报送", "未到期", "未报告"


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- what the export covers

@dataclass
class YearScope:
    """A year and an organisation subtree, already narrowed to what the requester may see."""

    year: int
    today: datetime.date
    subtree: Subtree
    user: object = None  # None: the management command, which reads the whole agency (or --org's subtree)

    @property
    def root(self) -> Organisation | None:
        return self.subtree.root

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def as_of(self) -> datetime.date:
        """Terms are judged at the end of the year, or today while the year is still running."""
        return min(self.today, self.year_end)

    @property
    def label(self) -> str:
        """Whose workbook it is: the chosen organisation, else the agency's top organisation."""
        if self.root is not None:
            return self.root.name
        if self.subtree.org_ids is None:
            tops = Organisation.objects.filter(parent__isnull=True)
        else:  # the visible organisations whose parent is out of sight
            tops = Organisation.objects.filter(pk__in=self.subtree.org_ids).exclude(parent__in=self.subtree.org_ids)
        names = list(tops.order_by("sort_order", "id").values_list("name", flat=True))
        if not names:
            return "全局"
        return names[0] if len(names) == 1 else f"{names[0]}等{len(names)}个组织"

    def reports(self):
        return self.subtree.filter(MonthlyReport.objects.filter(year=self.year))

    def lines(self):
        return self.subtree.filter(ReportLine.objects.filter(report__year=self.year), "report__organisation")

    def measures(self):
        """Measures of feedback received up to the year's end, in the subtree (status as of today)."""
        if self.user is not None:
            measures = subtree_measures(self.subtree, self.user)
        else:
            measures = Measure.objects.all()
            if self.subtree.org_ids is not None:
                measures = measures.filter(pk__in=MeasureUnit.objects.filter(organisation__in=self.subtree.org_ids)
                                           .values("measure_id"))
        return measures.filter(Q(problem__batch__feedback_on__lte=self.year_end)
                               | Q(problem__batch__feedback_on__isnull=True))

    def term_organisations(self):
        return self.subtree.filter(Organisation.objects.active().filter(kind__in=list(TERM_YEARS)), "pk")


def year_scope_for_user(*, user, year: int, root: Organisation | None, today: datetime.date) -> YearScope:
    """What a signed-in user may export: their scope, narrowed to root's subtree when one is chosen."""
    return YearScope(year=year, today=today, subtree=subtree_for(user=user, root=root), user=user)


def year_scope_for_system(*, year: int, root: Organisation | None, today: datetime.date) -> YearScope:
    """The management command's view: the whole agency, or what one organisation reaches (as `subtree_for`)."""
    ids = None if root is None else frozenset(OrgTree.load().reach(root.pk))
    return YearScope(year=year, today=today, subtree=Subtree(root, ids))


# ---------------------------------------------------------------- the year's figures

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
        return _rate(self.on_time, self.due)

    @property
    def line_done_rate(self) -> float | None:
        return _rate(self.lines_done, self.lines)


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
        return _rate(self.on_time, self.renewed)


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

    def group_total(self, group: str) -> int:
        return sum(t.count for t in self.types if t.group == group)

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

    @property
    def main_list(self) -> ListFigures | None:
        return next((lf for lf in self.lists if lf.kind == ListKind.MAIN), self.lists[0] if self.lists else None)


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
            "returned": REPORT_SETS["returned"], "accepted": REPORT_SETS["accepted"]}


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


def _term_rows(ys: YearScope) -> list[TermRow]:
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
    terms = terms if terms is not None else _term_rows(ys)
    return YearFigures(
        year=ys.year, today=ys.today, as_of=ys.as_of, label=ys.label,
        lists=_list_figures(ys), reports=_report_figures(ys), measures=measures.figures(ys.today),
        batches=measures.values("problem__batch").distinct().count(),
        problems=measures.values("problem").distinct().count(),
        terms=_term_figures(terms, ys), orglife=_orglife_figures(ys))


# ---------------------------------------------------------------- sheets as data

@dataclass
class Column:
    label: str
    width: float
    style: str = "text"  # text | center | date | int | rate


class Total(list):
    """A row written in bold (合计)."""


@dataclass
class SheetSpec:
    name: str
    heading: str
    subheading: str
    columns: list[Column]
    rows: Iterable[list]
    expected_rows: int = 0
    # A second header level: (first column, last column, label), 1-based; other columns span both header rows.
    groups: list[tuple[int, int, str]] = field(default_factory=list)
    freeze_columns: int = 2
    # (first data row, column, last data row, column), 0-based data rows; filled while `rows` is consumed.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


class MergeRuns:
    """Merge equal cells down columns as rows go by, as published ledgers merge a problem over its measures.

    `cells(index, row, keys)` blanks the repeated cells of a run (only a merge's first cell holds a value)."""

    def __init__(self, spec: SheetSpec, columns: list[int]):
        self.spec, self.columns = spec, columns  # 1-based columns, each keyed by the same-position key
        self.start: dict[int, int] = {}
        self.key: dict[int, object] = {}

    def cells(self, index: int, row: list, keys: list) -> list:
        for col, key in zip(self.columns, keys):
            if col in self.key and self.key[col] == key:
                row[col - 1] = None
                continue
            self._close(col, index - 1)
            self.start[col], self.key[col] = index, key
        return row

    def _close(self, col: int, last: int) -> None:
        start = self.start.get(col)
        if start is not None and last > start:
            self.spec.merges.append((start, col, last, col))

    def finish(self, last: int) -> None:
        for col in self.columns:
            self._close(col, last)


def _subheading(ys: YearScope, figures: YearFigures) -> str:
    return f"统计范围：{figures.label}　　统计年度：{ys.year}年　　统计截至：{_cn_date(ys.today)}"


def summary_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec:
    r, m, t = figures.reports, figures.measures, figures.terms
    sections: list[tuple[str, list[tuple[str, object, str]]]] = []
    list_rows = []
    for lf in figures.lists:
        list_rows += [(f"《{lf.title}》责任类别（方面）", lf.categories, ""),
                      (f"《{lf.title}》事项（具体任务）", lf.items, ""),
                      (f"《{lf.title}》责任单位", lf.units, "清单分解到的组织"),
                      (f"《{lf.title}》任务分解", lf.assignments, "事项 × 责任单位（项次）")]
    if not list_rows:
        list_rows = [("已发布清单", 0, f"{ys.year}年没有已发布的责任清单")]
    sections.append(("责任清单", list_rows))
    sections.append(("月度报告", [
        ("应报月报（份）", r.due, "按时 + 迟报 + 被驳回 + 未报送；未到截止日期的不计"), ("按时报送", r.on_time, ""),
        ("迟报", r.late, ""), ("未报送", r.missing, "已过截止日期仍未提交"),
        ("被驳回", r.returned, "驳回后尚未重新报送"),
        ("审核通过", r.accepted, ""), ("未到截止日期", r.not_due, "不计入应报"),
        ("按时报送率（%）", r.on_time_rate, "按时报送 ÷ 应报"),
    ]))
    sections.append(("照单报告事项", [
        ("报告事项（项次）", r.lines, "已报送（待审核、审核通过）月报中的事项"), ("已完成", r.lines_done, ""),
        ("推进中", r.lines_in_progress, ""), ("未开展", r.lines_not_started, ""), ("不适用", r.lines_not_applicable, ""),
        ("完成率（%）", r.line_done_rate, "已完成 ÷ 报告事项"),
    ]))
    sections.append(("整改落实", [
        ("整改批次", figures.batches, ""), ("问题（个）", figures.problems, ""), ("整改措施（项）", m.total, ""),
        ("已销号", m.closed, ""), ("待审核销号", m.awaiting_review, ""), ("整改中", m.in_progress, ""),
        ("未启动", m.not_started, ""), ("逾期", m.overdue, ""), ("长期坚持", m.long_term, "不计入完成率"),
        ("整改完成率（%，不含长期坚持）", m.completion_rate, "已销号 ÷（整改措施 − 长期坚持）"),
    ]))
    sections.append(("换届", [
        ("需换届的党组织（个）", t.organisations, "党委、党总支、党支部等经选举产生的党组织"),
        ("本年度完成换届", t.renewed, ""), ("按期换届", t.on_time, "在上届届满（或批准延期）之日前选出新一届"),
        ("逾期换届", t.late, ""), ("任期届满尚未换届", t.expired, f"截至{_cn_date(ys.as_of)}"),
        ("无任期记录", t.no_record, ""),
    ]))
    if figures.orglife is not None:
        sections.append(("组织生活", [(f"{ot.name}（次）", ot.count, "") for ot in figures.orglife.types]))

    spec = SheetSpec(
        name=SHEET_SUMMARY, heading=f"{figures.label}{ys.year}年度党建暨党风廉政建设责任落实情况总表",
        subheading=_subheading(ys, figures),
        columns=[Column("序号", 6, "center"), Column("项目", 14, "center"), Column("指标", 44),
                 Column("数值", 12, "center"), Column("说明", 40)],
        rows=[], freeze_columns=0)

    def rows():
        runs, index, n = MergeRuns(spec, [2]), 0, 0
        for section, entries in sections:
            for label, value, note in entries:
                n += 1
                yield runs.cells(index, [n, section, label, "—" if value is None else value, note or None], [section])
                index += 1
        runs.finish(index - 1)

    spec.rows = rows()
    spec.expected_rows = sum(len(entries) for _s, entries in sections)
    return spec


def _month_labels(today: datetime.date) -> dict[str, str]:
    """{"state:line status": what the month's cell says} for the codes `_month_code` produces."""
    labels = {}
    for status in [*LINE_LABELS, ""]:
        label = LINE_LABELS.get(status, "未填写")
        labels[f"sent:{status}"] = label
        labels[f"returned:{status}"] = f"{label}（驳回）"
    labels["missing:"], labels["not_due:"] = NOT_SUBMITTED, NOT_DUE
    return labels


def _month_code(month: int, today: datetime.date):
    """A line of the month's report as "report state:line status" (an assignment has one line a month, so Max
    just picks it)."""
    here = {"report__month": month}
    return Max(Case(
        When(**here, report__status__in=SENT, then=Concat(Value("sent:"), F("status"))),
        When(**here, report__status=ReportStatus.RETURNED, then=Concat(Value("returned:"), F("status"))),
        When(**here, report__due_on__lt=today, then=Value("missing:")),  # the rest are drafts
        When(**here, then=Value("not_due:")),
        output_field=CharField()))


LATEST = 10 ** 12  # month × LATEST + line id: the greatest is the last month's line
BATCH = 2000  # rows per fetch, and ids per IN list (well under SQLite's parameter limit)


def _month_cells(ys: YearScope) -> dict[int, tuple[list, int | None]]:
    """{assignment: (the twelve months' cells, its last line sent in with a status)}, grouped by the database.

    Grouped by assignment alone, so the database aggregates narrow rows; the assignments' text comes with the
    ordered rows later."""
    labels = _month_labels(ys.today)
    sent = Q(report__status__in=SENT) & ~Q(status="")
    rows = (ys.lines().order_by().values("assignment_id")
            .annotate(**{f"m{m}": _month_code(m, ys.today) for m in MONTHS},
                      latest=Max(Case(When(sent, then=F("report__month") * LATEST + F("id")),
                                      output_field=BigIntegerField())))
            .values_list("assignment_id", *(f"m{m}" for m in MONTHS), "latest"))
    return {a_id: ([labels[code] if code else None for code in codes], latest % LATEST if latest else None)
            for a_id, *codes, latest in rows.iterator(chunk_size=BATCH)}


def _latest_texts(line_ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    """Status and texts of the given lines (each assignment's last one, not every month's)."""
    lines = ReportLine.objects.filter(pk__in=line_ids)
    return {pk: rest for pk, *rest in lines.values_list("pk", "status", "done_text", "problems", "next_steps")}


def items_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec:
    """Each item × responsible organisation: what its report said each month, and where it ended up.

    The database groups the year's lines by assignment; the assignments then stream in ledger order, with the
    last report's texts fetched a batch at a time, so memory grows with assignments, not with report lines."""
    lines = ys.lines()
    # EXISTS (one index probe per assignment) rather than IN (subquery): OR-ed with the other condition, an IN over
    # a year of report lines cannot become a semi-join and degrades badly at city scale.
    rows_qs = ys.subtree.filter(Assignment.objects.filter(
        Exists(lines.filter(assignment=OuterRef("pk")))
        | Q(is_active=True, item__responsibility_list__year=ys.year,
            item__responsibility_list__status=ListStatus.PUBLISHED)))
    stream = (rows_qs.order_by("item__responsibility_list__kind", "item__responsibility_list_id", "item__position",
                               "organisation__sort_order", "organisation_id")
              .values_list("pk", "item_id", "item__responsibility_list_id", "item__responsibility_list__title",
                           "item__seq", "item__category", "item__content", "organisation__name", "person__name",
                           "item__person__name", "item__deadline_text"))
    columns = [Column("序号", 6, "center"), Column("清单", 16, "center"), Column("责任类别", 14, "center"),
               Column("责任内容", 36), Column("责任单位", 16, "center"), Column("责任人", 9, "center"),
               Column("完成时限", 11, "center")]
    first_month = len(columns) + 1
    columns += [Column(f"{m}月", 7.5, "center") for m in MONTHS]
    final = len(columns) + 1
    columns += [Column("最终状态", 9, "center"), Column("完成情况", 30), Column("存在问题", 20), Column("下步打算", 20)]
    spec = SheetSpec(
        name=SHEET_ITEMS, heading=f"{figures.label}{ys.year}年度责任清单落实情况台账",
        subheading=_subheading(ys, figures), columns=columns,
        expected_rows=sum(lf.assignments for lf in figures.lists),  # for the progress bar: near enough
        groups=[(first_month, first_month + 11, "各月照单报告完成情况"), (final, final + 3, "最近一次报告")],
        freeze_columns=5, rows=[])

    def rows():
        months, runs, index = _month_cells(ys), MergeRuns(spec, [1, 2, 3, 4, 7]), -1
        no_lines = ([None] * 12, None)
        rows_iter = stream.iterator(chunk_size=BATCH)
        while batch := list(islice(rows_iter, BATCH)):
            texts = _latest_texts([months[row[0]][1] for row in batch if months.get(row[0], no_lines)[1]])
            for (a_id, item_id, list_id, title, seq, category, content, org, person, item_person,
                 deadline) in batch:
                index += 1
                cells, latest = months.pop(a_id, no_lines)
                status, done, problems, next_steps = texts[latest] if latest else ("", "", "", "")
                row = [seq or None, title, category or None, content, org, person or item_person or None,
                       deadline or None]
                row += cells + [LINE_LABELS[status] if latest else NOT_REPORTED, done or None, problems or None,
                                next_steps or None]
                yield runs.cells(index, row, [(list_id, item_id), list_id, (list_id, category), (list_id, item_id),
                                              (list_id, item_id)])
        runs.finish(index)

    spec.rows = rows()
    return spec


def reports_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec:
    """Organisation × month: on time, late by how many days, missing, returned; and the year's counts."""
    cells: dict[int, list] = {}
    names: dict[int, str] = {}
    for org_id, name, month, status, days_late, due_on in (
            ys.reports().order_by("organisation__sort_order", "organisation_id", "month")
            .values_list("organisation_id", "organisation__name", "month", "status", "days_late", "due_on")):
        names[org_id] = name
        cells.setdefault(org_id, [None] * 12)[month - 1] = report_state(status, days_late, due_on, ys.today)
    columns = ([Column("序号", 6, "center"), Column("组织", 26)] + [Column(f"{m}月", 9, "center") for m in MONTHS]
               + [Column("应报", 7, "int"), Column("按时", 7, "int"), Column("迟报", 7, "int"), Column("未报", 7, "int"),
                  Column("驳回", 7, "int"), Column("按时率（%）", 9, "rate")])
    spec = SheetSpec(
        name=SHEET_REPORTS, heading=f"{figures.label}{ys.year}年度月度报告报送情况统计表",
        subheading=_subheading(ys, figures), columns=columns, expected_rows=len(cells) + 1,
        groups=[(3, 14, "各月报送情况"), (15, 20, "全年")], rows=[])

    def rows():
        totals, keys = [0] * 5, {"on_time": 1, "late": 2, "missing": 3, "returned": 4}
        for n, (org_id, months) in enumerate(cells.items(), start=1):
            counts = [0] * 5  # due, on time, late, missing, returned
            row = [n, names[org_id]]
            for cell in months:
                row.append(cell[1] if cell else None)
                if cell and cell[0] in keys:
                    counts[0] += 1
                    counts[keys[cell[0]]] += 1
            totals = [a + b for a, b in zip(totals, counts)]
            yield row + counts + [_rate(counts[1], counts[0]) if counts[0] else "—"]
        yield Total(["合计", None] + [None] * 12 + totals + [_rate(totals[1], totals[0]) if totals[0] else "—"])

    spec.rows = rows()
    spec.merges.append((len(cells), 1, len(cells), 2))  # 合计 spans 序号 and 组织
    return spec


def _closed_on(measure, tz) -> datetime.date | None:
    return measure.closed_at.astimezone(tz).date() if measure.closed_at else None


def ledger_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec:
    """Every measure with the ledger's columns (rectification/exports.py), its status today and when struck off."""
    measures = (ys.measures().with_status(ys.today).select_related("problem__batch", "leader", "person")
                .order_by("problem__batch__feedback_on", "problem__batch_id", "problem__position", "position"))
    columns = [Column("整改批次", 16, "center")]
    center = {"序号", "责任领导", "责任人", "是否完成整改", "是否销号", "整改时限"}
    columns += [Column(label, width, "center" if label in center else "text") for label, width, _get in LEDGER_LAYOUT]
    columns += [Column("当前状态", 9, "center"), Column("销号日期", 14, "date")]
    spec = SheetSpec(name=SHEET_LEDGER, heading=f"{figures.label}{ys.year}年度问题整改台账",
                     subheading=_subheading(ys, figures) + f"　　整改措施{figures.measures.total}项",
                     columns=columns, expected_rows=figures.measures.total, freeze_columns=4, rows=[])

    def rows():
        runs, tz = MergeRuns(spec, [1, 2, 3, 4]), timezone.get_current_timezone()
        # 责任部门 as the ledger names them, in one query: prefetching units costs a queryset per measure.
        units = defaultdict(list)
        named = MeasureUnit.objects.filter(measure__in=measures.values("pk")).order_by("measure_id", "position", "id")
        for measure_id, name in named.values_list("measure_id", "organisation__name"):
            units[measure_id].append(name)
        index = -1
        for index, measure in enumerate(measures.iterator(chunk_size=BATCH)):
            if not measure.units_text:  # what LAYOUT's 责任部门 falls back to, without a query per measure
                measure.units_text = "、".join(units.get(measure.pk, ()))
            row = [measure.problem.batch.title] + [get(measure) or None for _label, _w, get in LEDGER_LAYOUT]
            row += [measure.get_status_display(), _closed_on(measure, tz)]
            batch, problem = measure.problem.batch_id, measure.problem_id
            yield runs.cells(index, row, [batch, problem, problem, problem])
        runs.finish(index)

    spec.rows = rows()
    return spec


def _renewal_text(new: CommitteeTerm, previous: CommitteeTerm) -> str:
    if renewed_on_time(new, previous):
        return "是"
    return f"否（逾期{(new.elected_on - previous.ends_on).days}天）"


def terms_sheet(ys: YearScope, figures: YearFigures, term_rows: list[TermRow]) -> SheetSpec:
    columns = [Column("序号", 6, "center"), Column("党组织", 26), Column("组织类别", 10, "center"),
               Column("本届选举日期", 15, "date"), Column("任期（年）", 8, "int"), Column("届满日期", 15, "date"),
               Column("延期至", 15, "date"), Column("上届届满日期", 15, "date"), Column("本年度换届", 10, "center"),
               Column("是否按期换届", 14, "center"), Column("任期状态", 20, "center"), Column("备注", 16)]
    spec = SheetSpec(name=SHEET_TERMS, heading=f"{figures.label}{ys.year}年度基层党组织换届情况台账",
                     subheading=f"{_subheading(ys, figures)}　　任期状态截至{_cn_date(ys.as_of)}",
                     columns=columns, expected_rows=len(term_rows), rows=[])

    def rows():
        for n, row in enumerate(term_rows, start=1):
            org, term, previous = row.organisation, row.term, row.previous
            kind = OrgKind(org.kind).label
            if term is None:
                yield [n, org.name, str(kind), None, None, None, None, None, "否", "—", "无任期记录", None]
                continue
            if row.renewals:
                renewed = "是（" + "；".join(_cn_date(new.elected_on) for new, _p in row.renewals) + "）"
                on_time = "；".join(_renewal_text(new, prev) for new, prev in row.renewals)
            else:
                renewed = "否"
                on_time = _renewal_text(term, previous) if previous else "—（无上届记录）"
            if term.ends_on < ys.as_of:
                state = f"已届满未换届（{(ys.as_of - term.ends_on).days}天）"
            else:
                state = f"任期内（{_cn_date(term.ends_on)}届满）"
            yield [n, org.name, str(kind), term.elected_on, term.years, term.expires_on, term.postponed_to,
                   previous.ends_on if previous else None, renewed, on_time, state, term.note or None]

    spec.rows = rows()
    return spec


def orglife_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec | None:
    life = figures.orglife
    if life is None:
        return None
    types = life.types
    orgs = list(ys.subtree.filter(Organisation.objects.filter(Q(kind__in=sorted(PARTY_ORG_KINDS), is_active=True)
                                                              | Q(pk__in=list(life.by_org))), "pk")
                .order_by("sort_order", "id").values_list("pk", "name"))
    columns = ([Column("序号", 6, "center"), Column("党组织", 26)]
               + [Column(t.name, max(7.0, 2.2 * len(t.name) + 1), "int") for t in types] + [Column("合计", 8, "int")])
    spec = SheetSpec(name=SHEET_ORGLIFE, heading=f"{figures.label}{ys.year}年度组织生活开展情况统计表",
                     subheading=_subheading(ys, figures) + "　　（次；退回的记录不计）",
                     columns=columns, expected_rows=len(orgs) + 1,
                     groups=[(3, 2 + len(types), "组织生活类型")] if types else [], rows=[])

    def rows():
        for n, (org_id, name) in enumerate(orgs, start=1):
            counts = [life.by_org.get(org_id, {}).get(t.code, 0) for t in types]
            yield [n, name] + counts + [sum(counts)]
        yield Total(["合计", None] + [t.count for t in types] + [life.total])

    spec.rows = rows()
    spec.merges.append((len(orgs), 1, len(orgs), 2))
    return spec


def sheets(ys: YearScope, figures: YearFigures, term_rows: list[TermRow]) -> Iterable[SheetSpec]:
    """The workbook's sheets in order; each is built (and queried) only when the writer reaches it."""
    yield summary_sheet(ys, figures)
    yield items_sheet(ys, figures)
    yield reports_sheet(ys, figures)
    yield ledger_sheet(ys, figures)
    yield terms_sheet(ys, figures, term_rows)
    life = orglife_sheet(ys, figures)
    if life is not None:
        yield life


# ---------------------------------------------------------------- writing

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT, BOLD_FONT = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


class Styler:
    """Each style built once per workbook and copied onto cells by its index array.

    Assigning font, border and alignment objects cell by cell makes openpyxl look each one up again; at a few
    hundred thousand cells that costs more than the queries do."""

    def __init__(self, ws):
        def make(font=BODY_FONT, horizontal=None, number_format="General", border=BORDER, wrap=True):
            cell = Cell(ws)
            cell.font, cell.border = font, border
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
            cell.number_format = number_format
            return cell._style

        self.arrays = {
            "title": make(Font(name="黑体", size=16, bold=True), "center", border=Border(), wrap=False),
            "subtitle": make(Font(name="宋体", size=10), "left", border=Border(), wrap=False),
            "header": make(BOLD_FONT, "center"),
        }
        for bold, font in (("", BODY_FONT), ("_b", BOLD_FONT)):
            self.arrays.update({
                f"text{bold}": make(font), f"center{bold}": make(font, "center"),
                f"date{bold}": make(font, "center", DATE_FORMAT), f"int{bold}": make(font, "center", "0"),
                f"rate{bold}": make(font, "center", "0.0;-0.0;0"),
            })

    def cell(self, ws, value, style: str) -> Cell:
        cell = Cell(ws, row=1, column=1, style_array=self.arrays[style])  # the writer sets the position
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        write_text(cell, value)
        if cell.data_type == "e":  # "#N/A" typed by a user is text, not an error value
            cell.data_type = "s"
        return cell


class SheetWriter:
    """Writes SheetSpecs into one write-only workbook, sharing the workbook's styles between sheets."""

    def __init__(self, wb: Workbook):
        self.wb, self.styler = wb, None

    def write(self, spec: SheetSpec, *, on_rows: Callable[[int], None] | None = None) -> int:
        """Write one sheet; returns the number of data rows. `on_rows(n)` is called every 500 rows."""
        ws = self.wb.create_sheet(spec.name)
        if self.styler is None:
            self.styler = Styler(ws)
        return _write_sheet(ws, self.styler, spec, on_rows)


def _write_sheet(ws, styler: Styler, spec: SheetSpec, on_rows) -> int:
    width = len(spec.columns)
    header_rows = 2 if spec.groups else 1
    first_data = 3 + header_rows  # title, subtitle, header(s)
    for col, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = f"{get_column_letter(spec.freeze_columns + 1)}{first_data}"
    ws.print_title_rows = f"3:{2 + header_rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4

    ws.append([styler.cell(ws, spec.heading, "title")])
    ws.append([styler.cell(ws, spec.subheading, "subtitle")])
    ws.merged_cells.add(f"A1:{get_column_letter(width)}1")
    ws.merged_cells.add(f"A2:{get_column_letter(width)}2")
    if spec.groups:
        grouped = {}
        for first, last, label in spec.groups:
            for col in range(first, last + 1):
                grouped[col] = (first, label)
            ws.merged_cells.add(f"{get_column_letter(first)}3:{get_column_letter(last)}3")
        top, bottom = [], []
        for col, column in enumerate(spec.columns, start=1):
            if col in grouped:
                first, label = grouped[col]
                top.append(styler.cell(ws, label if col == first else None, "header"))
                bottom.append(styler.cell(ws, column.label, "header"))
            else:
                top.append(styler.cell(ws, column.label, "header"))
                bottom.append(styler.cell(ws, None, "header"))
                ws.merged_cells.add(f"{get_column_letter(col)}3:{get_column_letter(col)}4")
        ws.append(top)
        ws.append(bottom)
    else:
        ws.append([styler.cell(ws, column.label, "header") for column in spec.columns])

    styles = [column.style for column in spec.columns]
    bold = [f"{style}_b" for style in styles]
    cell = styler.cell
    n = 0
    for row in spec.rows:
        row_styles = bold if isinstance(row, Total) else styles
        ws.append([cell(ws, value, style) for value, style in zip(row, row_styles)])
        n += 1
        if on_rows is not None and n % 500 == 0:
            on_rows(n)
    # Straight into the range set: MultiCellRange.add checks each new range against every one before it, which
    # at thousands of merged problems is quadratic; these ranges never overlap by construction.
    ranges = ws.merged_cells.ranges
    for first, col, last, last_col in spec.merges:
        if last > first or last_col > col:
            ranges.add(CellRange(min_col=col, min_row=first_data + first, max_col=last_col, max_row=first_data + last))
    return n


# Share of the progress bar each stage takes, in order (the responsibility sheet is the big one).
STAGES = [("统计全年数据", 5), (SHEET_SUMMARY, 2), (SHEET_ITEMS, 55), (SHEET_REPORTS, 8), (SHEET_LEDGER, 15),
          (SHEET_TERMS, 3), (SHEET_ORGLIFE, 2)]


class ProgressBands:
    """Turns (stage, rows done of expected) into one 0–100 figure for the progress bar."""

    def __init__(self, progress: Progress | None, end: int = 90):
        self.progress, self.scale = progress, end / sum(share for _name, share in STAGES)
        self.starts, start = {}, 0
        for name, share in STAGES:
            self.starts[name] = (start, share)
            start += share

    def report(self, stage: str, done: int = 0, expected: int = 0) -> None:
        if self.progress is None:
            return
        start, share = self.starts[stage]
        fraction = min(1.0, done / expected) if expected else 0.0
        self.progress(int((start + share * fraction) * self.scale), stage)


def write_workbook(ys: YearScope, out, *, progress: Progress | None = None,
                   figures: YearFigures | None = None) -> YearFigures:
    """Write the workbook to `out` (a path or binary file); returns the figures on its first sheet."""
    bands = ProgressBands(progress)
    bands.report("统计全年数据")
    term_rows = _term_rows(ys)
    figures = figures or year_figures(ys, terms=term_rows)
    wb = Workbook(write_only=True)
    writer = SheetWriter(wb)
    for spec in sheets(ys, figures, term_rows):
        bands.report(spec.name)
        writer.write(spec, on_rows=lambda n, spec=spec: bands.report(spec.name, n, spec.expected_rows))
    if progress is not None:
        progress(90, "保存工作簿")
    wb.save(out)
    return figures
