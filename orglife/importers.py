"""Read existing 三会一课 / organisational-life records from an agency's Excel sheet into a plan.

`plan_records` reads and checks every row and writes nothing (the dry run); the import service writes a plan only
when it has no error, in one transaction. The reader and the row errors are the import framework's; the rules a
record must meet are the entry form's (`rules.check_record`), so both paths accept the same records.
"""
from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from branches.matching import OrganisationMatcher, normalise_name
from branches.models import Organisation
from common.imports import Plan, RowChecker, RowError, cell_text, read_rows
from common.imports.blank import blank_workbook
from common.tables import Column

from .compliance import Rulebook
from .models import Record, RecordType
from .rules import People, RecordInput, Resolved, check_record

RECORD_COLUMNS = [
    Column("seq", "序号", ("编号",)),
    Column("unit", "单位", ("所在党支部", "党支部", "党组织", "支部名称", "党组织名称", "所在党组织", "单位名称", "组织名称"),
           required=True),
    Column("types", "类型", ("会议类型", "活动类型", "组织生活类型", "会议类别", "组织生活形式"), required=True),
    Column("time", "时间", ("实际会议时间", "会议时间", "召开时间", "活动时间", "开展时间", "谈话时间", "日期"),
           required=True),
    Column("planned", "计划会议时间", ("计划时间",)),
    Column("place", "地点", ("会议地点", "活动地点", "谈话地点")),
    Column("host", "主持人", ("主持人姓名", "谈话人", "主讲人", "授课人")),
    Column("recorder", "记录人", ("记录人姓名",)),
    Column("expected", "应到人数", ("应到", "应参会人数", "应到会人数")),
    Column("present", "实到人数", ("实到", "实参会人数", "参会人数", "到会人数")),
    Column("leave", "请假人数", ("请假",)),
    Column("attendance", "应到/实到", ("应到实到", "应到/实到人数", "参会情况")),
    Column("absentees", "缺席及原因", ("缺席人员及原因", "缺席情况", "缺席人员", "缺席原因")),
    Column("observers", "列席人员", ("列席",)),
    Column("talked_to", "谈话对象", ("被谈话人", "谈话对象姓名")),
    Column("topic", "主题", ("会议名称", "活动名称", "会议主题", "活动主题")),
    Column("agenda", "会议议题", ("议题",)),
    Column("summary", "内容摘要", ("会议内容", "主要内容", "内容", "活动内容", "谈话内容", "内容提要")),
    Column("decisions", "会议决议", ("决议", "决定事项")),
]

# Which column a rule of the entry form speaks about.
FIELD_COLUMNS = {"types": "types", "date": "time", "expected_count": "expected", "present_count": "present",
                 "leave_count": "leave", "talker_name": "host", "talked_to_names": "talked_to"}

_TYPE_SPLIT = re.compile(r"[、，,；;/+＋\n（）()]+")
_CODE_PREFIX = re.compile(r"^\d+\s*[_\-.、]\s*")
_WHEN = re.compile(
    r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?"
    r"(?:\s*(上午|下午|晚上|中午)?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?:\s*[:：]\s*\d{1,2})?)?"
    r"\s*(?:[-—~至到].*)?$")
# Head counts: plain digits of a sane length (a long or exotic digit string is a row error, not a crash).
_NUMBER = re.compile(r"^([0-9]{1,6})\s*人?$")
_PAIR = re.compile(r"^[^0-9]*([0-9]{1,6})\s*人?\s*[/／,，、]\s*[^0-9]*([0-9]{1,6})\s*人?$")


class TypeIndex:
    """Record types by name and alias (normalised), for the names sheets use."""

    def __init__(self, types):
        self.by_key: dict[str, RecordType] = {}
        for record_type in types:
            for key in (record_type.name, *record_type.alias_list, record_type.code):
                self.by_key.setdefault(_type_key(key), record_type)

    def match(self, text: str) -> RecordType | None:
        return self.by_key.get(_type_key(text))

    def close(self, text: str) -> list[str]:
        keys = difflib.get_close_matches(_type_key(text), list(self.by_key), n=5, cutoff=0.4)
        names = []
        for key in keys:
            name = self.by_key[key].name
            if name not in names:
                names.append(name)
        return names[:3]


