"""A city-scale agency: N organisations, an 80-item list assigned across them, 12 months of reports
(about 21 lines per organisation and month) and 5,000 rectification measures. Rows are written in bulk."""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, RoleGrant
from branches.models import Organisation, OrgKind, Person, Post, PostKind, Supervision
from rectification.models import Batch, Measure, MeasureKind, MeasureState, MeasureUnit, Problem, Source
from reports.models import LineStatus, MonthlyReport, ReportLine, ReportStatus, report_due_on
from responsibility.models import Assignment, Frequency, Item, ListStatus, ResponsibilityList

YEAR = 2025
TODAY = datetime.date(2026, 1, 20)  # the year is over and December's reports are due
CATEGORIES = ["一、政治建设", "二、思想建设", "三、组织建设", "四、作风建设", "五、纪律建设和党风廉政建设"]
# 80 items: what each organisation carries (20 monthly/ongoing, 6 quarterly, 4 half-yearly, 3 one-off)
FREQ_PLAN = ([Frequency.MONTHLY] * 24 + [Frequency.ONGOING] * 8 + [Frequency.QUARTERLY] * 20
             + [Frequency.HALF_YEARLY] * 12 + [Frequency.ONCE] * 12 + [Frequency.YEARLY] * 4)


@dataclass
class Dataset:
    organisations: int
    lines: int
    reports: int
    measures: int
    staff_username: str
    secretary_username: str
    secretary_report_id: int


def _bulk(model, rows, size=5000):
    model.objects.bulk_create(rows, batch_size=size)


