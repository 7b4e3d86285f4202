"""The responsibility and risk lists as the import framework reads them: their columns and row rules.

`plan_list` reads and checks everything and writes nothing (the dry run); `responsibility_list_import`
(services) writes a plan only when it has no error, inside one transaction.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from branches.models import Organisation, Person
from common.deadlines import Deadline, DeadlineError, Frequency, parse_deadline
from common.imports import Plan, RowChecker, cell_text, read_rows
from common.imports.blank import blank_workbook
from common.imports.names import GROUPS, PersonResolver, UnitResolver, UnknownName
from common.tables import Column

from .models import Frequency as FrequencyChoice
from .models import Item, ListKind, RiskLevel

LIST_COLUMNS = [
    Column("seq", "序号", ("编号", "序")),
    Column("category", "责任类别", ("类别", "责任分类", "项目", "类型", "工作类别", "任务类别", "责任项目", "分类")),
    Column("content", "责任内容", ("工作内容", "主要内容", "责任事项", "工作任务", "重点任务", "任务内容", "责任清单内容",
                                   "工作事项"), required=True),
    Column("tasks", "具体任务", ("工作措施", "具体措施", "具体工作", "落实措施", "主要措施", "具体内容")),
    Column("lead_leader", "牵头领导", ("责任领导", "分管领导", "牵头负责领导", "领导")),
    Column("units", "责任单位", ("责任部门", "责任主体", "牵头单位", "责任科室", "承办单位", "落实单位",
                                 "牵头部门", "责任处室", "责任单位（部门）"), required=True),
    Column("person", "责任人", ("具体责任人", "经办人")),
    Column("deadline", "完成时限", ("完成时间", "时间要求", "时限", "完成期限", "时间节点", "时限要求"), required=True),
    Column("standard", "完成标准", ("工作要求", "完成要求", "工作标准", "目标要求", "考核标准")),
    Column("evidence", "佐证材料", ("需提供的材料", "佐证资料", "印证材料", "佐证", "需提供材料")),
]

RISK_COLUMNS = [
    Column("seq", "序号", ("编号",)),
    Column("units", "单位/科室", ("科室", "单位", "责任科室", "部门", "科室（单位）", "单位科室", "所在科室"), required=True),
    Column("risk_category", "风险类别", ("风险类型", "类别")),
    Column("risk_point", "风险点", ("廉政风险点", "风险岗位", "岗位风险点", "风险点名称"), required=True),
    Column("risk_manifestation", "廉政风险主要内容及表现形式", ("表现形式", "风险表现形式", "主要表现", "风险内容",
                                                             "风险描述")),
    Column("risk_level", "风险等级", ("等级", "风险级别", "级别"), required=True),
    Column("measures", "防控措施", ("防范措施", "风险防控措施", "防控办法")),
    Column("department_head", "部门负责人", ("科室负责人", "责任人", "负责人")),
    Column("lead_leader", "责任领导", ("分管领导", "分管局领导")),
]

LEVELS = {"高": RiskLevel.HIGH, "中": RiskLevel.MEDIUM, "低": RiskLevel.LOW, "较高": RiskLevel.HIGH,
          "一级": RiskLevel.HIGH, "二级": RiskLevel.MEDIUM, "三级": RiskLevel.LOW}


@dataclass
class PlannedItem:
    row: int
    seq: str
    category: str
    content: str
    deadline: Deadline
    units: list[tuple[Organisation, bool]]
    units_text: str
    tasks: str = ""
    standard: str = ""
    evidence: str = ""
    lead_leader: Person | None = None
    lead_leader_text: str = ""
    person: Person | None = None
    risk_category: str = ""
    risk_point: str = ""
    risk_manifestation: str = ""
    risk_level: str = ""
    department_head: Person | None = None

    @property
    def unit_names(self) -> str:
        return "、".join(org.name for org, _lead in self.units)


@dataclass(kw_only=True)
class ImportPlan(Plan):
    kind: str
    year: int
    items: list[PlannedItem] = field(default_factory=list)
    title_kind: str = ""  # the kind the file's own title names, when it is not the kind chosen

    @property
    def title_kind_label(self) -> str:
        return str(ListKind(self.title_kind).label) if self.title_kind else ""

    @property
    def entries(self) -> list[PlannedItem]:
        return self.items

    @property
    def assignment_count(self) -> int:
        return sum(len(item.units) for item in self.items)

    @property
    def by_category(self) -> list[tuple[str, int]]:
        return list(Counter(item.category for item in self.items).items())

    @property
    def by_frequency(self) -> list[tuple[str, int]]:
        counts = Counter(item.deadline.frequency for item in self.items)
        return [(str(FrequencyChoice(f).label), counts[f]) for f in Frequency if counts[f]]

    @property
    def by_risk_level(self) -> list[tuple[str, int]]:
        counts = Counter(item.risk_level for item in self.items)
        return [(str(level.label), counts[level]) for level in RiskLevel if counts[level]]


_text = cell_text


# Words in a list's title that name its kind, most specific first (机关党委监督责任清单 before 主体责任清单).
TITLE_KINDS = [(("廉政风险",), ListKind.RISK), (("一岗双责",), ListKind.DUAL),
               (("机关纪委",), ListKind.ORGAN_DISCIPLINE), (("机关党委", "监督责任"), ListKind.ORGAN_COMMITTEE),
               (("书记", "责任清单"), ListKind.SECRETARY), (("主体责任",), ListKind.MAIN)]


def kind_named_in(title: str) -> str:
    """The list kind a title such as “2022年党组主体责任清单” names, or "" when it names none."""
    for words, kind in TITLE_KINDS:
        if all(word in title for word in words):
            return kind
    return ""


def plan_list(source, *, year: int, kind: str = ListKind.MAIN, file_name: str = "") -> ImportPlan:
    """Read a responsibility list (or, for kind=risk, a 廉政风险防控清单) and check every row; writes nothing."""
    plan = ImportPlan(kind=kind, year=year, file_name=file_name or str(getattr(source, "name", source)))
    risk = kind == ListKind.RISK
    table, rows = read_rows(plan, source, RISK_COLUMNS if risk else LIST_COLUMNS,
                            merged_fill=("units", "risk_category") if risk else ("category",))
    if table is None:
        return plan
    named = kind_named_in(" ".join(table.lines_above) or plan.file_name)
    plan.title_kind = named if named and named != kind else ""
    units, people = UnitResolver(), PersonResolver()
    for row, check in rows:
        item = _plan_risk_row(row, check, units, people, year) if risk else _plan_list_row(row, check, units, people, year)
        if item is not None:
            _check_lengths(check, item, risk)
        if item is not None and not check.failed:
            plan.items.append(item)
    return plan


# Planned item attribute → (column key, model field): cells longer than the field are row errors, so the dry run
# shows them rather than the database refusing the confirmed import.
_LENGTH_CHECKS = {
    "seq": ("seq", "seq"), "category": ("category", "category"), "lead_leader_text": ("lead_leader", "lead_leader_text"),
    "units_text": ("units", "units_text"), "risk_category": ("risk_category", "risk_category"),
    "risk_point": ("risk_point", "risk_point"),
}


def _check_lengths(check: RowChecker, item: PlannedItem, risk: bool) -> None:
    checks = dict(_LENGTH_CHECKS)
    if not risk:
        checks["deadline"] = ("deadline", "deadline_text")
    for attribute, (key, field_name) in checks.items():
        value = item.deadline.text if attribute == "deadline" else getattr(item, attribute)
        limit = Item._meta.get_field(field_name).max_length
        if value and len(value) > limit:
            check.error(key, _("内容过长（%(n)s 字），最多 %(limit)s 字") % {"n": len(value), "limit": limit})


def _resolve_units(check: RowChecker, units: UnitResolver, key: str):
    try:
        return units.resolve(_text(check.row.get(key)))
    except UnknownName as exc:
        check.error(key, exc.message, exc.suggestions)
        return []


def _resolve_person(check: RowChecker, people: PersonResolver, key: str, *, generic=False) -> Person | None:
    try:
        return people.resolve(_text(check.row.get(key)), allow_generic=generic)
    except UnknownName as exc:
        check.error(key, exc.message, exc.suggestions)
        return None


def _plan_list_row(row, check, units, people, year) -> PlannedItem | None:
    content = _text(row.get("content"))
    if not content:
        check.error("content", _("责任内容为空"))
        return None
    resolved = _resolve_units(check, units, "units")
    try:
        deadline = parse_deadline(row.get("deadline"), year=year)
    except DeadlineError as exc:
        check.error("deadline", exc.message)
        deadline = None
    if deadline and deadline.due_dates and not (year <= deadline.due_dates[-1].year <= year + 1):
        check.error("deadline", _("完成时限 %(date)s 不在 %(year)s 年度内") % {
            "date": deadline.due_dates[-1].isoformat(), "year": year})
    leader = _resolve_person(check, people, "lead_leader", generic=True)
    person = _resolve_person(check, people, "person")
    if check.failed:
        return None
    return PlannedItem(
        row=row.number, seq=_text(row.get("seq")), category=_text(row.get("category")) or row.section,
        content=content, deadline=deadline, units=resolved, units_text=_text(row.get("units")),
        tasks=_text(row.get("tasks")), standard=_text(row.get("standard")), evidence=_text(row.get("evidence")),
        lead_leader=leader, lead_leader_text=_text(row.get("lead_leader")), person=person,
    )


def _plan_risk_row(row, check, units, people, year) -> PlannedItem | None:
    point = _text(row.get("risk_point"))
    if not point:
        check.error("risk_point", _("风险点为空"))
        return None
    resolved = _resolve_units(check, units, "units")
    level_text = _text(row.get("risk_level")).replace("风险", "")
    level = LEVELS.get(level_text)
    if level is None:
        check.error("risk_level", _("风险等级应为“高”“中”“低”之一"))
    head = _resolve_person(check, people, "department_head")
    leader = _resolve_person(check, people, "lead_leader", generic=True)
    if check.failed:
        return None
    category = _text(row.get("risk_category"))
    return PlannedItem(
        row=row.number, seq=_text(row.get("seq")), category=category or _("廉政风险"), content=point,
        deadline=Deadline(Frequency.ONGOING, (), "长期坚持"), units=resolved, units_text=_text(row.get("units")),
        tasks=_text(row.get("measures")), lead_leader=leader, lead_leader_text=_text(row.get("lead_leader")),
        risk_category=category, risk_point=point, risk_manifestation=_text(row.get("risk_manifestation")),
        risk_level=level, department_head=head, person=head,
    )


def list_template(*, risk: bool = False) -> bytes:
    """The blank list (or risk list) template: headers, an example row, the allowed values."""
    units = [org.name for org in Organisation.objects.active().order_by("sort_order", "name")]
    if risk:
        return blank_workbook(title=_("廉政风险防控清单"), columns=RISK_COLUMNS, example={
            "units": "办公室", "risk_category": "岗位职责风险", "risk_point": "公务接待",
            "risk_manifestation": "超标准接待", "risk_level": "中", "measures": "执行接待审批单制度",
            "department_head": "", "lead_leader": ""}, allowed=[
            (_("风险等级"), ["高", "中", "低"]), (_("单位/科室"), units)], note=TEMPLATE_NOTE)
    return blank_workbook(title=_("主体责任清单"), columns=LIST_COLUMNS, example={
        "category": "一、政治建设", "content": "落实“第一议题”制度", "tasks": "党组会议第一议题学习",
        "lead_leader": "", "units": "办公室（牵头）、机关党委（配合）", "deadline": "每月",
        "standard": "每次党组会议安排第一议题", "evidence": "会议纪要"}, allowed=[
        (_("完成时限（示例写法）"), DEADLINE_EXAMPLES), (_("责任单位"), [*units, *GROUPS])], note=TEMPLATE_NOTE)


DEADLINE_EXAMPLES = ["每月", "每季度", "每半年", "全年", "长期坚持", "2022年6月底前", "2022年12月31日", "立行立改"]
TEMPLATE_NOTE = ("带＊的列必须填写；表头行以上可保留标题，表格下方可写备注。\n"
                 "“例”开头的示例行不会导入，可直接在其下方填写。\n"
                 "同一类别的多行可合并单元格；责任单位可写多个，用“、”分隔，可标注（牵头）（配合），也可写“各党支部”等。\n"
                 "也可上传 .xls、Word（.docx，文件中的第一张表格）或 CSV 文件，列名相同即可。")