def _type_key(text: str) -> str:
    return normalise_name(_CODE_PREFIX.sub("", unicodedata.normalize("NFKC", str(text or "")).strip())).lower()


@dataclass
class PlannedRecord:
    row: int
    organisation: Organisation
    resolved: Resolved

    @property
    def data(self) -> RecordInput:
        return self.resolved.data

    @property
    def type_names(self) -> str:
        return "、".join(t.name for t in self.data.types)


@dataclass(kw_only=True)
class RecordPlan(Plan):
    records: list[PlannedRecord] = field(default_factory=list)

    @property
    def entries(self) -> list[PlannedRecord]:
        return self.records

    @property
    def by_type(self) -> list[tuple[str, int]]:
        counts = Counter(t.name for planned in self.records for t in planned.data.types)
        return sorted(counts.items(), key=lambda pair: -pair[1])

    @property
    def by_organisation(self) -> list[tuple[str, int]]:
        return list(Counter(planned.organisation.name for planned in self.records).items())


_text = cell_text


def parse_when(value) -> tuple[datetime.date, datetime.time | None]:
    """A date cell, a date-time cell, an Excel serial number or text such as "2019/2/3  14:30"."""
    if isinstance(value, datetime.datetime):
        return value.date(), (value.time().replace(second=0, microsecond=0) if value.time() != datetime.time(0)
                              else None)
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000:
        return parse_when(from_excel(value))
    text = unicodedata.normalize("NFKC", _text(value)).strip()
    match = _WHEN.match(text)
    if not match:
        raise ValueError(text)
    year, month, day, half, hour, minute = match.groups()
    date = datetime.date(int(year), int(month), int(day))
    if hour is None:
        return date, None
    hour, minute = int(hour), int(minute or 0)
    if half in ("下午", "晚上") and hour < 12:
        hour += 12
    return date, datetime.time(hour, minute)


