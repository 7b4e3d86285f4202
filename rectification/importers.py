"""The 问题整改台账 as the import framework reads it; the service writes a plan only when it has no error.

The reader, deadline parser and name resolvers are the framework's; this module only knows the ledger's columns,
how problem cells merge over their measures, and what 是否完成整改 / 是否销号 mean.
"""
from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation, Person
from common.deadlines import Deadline, DeadlineError, Frequency, parse_deadline
from common.imports import Plan, RowChecker, RowError, cell_text, read_rows
from common.imports.blank import blank_workbook
from common.imports.names import UNIT_SEPARATORS, PersonResolver, UnitResolver, UnknownName
from common.tables import Column

from .models import MeasureKind, MeasureState, Source

LEDGER_COLUMNS = [
    Column("seq", "序号", ("编号",)),
    Column("category", "问题类别", ("问题来源", "问题来源/类别", "问题来源及类别", "问题类型", "类别", "问题分类")),
    Column("description", "问题描述", ("存在问题", "反馈问题", "问题表现", "具体问题", "问题清单", "主要问题"),
           required=True),
    Column("measure", "整改措施", ("整改举措", "具体措施", "整改任务", "整改措施及要求"), required=True),
    Column("leader", "责任领导", ("牵头领导", "分管领导", "责任局领导")),
    Column("units", "责任部门", ("责任单位", "责任科室", "牵头部门", "责任部门（单位）", "牵头单位"), required=True),
    Column("person", "责任人", ("具体责任人", "经办人")),
    Column("deadline", "整改时限", ("完成时限", "整改时间", "完成时间", "整改期限", "时限"), required=True),
    Column("standard", "整改完成标准", ("完成标准", "整改目标", "整改标准")),
    Column("progress", "整改进展", ("进展情况", "整改情况", "整改落实情况", "完成情况")),
    Column("done", "是否完成整改", ("整改状态", "完成状态", "是否完成")),
    Column("struck", "是否销号", ("销号情况", "销号")),
]

DONE, IN_PROGRESS, NOT_STARTED, LONG_TERM = "done", "in_progress", "not_started", "long_term"
DONE_VALUES = {
    "已完成": DONE, "完成": DONE, "已整改": DONE, "整改完成": DONE, "已完成整改": DONE, "是": DONE,
    "正在整改": IN_PROGRESS, "整改中": IN_PROGRESS, "推进中": IN_PROGRESS, "未完成": IN_PROGRESS, "否": IN_PROGRESS,
    "未启动": NOT_STARTED, "未开始": NOT_STARTED,
    "长期坚持": LONG_TERM, "持续整改": LONG_TERM, "持续推进": LONG_TERM,
}
STRUCK_VALUES = {"是": True, "已销号": True, "销号": True, "否": False, "未销号": False}
DONE_LABELS = {DONE: "已完成", IN_PROGRESS: "正在整改", NOT_STARTED: "未启动", LONG_TERM: "长期坚持"}

# Title words that tell where the problems came from, most specific first.
SOURCE_WORDS = [
    ("民主生活会", Source.DEMOCRATIC_LIFE), ("组织生活会", Source.ORGANISATIONAL_LIFE), ("巡视", Source.INSPECTION),
    ("巡察", Source.PATROL), ("审计", Source.AUDIT), ("专项治理", Source.SPECIAL), ("专项整治", Source.SPECIAL),
    ("监督检查", Source.SUPERVISION), ("自查", Source.SELF_CHECK),
]
_FEEDBACK_RE = re.compile(r"反馈(?:时间|日期)\s*[:：]?\s*(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})")
_LABEL_RE = re.compile(r"^[^:：]{1,8}[:：]")  # "填报单位：…", "反馈时间：…": not a title


@dataclass
class PlannedMeasure:
    row: int
    text: str
    units: list[tuple[Organisation, bool]]
    units_text: str
    deadline: Deadline
    kind: str
    due_on: datetime.date | None
    state: str
    done_text: str = ""
    struck_text: str = ""
    leader: Person | None = None
    leader_text: str = ""
    person: Person | None = None
    person_text: str = ""
    standard: str = ""
    progress: str = ""

    @property
    def unit_names(self) -> str:
        return "、".join(org.name for org, _lead in self.units)


@dataclass
class PlannedProblem:
    row: int
    seq: str
    category: str
    description: str
    measures: list[PlannedMeasure] = field(default_factory=list)


