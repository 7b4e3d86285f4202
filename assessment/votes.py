"""Read a 述职评议 / 民主测评 summary sheet (参评人数, 好, 较好, 一般, 差 per unit) into vote rows.

The sheet is read with the project's header reader (title rows, merged headers and notes are skipped); every row
error is collected, so the user sees all of them at once and nothing is stored while any remains."""
from __future__ import annotations

from dataclasses import dataclass, field

from branches.matching import OrganisationMatcher
from common.tables import Column, ReadError, read_table

COLUMNS = (
    Column("unit", "党支部", ("单位", "党组织", "被测评单位", "考核对象", "单位名称", "党组织名称"), required=True),
    Column("voters", "参评人数", ("测评人数", "参加测评人数", "应参评人数", "实到人数"), required=True),
    Column("good", "好", ("优秀",), required=True),
    Column("fairly_good", "较好", ("良好",), required=True),
    Column("average", "一般", (), required=True),
    Column("poor", "差", ("较差",), required=True),
)
COUNTS = ("voters", "good", "fairly_good", "average", "poor")


@dataclass
class VotePlan:
    rows: list[tuple] = field(default_factory=list)  # (organisation, voters, good, fairly_good, average, poor)
    errors: list[str] = field(default_factory=list)


def _count(value, label: str, where: str, errors: list[str]) -> int | None:
    text = str(value if value is not None else "").strip()
    try:
        number = float(text) if text else 0.0
    except ValueError:
        errors.append(f"{where}：“{label}”应为人数，实为“{text}”")
        return None
    if number < 0 or number != int(number):
        errors.append(f"{where}：“{label}”应为非负整数，实为“{text}”")
        return None
    return int(number)


def read_votes(upload, *, allowed_ids=None) -> VotePlan:
    """Vote rows from the file; `allowed_ids` are the organisations being assessed (others are errors)."""
    plan = VotePlan()
    try:
        table = read_table(upload, COLUMNS)
    except ReadError as exc:
        plan.errors.append(f"{exc.location}{exc.message}" if exc.location else exc.message)
        return plan
    matcher = OrganisationMatcher.for_active()
    labels = {c.key: c.label for c in COLUMNS}
    seen = set()
    for row in table.rows:
        name = str(row.get("unit", "")).strip()
        if not name:
            continue
        where = f"第{row.number}行"
        org = matcher.match(name)
        if org is None:
            close = matcher.close_matches(name)
            hint = f"（是否为：{'、'.join(close)}）" if close else ""
            plan.errors.append(f"{where}：单位“{name}”在组织机构中找不到{hint}")
            continue
        if allowed_ids is not None and org.pk not in allowed_ids:
            plan.errors.append(f"{where}：“{name}”不在本年度考核对象中")
            continue
        if org.pk in seen:
            plan.errors.append(f"{where}：“{name}”重复出现")
            continue
        seen.add(org.pk)
        counts = [_count(row.get(key), labels[key], where, plan.errors) for key in COUNTS]
        if any(c is None for c in counts):
            continue
        voters, *votes = counts
        if sum(votes) > voters:
            plan.errors.append(f"{where}：“{name}”各档票数之和 {sum(votes)} 超过参评人数 {voters}")
            continue
        plan.rows.append((org, *counts))
    if not plan.rows and not plan.errors:
        plan.errors.append("文件中没有测评数据行")
    return plan