def parse_count(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = _NUMBER.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise ValueError(value)
    return int(match.group(1))


def plan_records(source, *, file_name: str = "", today: datetime.date) -> RecordPlan:
    plan = RecordPlan(file_name=file_name or str(getattr(source, "name", source)))
    table, rows = read_rows(plan, source, RECORD_COLUMNS, merged_fill=("unit",))
    if table is None:
        return plan
    rulebook, people = Rulebook(), People()
    matcher = OrganisationMatcher(Organisation.objects.active())
    types = TypeIndex(RecordType.objects.filter(is_active=True))
    for _source_row, row in rows:
        planned = _plan_row(row, today=today, rulebook=rulebook, people=people, matcher=matcher, types=types)
        if planned is not None and not row.failed:
            plan.records.append(planned)
    _flag_duplicates(plan, table.headers)
    return plan


def _plan_row(row: RowChecker, *, today, rulebook, people, matcher, types) -> PlannedRecord | None:
    unit = row.text("unit")
    organisation = matcher.match(unit) if unit else None
    if not unit:
        row.error("unit", _("单位为空"))
    elif organisation is None:
        several = matcher.candidates(unit)
        if several:
            row.error("unit", _("“%(name)s”同时对应多个组织：%(names)s")
                      % {"name": unit, "names": "、".join(o.name for o in several)})
        else:
            row.error("unit", _("未找到党组织“%(name)s”") % {"name": unit}, matcher.close_matches(unit))
    elif not rulebook.requirements(organisation):
        row.error("unit", _("%(name)s不是记录组织生活的党组织") % {"name": organisation.name})

    chosen = []
    parts = [p.strip() for p in _TYPE_SPLIT.split(row.text("types")) if p.strip()]
    if not parts:
        row.error("types", _("类型为空"))
    for part in parts:
        record_type = types.match(part)
        if record_type is None:
            row.error("types", _("未知的类型“%(name)s”") % {"name": part}, types.close(part))
        elif record_type not in chosen:
            chosen.append(record_type)

    date, start_time = None, None
    if row.row.get("time") is None:
        row.error("time", _("时间为空"))
    else:
        try:
            date, start_time = parse_when(row.row.get("time"))
        except ValueError:
            row.error("time", _("无法识别的时间，应为日期或“2019/2/3 14:30”这样的文字"))

    counts = {}
    for key in ("expected", "present", "leave"):
        try:
            counts[key] = parse_count(row.row.get(key))
        except ValueError:
            row.error(key, _("人数应为整数"))
            counts[key] = None
    pair = row.text("attendance")
    if pair:
        match = _PAIR.match(unicodedata.normalize("NFKC", pair))
        if not match:
            row.error("attendance", _("应写作“应到/实到”，如 12/10"))
        else:
            counts["expected"] = counts["expected"] if counts["expected"] is not None else int(match.group(1))
            counts["present"] = counts["present"] if counts["present"] is not None else int(match.group(2))
    if organisation is None or row.failed:
        return None

    summary = row.text("summary")
    agenda = row.text("agenda")
    if agenda:
        summary = f"议题：{agenda}\n{summary}".strip()
    data = RecordInput(
        types=chosen, date=date, start_time=start_time, place=row.text("place"),
        topic=row.text("topic") or agenda, host_name=row.text("host"), recorder_name=row.text("recorder"),
        expected_count=counts["expected"], present_count=counts["present"], leave_count=counts["leave"],
        absentees=row.text("absentees"), observers=row.text("observers"), summary=summary,
        decisions=row.text("decisions"), talker_name=row.text("host"), talked_to_names=row.text("talked_to"))
    resolved, errors = check_record(organisation, data, today=today, rulebook=rulebook, people=people)
    for name, messages in errors.items():
        key = FIELD_COLUMNS.get(name, "")
        if key in ("expected", "present") and not row.row.columns.get(key) and pair:
            key = "attendance"
        for message in messages:
            row.error(key, message)
    if resolved is None:
        return None
    return PlannedRecord(row.row.number, organisation, resolved)


def _key(organisation_id, date, start_time, topic) -> tuple:
    return organisation_id, date, start_time, normalise_name(topic)


def _flag_duplicates(plan: RecordPlan, headers: dict[str, str]) -> None:
    """A row repeating another row, or a record already entered, would count twice: refuse it."""
    if not plan.records:
        return
    dates = [p.data.date for p in plan.records]
    existing = {
        _key(org_id, date, start_time, topic): pk
        for pk, org_id, date, start_time, topic in Record.objects.filter(
            organisation_id__in={p.organisation.pk for p in plan.records}, date__range=(min(dates), max(dates)),
        ).values_list("pk", "organisation_id", "date", "start_time", "topic")
    }
    seen: dict[tuple, int] = {}
    kept = []
    for planned in plan.records:
        key = _key(planned.organisation.pk, planned.data.date, planned.data.start_time, planned.resolved.topic)
        label = headers.get("topic") or _("主题")
        if key in existing:
            plan.errors.append(RowError(planned.row, "", label, planned.resolved.topic, _(
                "与已录入的记录重复（同一组织、时间和主题），已导入过的记录不能再次导入")))
        elif key in seen:
            plan.errors.append(RowError(planned.row, "", label, planned.resolved.topic, _(
                "与第%(row)s行重复（同一组织、时间和主题）") % {"row": seen[key]}))
        else:
            seen[key] = planned.row
            kept.append(planned)
    plan.records = kept
    plan.errors.sort(key=lambda e: (e.row or 0))


def records_template() -> bytes:
    """The blank records template: headers, an example row, the record types and organisations."""
    rulebook = Rulebook()
    units = [org.name for org in Organisation.objects.active().order_by("sort_order", "name")
             if rulebook.requirements(org)]
    types = list(RecordType.objects.filter(is_active=True).order_by("pk").values_list("name", flat=True))
    return blank_workbook(title=_("组织生活记录"), columns=RECORD_COLUMNS, example={
        "unit": "机关第一党支部", "types": "支部党员大会、主题党日", "time": "2025/3/3 14:30", "place": "三楼会议室",
        "host": "郑伟", "recorder": "", "expected": "12", "present": "10", "leave": "2", "topic": "一季度支部党员大会",
        "summary": "传达学习会议精神"}, allowed=[(_("类型"), types), (_("单位"), units)],
        note=("带＊的列必须填写；一行可写多个类型，用“、”分隔。谈话类记录的“主持人”列填写谈话人，“谈话对象”列填写被谈话人。\n"
              "时间可写日期或“2025/3/3 14:30”。“例”开头的示例行不会导入。也可上传 .xls、Word（.docx）或 CSV 文件。"))