@dataclass(kw_only=True)
class LedgerPlan(Plan):
    title: str = ""
    source: str = ""
    issuing_body: str = ""
    feedback_on: datetime.date | None = None
    problems: list[PlannedProblem] = field(default_factory=list)

    @property
    def entries(self) -> list[PlannedProblem]:
        return self.problems

    @property
    def measures(self) -> list[PlannedMeasure]:
        return [m for p in self.problems for m in p.measures]

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label) if self.source in Source.values else ""

    def _count(self, values) -> list[tuple[str, int]]:
        return [(k, n) for k, n in Counter(values).items() if k]

    @property
    def by_done(self) -> list[tuple[str, int]]:
        return self._count(m.done_text for m in self.measures)

    @property
    def by_struck(self) -> list[tuple[str, int]]:
        return self._count(m.struck_text for m in self.measures)

    @property
    def by_state(self) -> list[tuple[str, int]]:
        """The status each measure starts with (before any deadline has passed)."""
        return self._count(str(MeasureKind.LONG_TERM.label if m.kind == MeasureKind.LONG_TERM
                               else MeasureState(m.state).label) for m in self.measures)

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        labels = dict(MeasureKind.choices)
        return self._count(str(labels[m.kind]) for m in self.measures)


_text = cell_text


def _key(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(value)))


def title_from(lines: list[str]) -> str:
    for line in lines:
        if not _LABEL_RE.match(unicodedata.normalize("NFKC", line)):
            return line.strip()
    return ""


def feedback_date_from(lines: list[str]) -> datetime.date | None:
    for line in lines:
        if m := _FEEDBACK_RE.search(unicodedata.normalize("NFKC", line)):
            try:
                return datetime.date(*(int(g) for g in m.groups()))
            except ValueError:
                return None
    return None


def source_from(title: str) -> str:
    for word, source in SOURCE_WORDS:
        if word in title:
            return source.value
    return ""


def issuing_body_from(title: str) -> str:
    """"市委第三巡察组反馈问题整改台账" → "市委第三巡察组"."""
    body, found, _rest = title.partition("反馈")
    return body.strip()[:200] if found and body.strip() else ""


def parse_source(value: str) -> str:
    """A source given as its code or its Chinese label; "" when it is neither."""
    value = (value or "").strip()
    if value in Source.values:
        return value
    for code, label in Source.choices:
        if value == str(label) or (value and value in str(label)):
            return code
    return ""


def plan_ledger(source, *, file_name: str = "", title: str = "", source_kind: str = "",
                today: datetime.date | None = None) -> LedgerPlan:
    """Read and check every row of a ledger file; writes nothing (the dry run)."""
    plan = LedgerPlan(file_name=file_name or os.path.basename(str(getattr(source, "name", source))))
    table, rows = read_rows(plan, source, LEDGER_COLUMNS, merged_fill=("category", "description"))
    if table is None:
        return plan
    lines = table.lines_above
    plan.title = (title or "").strip() or title_from(lines)
    plan.feedback_on = feedback_date_from(lines)
    plan.issuing_body = issuing_body_from(plan.title)
    if source_kind:
        plan.source = parse_source(source_kind)
        if not plan.source:
            plan.errors.append(RowError(None, "", "", source_kind, _("未知的问题来源，可选：%(choices)s") % {
                "choices": "、".join(str(label) for label in Source.labels)}))
    else:
        plan.source = source_from(plan.title)
        if not plan.source:
            plan.errors.append(RowError(None, "", "", plan.title, _(
                "无法从标题判断问题来源（巡察反馈、巡视反馈、审计等），请指定问题来源")))
    if not plan.title:
        plan.errors.append(RowError(None, "", "", "", _("文件表头上方没有标题行，请填写批次标题")))

    year = (plan.feedback_on or today or timezone.localdate()).year
    units, people = UnitResolver(), PersonResolver()
    current: PlannedProblem | None = None
    for row, check in rows:
        description = _text(row.get("description"))
        seq = _text(row.get("seq"))
        if not description:
            check.error("description", _("问题描述为空"))
            continue
        if current is None or description != current.description or (seq and seq != current.seq):
            current = PlannedProblem(row=row.number, seq=seq or str(len(plan.problems) + 1),
                                     category=_text(row.get("category")) or row.section, description=description)
            plan.problems.append(current)
        measure = _plan_measure(row, check, units, people, year, plan.feedback_on)
        if measure is not None and not check.failed:
            current.measures.append(measure)
    return plan


def _deadline(check: RowChecker, year: int, feedback_on: datetime.date | None) -> Deadline | None:
    value = check.row.get("deadline")
    try:
        deadline = parse_deadline(value, year=year)
    except DeadlineError as exc:
        message = exc.message.replace("完成时限", "整改时限")
        check.error("deadline", message + ("" if "立行立改" in message else _("，或“立行立改”“长期坚持”")))
        return None
    # "3月底前" in a ledger fed back in October means next March.
    if feedback_on and deadline.last_due and deadline.last_due < feedback_on:
        try:
            later = parse_deadline(value, year=year + 1)
        except DeadlineError:  # e.g. 2月29日 has no next-year date: keep the date as read
            later = None
        if later is not None and later.last_due and later.last_due >= feedback_on:
            deadline = later
    return deadline