@transaction.atomic
def build(organisations: int = 600, measures: int = 5000, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    User = get_user_model()
    root = Organisation.objects.create(name="中共基准市商务局党组", kind=OrgKind.PARTY_GROUP, sort_order=0)
    committee = Organisation.objects.create(name="基准局机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=root,
                                            sort_order=1)
    # a third departments, the rest branches in general branches of five
    n_departments = organisations // 3
    n_generals = max(1, (organisations - n_departments - 2) // 6)
    n_branches = organisations - n_departments - n_generals - 2
    _bulk(Organisation, [Organisation(name=f"基准科室{i:05d}", kind=OrgKind.DEPARTMENT, parent=root, sort_order=10 + i)
                         for i in range(n_departments)])
    _bulk(Organisation, [Organisation(name=f"基准党总支{i:05d}", kind=OrgKind.GENERAL_BRANCH, parent=committee,
                                      sort_order=100000 + i) for i in range(n_generals)])
    generals = list(Organisation.objects.filter(kind=OrgKind.GENERAL_BRANCH).order_by("pk"))
    _bulk(Organisation, [Organisation(name=f"基准党支部{i:05d}", kind=OrgKind.BRANCH, parent=generals[i % len(generals)],
                                      sort_order=200000 + i) for i in range(n_branches)])
    units = list(Organisation.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.BRANCH]).order_by("pk"))
    departments = [o for o in units if o.kind == OrgKind.DEPARTMENT]

    password = User.objects.make_random_password() if hasattr(User.objects, "make_random_password") else "bench-pass"
    _bulk(User, [User(username=f"u{org.pk}", name=f"书记{org.pk}", password=password) for org in units])
    users = {u.username: u for u in User.objects.filter(username__startswith="u")}
    _bulk(Person, [Person(name=f"书记{org.pk}", user=users[f"u{org.pk}"]) for org in units])
    people = {p.user_id: p for p in Person.objects.filter(user__in=users.values())}
    _bulk(Post, [Post(person=people[users[f"u{org.pk}"].pk], organisation=org,
                      kind=PostKind.DEPARTMENT_HEAD if org.kind == OrgKind.DEPARTMENT else PostKind.SECRETARY)
                 for org in units])
    leaders = [Person.objects.create(name=f"分管领导{i}") for i in range(6)]
    _bulk(Supervision, [Supervision(leader=leaders[i % 6], organisation=d) for i, d in enumerate(departments)])
    staff = User.objects.create(username="bench-staff", name="党建办", password=password)
    RoleGrant.objects.create(user=staff, role=Role.STAFF)

    rlist = ResponsibilityList.objects.create(year=YEAR, title=f"{YEAR}年基准主体责任清单", status=ListStatus.PUBLISHED,
                                              published_at=timezone.now(), created_by=staff, published_by=staff)
    items = []
    for i, freq in enumerate(FREQ_PLAN):
        due = None
        if freq == Frequency.ONCE:
            due = datetime.date(YEAR, 1 + i % 12, 28)
        elif freq == Frequency.YEARLY:
            due = datetime.date(YEAR, 12, 31)
        items.append(Item(responsibility_list=rlist, position=i + 1, seq=str(i + 1), category=CATEGORIES[i % 5],
                          content=f"基准事项{i + 1}", frequency=freq, deadline_text=str(freq.label),
                          final_due_on=due, due_dates=[due.isoformat()] if due else []))
    Item.objects.bulk_create(items)
    items = list(Item.objects.filter(responsibility_list=rlist).order_by("position"))
    by_freq = {f: [it for it in items if it.frequency == f] for f in Frequency}
    monthly_pool = by_freq[Frequency.MONTHLY] + by_freq[Frequency.ONGOING]
    assignments = []
    for org in units:
        person = people[users[f"u{org.pk}"].pk]
        chosen = (rng.sample(monthly_pool, 20) + rng.sample(by_freq[Frequency.QUARTERLY], 6)
                  + rng.sample(by_freq[Frequency.HALF_YEARLY], 4) + rng.sample(by_freq[Frequency.ONCE], 2)
                  + rng.sample(by_freq[Frequency.YEARLY], 1))
        assignments += [Assignment(item=it, organisation=org, person=person) for it in chosen]
    _bulk(Assignment, assignments)

    by_org: dict[int, list[tuple[int, Item]]] = {}
    item_by_id = {it.pk: it for it in items}
    for a_id, org_id, item_id in Assignment.objects.values_list("pk", "organisation_id", "item_id"):
        by_org.setdefault(org_id, []).append((a_id, item_by_id[item_id]))
    for it in items:
        it.responsibility_list = rlist
    now = timezone.now()
    reports = []
    states = [ReportStatus.ACCEPTED] * 12 + [ReportStatus.SUBMITTED] * 3 + [ReportStatus.RETURNED] + [ReportStatus.DRAFT] * 4
    for month in range(1, 13):
        for org in units:
            status = rng.choice(states)
            submitted = status != ReportStatus.DRAFT
            late = rng.choice([0, 0, 0, 0, 1, 3, 8]) if submitted else 0
            due = report_due_on(YEAR, month)
            reports.append(MonthlyReport(
                organisation=org, year=YEAR, month=month, status=status, due_on=due,
                submitted_at=timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=late),
                                                                           datetime.time(10))) if submitted else None,
                days_late=late, reviewed_at=now if status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED) else None,
                return_reason="材料不全" if status == ReportStatus.RETURNED else ""))
    _bulk(MonthlyReport, reports)
    lines = []
    line_status = [LineStatus.DONE] * 6 + [LineStatus.IN_PROGRESS] * 3 + [LineStatus.NOT_STARTED]
    for report_id, org_id, month, status in MonthlyReport.objects.filter(year=YEAR).values_list(
            "pk", "organisation_id", "month", "status"):
        filled = status != ReportStatus.DRAFT
        for position, (a_id, item) in enumerate(by_org[org_id], start=1):
            if item.is_due_in(YEAR, month):
                s = rng.choice(line_status) if filled else ""
                lines.append(ReportLine(report_id=report_id, assignment_id=a_id, position=position, status=s,
                                        done_text="已按要求完成" if s == LineStatus.DONE else "",
                                        problems="暂无条件" if s == LineStatus.NOT_STARTED else ""))
        if len(lines) >= 20000:
            _bulk(ReportLine, lines)
            lines = []
    _bulk(ReportLine, lines)

    batches = [Batch.objects.create(source=Source.PATROL, title=f"基准巡察反馈{i}", feedback_on=datetime.date(YEAR, 3, 1))
               for i in range(10)]
    _bulk(Problem, [Problem(batch=batches[i % 10], position=i, seq=str(i), description=f"基准问题{i}")
                    for i in range(measures // 2)])
    problems = list(Problem.objects.filter(batch__in=batches).order_by("pk"))
    kinds = [MeasureKind.DEADLINE] * 8 + [MeasureKind.LONG_TERM, MeasureKind.IMMEDIATE]
    mstates = [MeasureState.CLOSED] * 5 + [MeasureState.IN_PROGRESS] * 3 + [MeasureState.AWAITING_REVIEW,
                                                                            MeasureState.OPEN]
    rows = []
    for i in range(measures):
        kind = rng.choice(kinds)
        rows.append(Measure(problem=problems[i // 2], position=i % 2, text=f"基准措施{i}", kind=kind,
                            state=rng.choice(mstates),
                            due_on=None if kind != MeasureKind.DEADLINE else TODAY + datetime.timedelta(
                                days=rng.randint(-90, 60))))
    _bulk(Measure, rows)
    _bulk(MeasureUnit, [MeasureUnit(measure_id=m_id, organisation=rng.choice(units))
                        for m_id in Measure.objects.filter(problem__batch__in=batches).values_list("pk", flat=True)])

    secretary_org = next(o for o in units if o.kind == OrgKind.BRANCH)
    secretary_report = MonthlyReport.objects.get(organisation=secretary_org, year=YEAR, month=12)
    MonthlyReport.objects.filter(pk=secretary_report.pk).update(status=ReportStatus.DRAFT, submitted_at=None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Dataset(organisations=Organisation.objects.count(), lines=ReportLine.objects.count(),
                   reports=MonthlyReport.objects.count(), measures=Measure.objects.count(),
                   staff_username=staff.username, secretary_username=f"u{secretary_org.pk}",
                   secretary_report_id=secretary_report.pk)
