"""The one place that decides what is required of whom and whether it was held.

- Each active record type applies to the organisation kinds listed on it, with its period and count; an override
  for the organisation's kind, or for the organisation itself (which wins), replaces both.
- A period is checked once it has begun: met when the records held reach the count, open while it runs short,
  missed when it ended short. Periods that ended before tracking began are "untracked" (see `tracked_from`).
- A record counts once for each of its types (a 党员大会 that is also the month's 主题党日 counts for both), in the
  period containing its date, unless it was returned in review.
- 班子成员 (people with 分管 rows) hold at least ORGLIFE_LEADER_TALKS talks (谈话类 types: 谈心谈话, 廉政谈话;
  one record counts once even when it is both) a year with each current head (科室负责人/负责人 post) of every
  unit they supervise. A unit without a head post is listed as such and required of nobody.
Everything here reads a bounded number of queries, whatever the number of organisations.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation, Person, Post, PostKind, Supervision
from branches.scope import OrgTree

from .models import Record, RecordType
from .periods import Period, PeriodKind

HEAD_POSTS = (PostKind.DEPARTMENT_HEAD, PostKind.HEAD)


class Status:
    MET = "met"
    OPEN = "open"
    MISSED = "missed"
    UNTRACKED = "untracked"
    NO_HEAD = "no_head"


STATUS_LABELS = {Status.MET: gettext_lazy("已完成"), Status.OPEN: gettext_lazy("进行中"),
                 Status.MISSED: gettext_lazy("未完成"), Status.UNTRACKED: gettext_lazy("未纳入统计"),
                 Status.NO_HEAD: gettext_lazy("未登记负责人")}
STATUS_TAGS = {Status.MET: "tag-green", Status.OPEN: "tag-yellow", Status.MISSED: "tag-red", Status.UNTRACKED: "",
               Status.NO_HEAD: ""}
_SEVERITY = {Status.MISSED: 3, Status.OPEN: 2, Status.MET: 1, Status.UNTRACKED: 0, Status.NO_HEAD: 0}


def leader_talks_required() -> int:
    return settings.ORGLIFE_LEADER_TALKS


def tracked_from() -> datetime.date | None:
    """The first day counted: ORGLIFE_TRACKED_FROM, else 1 January of the year of the earliest record.

    With no setting and no record at all the agency has not begun keeping records here, and nothing is
    checked (so a fresh installation does not report every branch as having missed every meeting)."""
    if settings.ORGLIFE_TRACKED_FROM:
        return datetime.date.fromisoformat(str(settings.ORGLIFE_TRACKED_FROM))
    first = Record.objects.aggregate(first=Min("date"))["first"]
    return datetime.date(first.year, 1, 1) if first else None


@dataclass(frozen=True)
class Requirement:
    record_type: RecordType
    period: str
    count: int


class Rulebook:
    """The active types and their overrides, read in two queries."""

    def __init__(self):
        self.types = list(RecordType.objects.filter(is_active=True).prefetch_related("overrides"))
        self._by_kind, self._by_org = {}, {}
        for record_type in self.types:
            for override in record_type.overrides.all():
                if override.organisation_id:
                    self._by_org[(record_type.pk, override.organisation_id)] = override
                else:
                    self._by_kind[(record_type.pk, override.org_kind)] = override

    def requirements(self, organisation: Organisation) -> list[Requirement]:
        """Every type the organisation records, with what is required (a count of 0 requires nothing)."""
        found = []
        for record_type in self.types:
            override = (self._by_org.get((record_type.pk, organisation.pk))
                        or self._by_kind.get((record_type.pk, organisation.kind)))
            if override is not None:
                found.append(Requirement(record_type, override.period, override.required_count))
            elif organisation.kind in (record_type.applies_to or []):
                found.append(Requirement(record_type, record_type.period, record_type.required_count))
        return found

    def recordable_types(self, organisation: Organisation) -> list[RecordType]:
        return [req.record_type for req in self.requirements(organisation)]


@dataclass
class Check:
    """One organisation, one type, one period: required against held."""

    organisation: Organisation
    record_type: RecordType
    period: Period
    required: int
    held: int
    status: str

    @property
    def gap(self) -> int:
        return max(0, self.required - self.held)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]

    def message(self, today: datetime.date) -> str:
        t = self.record_type
        # the verb belongs to the type's data (召开/开展/讲), so it travels with the name as one placeholder
        args = {"period": self.period.label, "what": f"{t.verb}{t.name}", "name": t.name, "n": self.gap,
                "required": self.required, "held": self.held}
        if self.status == Status.OPEN:
            return _("%(period)s还需%(what)s%(n)s次") % {**args, "period": self.period.relative_label(today)}
        if self.status == Status.MISSED:
            return _("%(period)s少%(what)s%(n)s次（应%(required)s次，实%(held)s次）") % args
        if self.status == Status.MET:
            return _("%(period)s已%(what)s%(held)s次") % args
        return _("%(period)s%(name)s未纳入统计") % args


@dataclass
class Cell:
    """The checks of one organisation and type within a window (several for a monthly type in a quarter)."""

    checks: list[Check] = field(default_factory=list)

    @property
    def status(self) -> str:
        return max((c.status for c in self.checks), key=_SEVERITY.get, default=Status.UNTRACKED)

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def held(self) -> int:
        return sum(c.held for c in self.checks)

    @property
    def text(self) -> str:
        if len(self.checks) == 1:
            return f"{self.checks[0].held}/{self.checks[0].required}"
        met = sum(1 for c in self.checks if c.status == Status.MET)
        return f"{met}/{len(self.checks)}"

    def title(self, today: datetime.date) -> str:
        return _("；").join(c.message(today) for c in self.checks)


@dataclass
class OrgCompliance:
    organisation: Organisation
    checks: list[Check]
    today: datetime.date

    @property
    def gaps(self) -> list[Check]:
        return [c for c in self.checks if c.status in (Status.OPEN, Status.MISSED)]

    @property
    def open_gaps(self) -> list[Check]:
        return [c for c in self.checks if c.status == Status.OPEN]

    @property
    def missed(self) -> list[Check]:
        return [c for c in self.checks if c.status == Status.MISSED]

    def cells(self) -> dict[int, Cell]:
        found: dict[int, Cell] = {}
        for check in self.checks:
            found.setdefault(check.record_type.pk, Cell()).checks.append(check)
        return found

    def messages(self) -> list[str]:
        return [c.message(self.today) for c in self.gaps]


def _status(period: Period, required: int, held: int, today: datetime.date, since: datetime.date | None) -> str:
    if since is None or period.end < since:
        return Status.UNTRACKED
    if held >= required:
        return Status.MET
    return Status.OPEN if period.end >= today else Status.MISSED


def month_counts(organisation_ids, start: datetime.date, end: datetime.date) -> dict[tuple, int]:
    """{(organisation id, type id, year, month): records counted} for records dated within [start, end].

    `organisation_ids` None means every organisation (the reminder scan), which keeps the query free of a
    parameter per organisation."""
    records = Record.objects.counted().filter(date__range=(start, end))
    if organisation_ids is not None:
        records = records.filter(organisation_id__in=list(organisation_ids))
    rows = (records.annotate(month=TruncMonth("date")).values("organisation_id", "types", "month")
            .annotate(n=Count("id", distinct=True)).order_by())
    return {(row["organisation_id"], row["types"], row["month"].year, row["month"].month): row["n"]
            for row in rows if row["types"] is not None}


def compliance(*, organisations, start: datetime.date, end: datetime.date, today: datetime.date,
               rulebook: Rulebook | None = None, since=..., every_organisation: bool = False) -> list[OrgCompliance]:
    """Required against held for every organisation, type and period of the window [start, end] begun by today.

    Monthly types give one check per month of the window, a yearly type one check for the year containing it."""
    organisations = list(organisations)
    rulebook = rulebook or Rulebook()
    since = tracked_from() if since is ... else since
    wanted = {org.pk: [req for req in rulebook.requirements(org) if req.count > 0] for org in organisations}
    periods: dict[str, list[Period]] = {}
    for reqs in wanted.values():
        for req in reqs:
            if req.period not in periods:
                periods[req.period] = [p for p in Period.overlapping(req.period, start, end) if p.start <= today]
    used = [p for ps in periods.values() for p in ps]
    counts = {}
    if used and since is not None:
        ids = None if every_organisation else [org.pk for org in organisations]
        counts = month_counts(ids, min(p.start for p in used), max(p.end for p in used))
    result = []
    for org in organisations:
        checks = []
        for req in wanted[org.pk]:
            for period in periods[req.period]:
                held = sum(counts.get((org.pk, req.record_type.pk, y, m), 0) for y, m in period.month_keys())
                checks.append(Check(org, req.record_type, period, req.count, held,
                                    _status(period, req.count, held, today, since)))
        result.append(OrgCompliance(org, checks, today))
    return result


def current_compliance(*, organisations, today: datetime.date, **kwargs) -> list[OrgCompliance]:
    """The periods running today: this month, quarter, half-year and year."""
    return compliance(organisations=organisations, start=today, end=today, today=today, **kwargs)


# ---------------------------------------------------------------- 班子成员 with the heads of what they supervise

@dataclass
class TalkPair:
    leader: Person
    unit: Organisation
    head: Person | None
    held: int
    required: int
    status: str

    @property
    def gap(self) -> int:
        return max(0, self.required - self.held) if self.head else 0

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def message(self, year: int) -> str:
        if self.head is None:
            return f"{self.unit.name}未登记负责人，不计入谈话要求"
        if self.status == Status.MET:
            return f"{self.leader.name}与{self.unit.name}{self.head.name}已谈话{self.held}次"
        return (f"{self.leader.name}{year}年与{self.unit.name}负责人{self.head.name}谈话{self.held}次，"
                f"还需{self.gap}次（每年至少{self.required}次）")


@dataclass
class LeaderTalks:
    leader: Person
    pairs: list[TalkPair]

    @property
    def gaps(self) -> list[TalkPair]:
        return [p for p in self.pairs if p.status in (Status.OPEN, Status.MISSED)]


def leader_talks(*, year: int, today: datetime.date, since=..., leader: Person | None = None) -> list[LeaderTalks]:
    """Every 班子成员 (or only `leader`) with each head of the units they supervise, and the talks held with them in
    the year."""
    since = tracked_from() if since is ... else since
    required = leader_talks_required()
    supervisions = Supervision.objects.filter(leader__is_active=True, organisation__is_active=True)
    if leader is not None:
        supervisions = supervisions.filter(leader=leader)
    supervisions = list(supervisions.select_related("leader__user", "organisation").order_by(
        "leader__name", "leader_id", "organisation__sort_order", "organisation_id"))
    unit_ids = {s.organisation_id for s in supervisions}
    heads = defaultdict(list)
    for post in (Post.objects.current().filter(kind__in=HEAD_POSTS, organisation_id__in=unit_ids)
                 .select_related("person").order_by("sort_order", "id")):
        if post.person not in heads[post.organisation_id]:
            heads[post.organisation_id].append(post.person)
    leader_ids = {s.leader_id for s in supervisions}
    talks = set(Record.objects.counted().filter(date__year=year, talker_id__in=leader_ids, types__is_talk=True)
                .values_list("pk", "talker_id", "talked_to__id"))
    held = defaultdict(int)
    for _pk, talker, talked in talks:
        if talked is not None:
            held[(talker, talked)] += 1
    year_end = datetime.date(year, 12, 31)
    by_leader: dict[int, LeaderTalks] = {}
    for sup in supervisions:
        row = by_leader.setdefault(sup.leader_id, LeaderTalks(sup.leader, []))
        unit_heads = heads.get(sup.organisation_id) or [None]
        for head in unit_heads:
            if head is None:
                row.pairs.append(TalkPair(sup.leader, sup.organisation, None, 0, 0, Status.NO_HEAD))
                continue
            n = held[(sup.leader_id, head.pk)]
            if since is None or year_end < since:
                status = Status.UNTRACKED
            elif n >= required:
                status = Status.MET
            else:
                status = Status.OPEN if year_end >= today else Status.MISSED
            row.pairs.append(TalkPair(sup.leader, sup.organisation, head, n, required, status))
    return list(by_leader.values())


# ---------------------------------------------------------------- year-end figures

def year_counts(*, organisation: Organisation, year: int) -> dict[str, int]:
    """{type code: records of that type held in the year} across the organisation and its whole subtree.

    Every type appears (0 when none); returned records do not count; a record of two types counts for each."""
    ids = OrgTree.load().subtree(organisation.pk)
    counts = dict.fromkeys(RecordType.objects.order_by("sort_order", "id").values_list("code", flat=True), 0)
    rows = (Record.objects.counted().filter(organisation_id__in=ids, date__year=year)
            .values("types__code").annotate(n=Count("id", distinct=True)).order_by())
    for row in rows:
        if row["types__code"]:
            counts[row["types__code"]] = row["n"]
    return counts


__all__ = ["Check", "Cell", "LeaderTalks", "OrgCompliance", "PeriodKind", "Requirement", "Rulebook", "Status",
           "TalkPair", "compliance", "current_compliance", "leader_talks", "month_counts", "tracked_from",
           "year_counts"]
