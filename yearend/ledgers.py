"""The year-end workbook's two long ledgers: each item × unit month by month, and every rectification measure.

Both stream their rows from the database in ledger order, merging repeated cells as published ledgers do."""
from __future__ import annotations

import datetime
from collections import defaultdict
from itertools import islice

from django.db.models import BigIntegerField, Case, CharField, Exists, F, Max, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from common.xlsx import Column, MergeRuns, SheetSpec
from rectification.exports import LAYOUT as LEDGER_LAYOUT
from rectification.models import MeasureUnit
from reports.models import ReportLine, ReportStatus
from responsibility.models import Assignment, ListStatus

from .figures import LINE_LABELS, MONTHS, NOT_DUE, NOT_REPORTED, NOT_SUBMITTED, SENT, YearFigures
from .scope import YearScope
from .sheets import SHEET_ITEMS, SHEET_LEDGER, subheading


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
        subheading=subheading(ys, figures), columns=columns,
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
                     subheading=subheading(ys, figures) + f"　　整改措施{figures.measures.total}项",
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
