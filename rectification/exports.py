"""Write the ledger back to Excel as the 台账 agencies keep: one sheet per batch, title row, merged problem cells."""
from __future__ import annotations

import re
from itertools import groupby

from common.xlsx import Column, MergeRuns, SheetSpec, write_sheets

PROBLEM_COLUMNS = [1, 2, 3]  # 序号, 问题类别, 问题描述: merged down each problem's measures
CENTERED = {1, 5, 7, 11, 12}


def _units(m) -> str:
    return m.units_text or "、".join(u.organisation.name for u in m.unit_list)


LAYOUT = [
    ("序号", 6, lambda m: m.problem.seq), ("问题类别", 12, lambda m: m.problem.category),
    ("问题描述", 28, lambda m: m.problem.description), ("整改措施", 32, lambda m: m.text),
    ("责任领导", 9, lambda m: m.leader_name), ("责任部门", 14, _units), ("责任人", 9, lambda m: m.person_name),
    ("整改时限", 13, lambda m: m.deadline_text or (f"{m.due_on.year}年{m.due_on.month}月{m.due_on.day}日"
                                                   if m.due_on else "")),
    ("整改完成标准", 20, lambda m: m.standard), ("整改进展", 20, lambda m: m.progress_text),
    ("是否完成整改", 9, lambda m: m.done_text), ("是否销号", 7, lambda m: m.struck_text),
]
COLUMNS = [Column(label, width, "center" if col in CENTERED else "text")
           for col, (label, width, _get) in enumerate(LAYOUT, start=1)]


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "整改台账"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}({n})", n + 1
    used.add(name)
    return name


def _batch_line(batch) -> str:
    parts = [f"问题来源：{batch.get_source_display()}"]
    if batch.issuing_body:
        parts.append(f"反馈单位：{batch.issuing_body}")
    if batch.feedback_on:
        parts.append(f"反馈时间：{batch.feedback_on.year}年{batch.feedback_on.month}月{batch.feedback_on.day}日")
    return "    ".join(parts)


def _batch_sheet(batch, measures, used: set[str]) -> SheetSpec:
    spec = SheetSpec(name=_sheet_title(batch.title, used), heading=batch.title, subheading=_batch_line(batch),
                     columns=COLUMNS, rows=[], freeze_columns=0)

    def rows():
        runs, index = MergeRuns(spec, PROBLEM_COLUMNS), -1
        for index, measure in enumerate(measures):
            row = [get(measure) or None for _label, _width, get in LAYOUT]
            yield runs.cells(index, row, [measure.problem_id] * len(PROBLEM_COLUMNS))
        runs.finish(index)

    spec.rows = rows()
    return spec


def export_ledger(measures) -> bytes:
    """`measures` come in ledger order with `status` annotated and problem, batch, people and units loaded."""
    used: set[str] = set()
    sheets = [_batch_sheet(batch, list(rows), used) for batch, rows in groupby(measures, key=lambda m: m.problem.batch)]
    if not sheets:
        sheets = [SheetSpec(name="整改台账", heading="整改台账", subheading=None, columns=COLUMNS, rows=[])]
    return write_sheets(sheets)
