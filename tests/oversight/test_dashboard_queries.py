"""Query counts do not grow with the number of organisations: every dashboard page issues as many queries with
100 organisations as with 10 (each organisation with a secretary, a committee term, two list items, five months of
reports in every state, and a rectification measure)."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleGrant
from branches.models import CommitteeTerm, Organisation, OrgKind, Person, Post, PostKind, Supervision
from rectification.models import Batch, Measure, MeasureKind, MeasureState, MeasureUnit, Problem, Source
from reports.models import LineStatus, MonthlyReport, ReportLine, ReportStatus, report_due_on
from responsibility.models import Assignment, Frequency, Item, ListKind, ListStatus, ResponsibilityList
from tests.reports.helpers import at

TODAY = datetime.date(2022, 6, 20)
# One ceiling for every page, user and size (the largest, the export of a chosen subtree for a leader or a
# secretary, issues 34 today: the 31 it did before the year's 督办/约谈 figures were added to the page and export).
MAX_QUERIES = 36


class Agency:
    """A root committee whose branches are added in bulk, n at a time."""

    def __init__(self):
        User = get_user_model()
        self.root = Organisation.objects.create(name="机关党委", kind=OrgKind.ORGAN_COMMITTEE, sort_order=1)
        self.inspector = User.objects.create(username="inspector", name="纪检")
        RoleGrant.objects.create(user=self.inspector, role=Role.INSPECTOR)
        self.leader = User.objects.create(username="leader", name="分管领导")
        self.leader_person = Person.objects.create(name="分管领导", user=self.leader)
        self.rlist = ResponsibilityList.objects.create(year=2022, kind=ListKind.DUAL, title="2022年清单")
        self.items = [Item.objects.create(responsibility_list=self.rlist, position=i, category=category,
                                          content=f"事项{i}", frequency=Frequency.MONTHLY)
                      for i, category in enumerate(["=组织建设", "纪律建设"], start=1)]
        ResponsibilityList.objects.filter(pk=self.rlist.pk).update(status=ListStatus.PUBLISHED)
        problem_batch = Batch.objects.create(source=Source.PATROL, title="巡察反馈", feedback_on=datetime.date(2022, 1, 10))
        self.problem = Problem.objects.create(batch=problem_batch, position=1, description="问题")
        self.count = 0

    def add(self, n):
        User = get_user_model()
        start = self.count
        numbers = range(start + 1, start + n + 1)
        orgs = Organisation.objects.bulk_create([
            Organisation(name=f"第{i}党支部", kind=OrgKind.BRANCH, parent=self.root, sort_order=10 + i) for i in numbers])
        users = User.objects.bulk_create([User(username=f"secretary{i}", name=f"书记{i}", password="!")
                                          for i in numbers])
        people = Person.objects.bulk_create([Person(name=f"书记{i}", user=user) for i, user in zip(numbers, users)])
        Post.objects.bulk_create([Post(person=p, organisation=o, kind=PostKind.SECRETARY)
                                  for p, o in zip(people, orgs)])
        Supervision.objects.bulk_create([Supervision(leader=self.leader_person, organisation=o)
                                         for i, o in zip(numbers, orgs) if i % 10 == 1])
        CommitteeTerm.objects.bulk_create([
            CommitteeTerm(organisation=o, elected_on=datetime.date(2019 + i % 3, 3, 1), years=3,
                          expires_on=datetime.date(2022 + i % 3, 3, 1)) for i, o in zip(numbers, orgs)])
        assignments = Assignment.objects.bulk_create([Assignment(item=item, organisation=o)
                                                      for o in orgs for item in self.items])
        by_org = {}
        for a in assignments:
            by_org.setdefault(a.organisation_id, []).append(a)
        reports = []
        for i, org in zip(numbers, orgs):
            for month in range(1, 6):
                due = report_due_on(2022, month)
                state = (i + month) % 5
                sent = timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=state - 2),
                                                                     datetime.time(9)))
                reports.append(MonthlyReport(
                    organisation=org, year=2022, month=month, due_on=due,
                    status=[ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED,
                            ReportStatus.SUBMITTED][state],
                    submitted_at=None if state == 0 else sent, days_late=max(0, state - 2),
                    reviewed_at=sent + datetime.timedelta(days=1) if state in (2, 3) else None))
        reports = MonthlyReport.objects.bulk_create(reports)
        ReportLine.objects.bulk_create([
            ReportLine(report=r, assignment=a, position=n, status=LineStatus.DONE if (r.pk + n) % 2 else "")
            for r in reports for n, a in enumerate(by_org[r.organisation_id], start=1)])
        measures = Measure.objects.bulk_create([
            Measure(problem=self.problem, position=i, text=f"整改措施{i}",
                    kind=MeasureKind.LONG_TERM if i % 7 == 0 else MeasureKind.DEADLINE,
                    due_on=datetime.date(2022, 3 + i % 6, 28),
                    state=[MeasureState.OPEN, MeasureState.IN_PROGRESS, MeasureState.AWAITING_REVIEW,
                           MeasureState.CLOSED][i % 4]) for i in numbers])
        MeasureUnit.objects.bulk_create([MeasureUnit(measure=m, organisation=o) for m, o in zip(measures, orgs)])
        self.count += n
        return orgs


PAGES = [
    ("overview", {"year": 2022, "month": 5}),
    ("overview", {"year": 2022, "month": 5, "org": "ROOT"}),
    ("grid", {"year": 2022}),
    ("grid", {"year": 2022, "org": "ROOT"}),
    ("reports", {"year": 2022, "month": 5, "which": "all"}),
    ("reports", {"year": 2022, "month": 5, "which": "missing", "org": "ROOT"}),
    ("lines", {"year": 2022, "month": 5}),
    ("lines", {"year": 2022, "month": 5, "category": "纪律建设", "done": "1"}),
    ("measures", {"status": "rated"}),
    ("measures", {"status": "overdue", "org": "ROOT"}),
    ("terms", {}),
    ("export", {"year": 2022, "month": 5}),
    ("export", {"year": 2022, "month": 5, "org": "ROOT"}),
]


def query_counts(client, user, root, django_assert_max_num_queries):
    """Queries of each page (after one request to warm caches), each within MAX_QUERIES; ROOT is `root`."""
    counts = {}
    with at(TODAY.year, TODAY.month, TODAY.day):
        client.force_login(user)
        for name, params in PAGES:
            params = {k: (root.pk if v == "ROOT" else v) for k, v in params.items()}
            url = reverse(f"dashboard:{name}")
            assert client.get(url, params).status_code == 200, (name, params)
            with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as ctx:
                response = client.get(url, params)
            assert response.status_code == 200
            counts[(name, tuple(sorted(params)))] = len(ctx.captured_queries)
    return counts


@pytest.fixture
def agency(db):
    return Agency()


@pytest.mark.parametrize("who", ["inspector", "leader", "secretary"])
def test_query_counts_do_not_grow_with_the_organisations(agency, client, django_assert_max_num_queries, who):
    """An inspector (the whole agency, then 机关党委), a leader supervising every tenth branch (then the first of
    them), the first branch's secretary (his branch)."""
    orgs = agency.add(10)
    user = {"inspector": agency.inspector, "leader": agency.leader,
            "secretary": Post.objects.select_related("person__user").get(organisation=orgs[0]).person.user}[who]
    root = agency.root if who == "inspector" else orgs[0]
    small = query_counts(client, user, root, django_assert_max_num_queries)
    first = MonthlyReport.objects.filter(year=2022, month=5).count()

    agency.add(90)
    large = query_counts(client, user, root, django_assert_max_num_queries)
    assert MonthlyReport.objects.filter(year=2022, month=5).count() == 10 * first  # the data did grow
    assert large == small

    # The pages did see the larger agency.
    with at(TODAY.year, TODAY.month, TODAY.day):
        o = client.get(reverse("dashboard:overview"), {"year": 2022, "month": 5}).context["o"]
    assert (o.reports.total, o.measures.total) == {"inspector": (100, 100), "leader": (10, 10),
                                                   "secretary": (1, 1)}[who]


def test_dashboard_html_does_not_grow_with_the_organisations(agency, client, monkeypatch):
    """The overview lists no organisations (the scope picker searches), and the grid and ranking show one page of
    them: with pages of five rows, the pages weigh the same with 10 branches as with 100."""
    from oversight import views

    monkeypatch.setattr(views, "GRID_PAGE", 5)

    def sizes():
        with at(TODAY.year, TODAY.month, TODAY.day):
            client.force_login(agency.inspector)
            pages = {name: client.get(reverse(f"dashboard:{name}"), params)
                     for name, params in (("overview", {"year": 2022, "month": 5}), ("grid", {"year": 2022}))}
        assert len(pages["grid"].context["rows"]) == len(pages["grid"].context["ranking"]) == 5
        return {name: len(response.content) for name, response in pages.items()}

    agency.add(10)
    small = sizes()
    agency.add(90)
    large = sizes()
    # Only longer numbers may differ (第100党支部, 100 reports, page 1/20): a few bytes, never a row per branch.
    for name in small:
        assert small[name] <= large[name] <= small[name] + 200, (name, small[name], large[name])