def _plan_measure(row, check, units, people, year, feedback_on) -> PlannedMeasure | None:
    text = _text(row.get("measure"))
    if not text:
        check.error("measure", _("整改措施为空"))
    try:
        resolved = units.resolve(_text(row.get("units")))
    except UnknownName as exc:
        check.error("units", exc.message.replace("责任单位", "责任部门"), exc.suggestions)
        resolved = []
    deadline = _deadline(check, year, feedback_on)
    leader = person = None
    try:
        leader = people.resolve(_text(row.get("leader")), allow_generic=True)
    except UnknownName as exc:
        check.error("leader", exc.message, exc.suggestions)
    names = [n for n in UNIT_SEPARATORS.split(_text(row.get("person"))) if n]
    for name in names:  # several people may share a measure; the first one answers for it
        try:
            found = people.resolve(name)
        except UnknownName as exc:
            check.error("person", exc.message, exc.suggestions)
        else:
            person = person or found

    done_text, struck_text = _key(row.get("done")), _key(row.get("struck"))
    done = DONE_VALUES.get(done_text) if done_text else NOT_STARTED
    if done is None:
        check.error("done", _("是否完成整改应为“已完成”“正在整改”“长期坚持”之一"))
    struck = STRUCK_VALUES.get(struck_text, None) if struck_text else False
    if struck is None:
        check.error("struck", _("是否销号应为“是”或“否”"))
    if check.failed or deadline is None:
        return None

    if deadline.frequency == Frequency.IMMEDIATE:
        kind, due_on = MeasureKind.IMMEDIATE, None
    elif deadline.frequency in (Frequency.ONCE, Frequency.YEARLY):
        kind, due_on = MeasureKind.DEADLINE, deadline.last_due
    else:  # 长期坚持, and recurring wording (每月, 每季度 …) which is ongoing work reviewed periodically
        kind, due_on = MeasureKind.LONG_TERM, None
    if done == LONG_TERM:
        kind, due_on = MeasureKind.LONG_TERM, None

    if struck:
        if kind == MeasureKind.LONG_TERM:
            check.error("struck", _("长期坚持的整改措施不销号，定期评估；请将是否销号填为“否”"))
            return None
        if done != DONE:
            check.error("struck", _("已销号的措施，是否完成整改应为“已完成”"))
            return None
        state = MeasureState.CLOSED
    elif kind == MeasureKind.LONG_TERM:
        state = MeasureState.OPEN if done == NOT_STARTED else MeasureState.IN_PROGRESS
    else:
        state = {DONE: MeasureState.AWAITING_REVIEW, IN_PROGRESS: MeasureState.IN_PROGRESS,
                 NOT_STARTED: MeasureState.OPEN}[done]
    return PlannedMeasure(
        row=row.number, text=text, units=resolved, units_text=_text(row.get("units")), deadline=deadline, kind=kind,
        due_on=due_on, state=state, done_text=DONE_LABELS[done], struck_text="是" if struck else "否",
        leader=leader, leader_text=_text(row.get("leader")), person=person, person_text=_text(row.get("person")),
        standard=_text(row.get("standard")), progress=_text(row.get("progress")),
    )


def ledger_template() -> bytes:
    """The blank ledger template: the title row its batch title and source are read from, headers, an example row."""
    units = [org.name for org in Organisation.objects.active().order_by("sort_order", "name")]
    return blank_workbook(title=_("××巡察组反馈问题整改台账"), columns=LEDGER_COLUMNS, example={
        "category": "政治建设方面", "description": "落实“第一议题”制度不够经常", "measure": "修订党组会议议事规则",
        "leader": "", "units": "办公室", "person": "", "deadline": "2022年3月31日", "standard": "印发议事规则",
        "progress": "", "done": "正在整改", "struck": "否"}, allowed=[
        (_("是否完成整改"), list(DONE_VALUES)), (_("是否销号"), list(STRUCK_VALUES)),
        (_("整改时限（示例写法）"), ["2022年3月31日", "2022年6月底前", "立行立改", "长期坚持"]),
        (_("问题来源（标题中的词）"), [word for word, _source in SOURCE_WORDS]), (_("责任部门"), units)],
        note=("第一行写台账标题（如“市委第三巡察组反馈问题整改台账”），据此判断问题来源；可另起一行写“反馈时间：2022年1月10日”。\n"
              "带＊的列必须填写；一个问题有多项整改措施时，问题单元格可向下合并。\n"
              "“例”开头的示例行不会导入。也可上传 .xls、Word（.docx）或 CSV 文件，列名相同即可。"))
