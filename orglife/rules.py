"""The rules an organisational-life record must meet, shared by the entry form and the import: the input, the
people its names resolve to, and `check_record`."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from branches.matching import normalise_name
from branches.models import Organisation, Person

from .compliance import Rulebook
from .models import RecordType

NAME_SPLIT = re.compile(r"[、，,；;\s/]+")


@dataclass
class RecordInput:
    types: list[RecordType]
    date: datetime.date
    start_time: datetime.time | None = None
    place: str = ""
    topic: str = ""
    host_name: str = ""
    recorder_name: str = ""
    expected_count: int | None = None
    present_count: int | None = None
    leave_count: int | None = None
    absentees: str = ""
    observers: str = ""
    summary: str = ""
    decisions: str = ""
    talker_name: str = ""
    talked_to_names: str = ""


class People:
    """Active people by normalised name, loaded once (per form post or per import)."""

    def __init__(self):
        self.by_name: dict[str, list[Person]] = {}
        for person in Person.objects.filter(is_active=True).order_by("pk"):
            self.by_name.setdefault(normalise_name(person.name), []).append(person)

    def one(self, name: str) -> Person | None:
        """The person of that name when exactly one is registered, else None."""
        found = self.by_name.get(normalise_name(name), [])
        return found[0] if len(found) == 1 else None

    def count(self, name: str) -> int:
        return len(self.by_name.get(normalise_name(name), []))

    def names(self) -> list[str]:
        return sorted({people[0].name for people in self.by_name.values()})


@dataclass
class Resolved:
    """A RecordInput checked against the rules, with names linked to people where they name exactly one."""

    data: RecordInput
    topic: str
    host: Person | None
    recorder: Person | None
    talker: Person | None
    talked_to: list[Person] = field(default_factory=list)
    other_talked_to: list[str] = field(default_factory=list)


def split_names(text: str) -> list[str]:
    seen, names = set(), []
    for part in NAME_SPLIT.split(str(text or "").strip()):
        if part and normalise_name(part) not in seen:
            seen.add(normalise_name(part))
            names.append(part.strip())
    return names


def check_record(organisation: Organisation, data: RecordInput, *, today: datetime.date, rulebook: Rulebook,
                 people: People) -> tuple[Resolved | None, dict[str, list[str]]]:
    """Every rule a record must meet, as {field: [messages]} (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}

    def error(name, message):
        errors.setdefault(name, []).append(message)

    allowed = {t.pk for t in rulebook.recordable_types(organisation)}
    if not data.types:
        error("types", _("请至少选择一种类型。"))
    for record_type in data.types:
        if record_type.pk not in allowed:
            error("types", _("%(org)s不记录“%(type)s”。") % {"org": organisation.name, "type": record_type.name})
    if data.date is None:
        error("date", _("请填写日期。"))
    elif data.date > today:
        error("date", _("日期 %(date)s 晚于今天：只记录已经开展的组织生活。") % {"date": data.date.isoformat()})
    elif data.date < datetime.date(2000, 1, 1):
        error("date", _("日期 %(date)s 早于 2000 年。") % {"date": data.date.isoformat()})
    for name, value in (("expected_count", data.expected_count), ("present_count", data.present_count),
                        ("leave_count", data.leave_count)):
        if value is not None and not 0 <= value <= 10000:
            error(name, _("人数应为 0 至 10000 的整数。"))
    if data.expected_count is not None and data.present_count is not None:
        if data.present_count > data.expected_count:
            error("present_count", _("实到人数（%(present)s）多于应到人数（%(expected)s）。")
                  % {"present": data.present_count, "expected": data.expected_count})
        elif data.leave_count is not None and data.present_count + data.leave_count > data.expected_count:
            error("leave_count", _("实到与请假人数之和（%(sum)s）多于应到人数（%(expected)s）。")
                  % {"sum": data.present_count + data.leave_count, "expected": data.expected_count})

    talker, talked_to, others = None, [], []
    if any(t.is_talk for t in data.types):
        if not data.talker_name.strip():
            error("talker_name", _("谈话类记录请填写谈话人。"))
        else:
            talker = people.one(data.talker_name)
            if talker is None:
                error("talker_name", _("未找到唯一的人员“%(name)s”：谈话人应为系统中登记的人员。")
                      % {"name": data.talker_name.strip()})
        names = split_names(data.talked_to_names)
        if not names:
            error("talked_to_names", _("谈话类记录请填写谈话对象。"))
        for name in names:
            if people.count(name) > 1:
                error("talked_to_names", _("有%(n)s名人员名为“%(name)s”，请先在组织机构中区分。")
                      % {"n": people.count(name), "name": name})
            elif (person := people.one(name)) is not None:
                if person == talker:
                    error("talked_to_names", _("谈话对象不能是谈话人本人。"))
                elif person not in talked_to:
                    talked_to.append(person)
            else:
                others.append(name)
    if errors:
        return None, errors
    topic = data.topic.strip() or "、".join(t.name for t in data.types)
    return Resolved(data, topic[:200], people.one(data.host_name), people.one(data.recorder_name), talker,
                    talked_to, others), {}
