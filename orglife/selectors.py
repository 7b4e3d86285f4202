"""What users read about organisational life, always through their scope."""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404

from branches.models import PARTY_ORG_KINDS, Organisation
from branches.scope import scope_for
from branches.selectors import organisation_list

from .compliance import Cell, OrgCompliance, Rulebook, compliance, current_compliance, leader_talks, tracked_from
from .models import Attachment, Record, RecordType
from .periods import Period, PeriodKind


def home_organisation(*, user, rulebook: Rulebook) -> Organisation | None:
    """Where a secretary's organisational life starts: the first organisation they run that has requirements
    (none for whole-agency readers, who start from the compliance table)."""
    scope = scope_for(user)
    if scope.sees_all:
        return None
    for organisation in Organisation.objects.filter(pk__in=scope.led_org_ids, is_active=True).order_by("sort_order"):
        if rulebook.requirements(organisation):
            return organisation
    return None


def record_get(*, user, pk) -> Record:
    """One record the user may see, or 404 whether it exists or not."""
    try:
        return (Record.objects.visible_to(user)
                .select_related("organisation", "host", "recorder", "talker", "created_by", "reviewed_by")
                .prefetch_related("types", "talked_to",
                                  Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
                                  "events__actor")
                .get(pk=pk))
    except (Record.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attachment_get(*, user, pk) -> Attachment:
    try:
        return Attachment.objects.select_related("record").get(pk=pk, record__in=Record.objects.visible_to(user))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def organisation_records(*, organisation: Organisation, year: int, month: int | None = None) -> list[Record]:
    records = Record.objects.filter(organisation=organisation, date__year=year)
    if month:
        records = records.filter(date__month=month)
    return list(records.select_related("host", "talker").prefetch_related("types", "talked_to")
                .annotate(attachment_count=Count("attachments")).order_by("-date", "-start_time", "-id"))


def organisation_year(*, organisation: Organisation, year: int, today: datetime.date, rulebook: Rulebook):
    """Per type: the records of each month, the requirement, and the checks of the year's periods."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    result = compliance(organisations=[organisation], start=start, end=end, today=today, rulebook=rulebook)[0]
    by_type = defaultdict(lambda: [0] * 12)
    rows = (Record.objects.counted().filter(organisation=organisation, date__year=year)
            .values_list("types", "date__month").annotate(n=Count("id", distinct=True)).order_by())
    for type_id, month, n in rows:
        if type_id is not None:
            by_type[type_id][month - 1] = n
    cells = result.cells()
    grid = []
    for req in rulebook.requirements(organisation):
        t = req.record_type
        grid.append({"type": t, "requirement": req, "months": by_type[t.pk], "total": sum(by_type[t.pk]),
                     "cell": cells.get(t.pk)})
    return grid, result


def current_gaps(*, organisations, today: datetime.date) -> list[OrgCompliance]:
    """The open gaps of this month, quarter, half-year and year, for organisations that have any."""
    rulebook = Rulebook()
    organisations = [org for org in organisations if rulebook.requirements(org)]
    if not organisations:
        return []
    return current_compliance(organisations=organisations, today=today, rulebook=rulebook)


def my_gaps(*, user, today: datetime.date) -> list[OrgCompliance]:
    """What the organisations the user runs still have to hold in the running periods (home page)."""
    scope = scope_for(user)
    if not scope.led_org_ids:
        return []
    organisations = list(Organisation.objects.filter(pk__in=scope.led_org_ids, is_active=True,
                                                     kind__in=sorted(PARTY_ORG_KINDS)).order_by("sort_order", "id"))
    if not organisations:
        return []  # a 科室负责人 only: no types to read
    return [result for result in current_gaps(organisations=organisations, today=today) if result.open_gaps]


# ---------------------------------------------------------------- the compliance table

PERIOD_GROUPS = {PeriodKind.MONTH: "月度", PeriodKind.QUARTER: "季度", PeriodKind.HALF_YEAR: "半年",
                 PeriodKind.YEAR: "年度"}


def period_choices(today: datetime.date) -> list[tuple[str, list[Period]]]:
    """Every period of this year and last, newest first, grouped by kind, for the table's filter."""
    choices = []
    for kind in PeriodKind:
        current, period = Period.containing(kind, today), Period.containing(kind, datetime.date(today.year - 1, 1, 1))
        options = []
        while period.start <= current.start:
            options.append(period)
            period = period.next()
        choices.append((PERIOD_GROUPS[kind], list(reversed(options))))
    return choices


@dataclass
class ComplianceRow:
    organisation: Organisation
    depth: int
    cells: list[tuple[RecordType, Cell | None]]
    result: OrgCompliance

    @property
    def gap_count(self) -> int:
        return len(self.result.gaps)


@dataclass
class ComplianceTable:
    period: Period
    root: Organisation | None
    types: list[RecordType]
    rows: list[ComplianceRow]
    tracked_from: datetime.date | None

    @property
    def complete_count(self) -> int:
        return sum(1 for row in self.rows if not row.result.gaps)


def compliance_roots(*, organisations) -> list[Organisation]:
    """The organisations the table may be narrowed to: visible party organisations with visible children."""
    parents = {org.parent_id for org in organisations}
    return [org for org in organisations if org.pk in parents and org.is_party_organisation]


def compliance_table(*, user, period: Period, today: datetime.date, root: Organisation | None = None,
                     organisations: list[Organisation] | None = None) -> ComplianceTable:
    """Every visible organisation (in root's subtree when given) with a requirement, type by type, in the period."""
    orgs = organisations if organisations is not None else organisation_list(user=user)
    if root is not None:
        inside, children = {root.pk}, defaultdict(list)
        for org in orgs:
            children[org.parent_id].append(org.pk)
        stack = [root.pk]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in inside:
                    inside.add(child)
                    stack.append(child)
        orgs = [org for org in orgs if org.pk in inside]
    rulebook = Rulebook()
    orgs = [org for org in orgs if any(req.count for req in rulebook.requirements(org))]
    since = tracked_from()
    results = compliance(organisations=orgs, start=period.start, end=period.end, today=today, rulebook=rulebook,
                         since=since)
    used = {check.record_type.pk for result in results for check in result.checks}
    types = [t for t in rulebook.types if t.pk in used]
    rows = []
    for org, result in zip(orgs, results):
        cells = result.cells()
        rows.append(ComplianceRow(org, getattr(org, "depth", 0), [(t, cells.get(t.pk)) for t in types], result))
    return ComplianceTable(period, root, types, rows, since)


def leader_talk_matrix(*, user, year: int, today: datetime.date):
    """Each 班子成员's talks with the heads of the units they supervise, as far as the user may see them."""
    scope = scope_for(user)
    rows = []
    for row in leader_talks(year=year, today=today):
        if not scope.sees_all:
            own = row.leader.user_id == user.pk
            row.pairs = [p for p in row.pairs if own or scope.can_see(p.unit.pk)]
        if row.pairs:
            rows.append(row)
    return rows
