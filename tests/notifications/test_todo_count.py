"""The header's to-do count: for every demo user it equals the rows the inbox lists, on a day with every kind of
to-do; and it costs as many queries with 10 more organisations full of work as with 100."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accountability.models import Instruction, InstructionKind, InstructionStatus, Recipient, RecipientState
from assessment.models import Objection, Result, Scheme, SchemeStatus, Score
from assessment.services import (assessed_units, assessment_compute, assessment_publish, objection_raise, score_set,
                                 votes_save)
from assessment.votes import read_votes
from branches.models import CommitteeTerm, Organisation, OrgKind, Person, Post, PostKind, Supervision
from common import todo
from common.todo import todos_for
from rectification.models import Batch, Measure, MeasureKind, MeasureState, MeasureUnit, Problem, Source
from reports.models import MonthlyReport, ReportStatus
from tests.accountability.helpers import issue
from tests.assessment import assessment_scenario as scenario
from tests.notifications.helpers import at
from tests.samples import VOTES_FILE

EVERY_KIND = {"被驳回待重新提交的月度报告", "待填报的月度报告", "待审核的月度报告", "待报送进展的整改措施", "待审核销号的整改措施",
              "待签收的督办交办", "待反馈的督办交办", "待办结的督办交办反馈", "需要换届的组织", "本期还需召开的组织生活",
              "本年度还需开展的谈心谈话", "待答复的考核异议", "公示中的考核结果"}
ADMINISTRATORS = {"sysadmin", "secadmin", "auditadmin"}


@pytest.fixture
def every_kind(demo, settings):
    """The assessment scenario (2026 reports, measures, an expired term, organisational life tracked from 2026) with
    its scheme in 公示 and an objection raised, measures awaiting review and 督办/交办 at every step; the day is
    12 January 2027, inside the objection window."""
    settings.ORGLIFE_TRACKED_FROM = "2026-01-01"
    built = scenario.build(demo)
    staff, secretary = scenario.staff(), demo.user("zhengwei")
    scheme = scenario.make_scheme()
    with VOTES_FILE.open("rb") as handle:
        plan = read_votes(handle, allowed_ids={u.pk for u in assessed_units(scheme)})
    votes_save(scheme=scheme, actor=staff, rows=plan.rows, source="votes.xlsx")
    assessment_compute(scheme=scheme, actor=staff, as_of=scenario.AS_OF)
    for score in Score.objects.filter(result__scheme=scheme, indicator__rule="manual"):
        score_set(score=score, actor=staff, points=20, reason="资料齐全")
    publish_day = datetime.date(2027, 1, 10)
    assessment_publish(scheme=scheme, actor=staff, today=publish_day)
    objection_raise(result=Result.objects.get(scheme=scheme, organisation=built["branch"]), actor=secretary,
                    text="二月月报系系统故障迟报", today=publish_day)

    # Awaiting review: one anybody in 纪检 may strike off, one 刘洋 may not (he is its 责任人).
    measures = built["measures"]
    Measure.objects.filter(pk__in=[measures["june"].pk, measures["old"].pk]).update(
        state=MeasureState.AWAITING_REVIEW, closure_requested_by=demo.user("fengjing"),
        closure_requested_at=timezone.now())
    Measure.objects.filter(pk=measures["old"].pk).update(person=Person.objects.get(user__username="liuyang"))

    with at(2027, 1, 10):
        due = datetime.date(2027, 1, 20)
        pending = issue(demo, "chengang", ["办公室", "执法一支部", "人事科"], due_on=due)
        assigned = issue(demo, "wumin", ["机关第一党支部", "执法二支部"], kind=InstructionKind.ASSIGN, due_on=due,
                         title="七一主题党日")
    # 办公室 has acknowledged (to reply), 执法一支部 replied (to decide), 人事科 was sent back (to reply again);
    # one 交办 reply waits for 党建办.
    steps = {"办公室": RecipientState.ACKNOWLEDGED, "执法一支部": RecipientState.REPLIED, "人事科": RecipientState.RETURNED}
    for name, state in steps.items():
        pending.recipients.filter(organisation__name=name).update(state=state, replied_at=timezone.now())
    assigned.recipients.filter(organisation__name="执法二支部").update(state=RecipientState.REPLIED,
                                                                  replied_at=timezone.now())
    return built


def inbox(client, user) -> tuple[int, set[str]]:
    """The rows and sections of the user's inbox page (the 三员 administrators are sent to the admin site instead:
    what it would list for them)."""
    response = client.get(reverse("todo:list"))
    groups = (response.context["groups"] if response.status_code == 200
              else todos_for(user, timezone.localdate()))
    return sum(len(g.items) for g in groups), {g.label for g in groups}


def test_the_count_equals_the_inbox_rows_for_every_demo_user(every_kind, demo, client):
    seen, counts = set(), {}
    with at(2027, 1, 12):
        for user in get_user_model().objects.order_by("username"):
            client.force_login(user)
            rows, labels = inbox(client, user)
            counts[user.username] = client.get(reverse("todo:count")).json()["count"]
            assert counts[user.username] == rows, user.username
            seen |= labels
    assert seen == EVERY_KIND  # the day has work of every kind for someone
    assert {name: counts[name] for name in ADMINISTRATORS} == dict.fromkeys(ADMINISTRATORS, 0)
    assert all(counts[name] for name in ("zhengwei", "wumin", "sunli", "chengang", "liuyang", "liming"))


# ---------------------------------------------------------------- the cost does not grow with the agency

DAY = datetime.date(2026, 3, 15)
ROLES = ("wumin", "chengang", "zhengwei", "liming")  # 党建办, 纪检, a secretary, a 分管 leader


def _grow(demo, start: int, stop: int) -> None:
    """Branches start…stop-1, each with work for every role: 郑伟 runs them (a report to fill, one to review, a
    measure to update, another awaiting review, a 督办 to acknowledge, an expired term, meetings to hold, a sheet in
    公示 with an objection), 李明 supervises them (a head to talk with), 陈刚 and 吴敏 have a reply each to decide."""
    users = {name: demo.user(name) for name in ROLES}
    people = {name: Person.objects.get(user=user) for name, user in users.items()}
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"规模党支部{i:03d}", kind=OrgKind.BRANCH, parent=demo.org("中共示范市商务局机关委员会"),
                     sort_order=5000 + i) for i in range(start, stop)])
    heads = Person.objects.bulk_create([Person(name=f"规模负责人{i:03d}") for i in range(start, stop)])
    Post.objects.bulk_create([Post(person=people["zhengwei"], organisation=org, kind=PostKind.SECRETARY)
                              for org in orgs] + [Post(person=head, organisation=org, kind=PostKind.HEAD)
                                                  for org, head in zip(orgs, heads)])
    Supervision.objects.bulk_create([Supervision(leader=people["liming"], organisation=org) for org in orgs])
    for org in orgs:
        CommitteeTerm.objects.create(organisation=org, elected_on=datetime.date(2022, 3, 1), years=3)
    MonthlyReport.objects.bulk_create(
        [MonthlyReport(organisation=org, year=2026, month=1, due_on=datetime.date(2026, 2, 5),
                       status=ReportStatus.SUBMITTED, submitted_at=timezone.now()) for org in orgs]
        + [MonthlyReport(organisation=org, year=2026, month=2, due_on=datetime.date(2026, 3, 5)) for org in orgs])
    problem = Problem.objects.create(batch=Batch.objects.create(source=Source.PATROL, title=f"规模巡察{start}",
                                                                feedback_on=datetime.date(2026, 1, 5)),
                                     position=1, description="问题")
    measures = Measure.objects.bulk_create(
        [Measure(problem=problem, position=2 * i + n, text=f"规模措施{i}-{n}", kind=MeasureKind.DEADLINE,
                 due_on=datetime.date(2026, 6, 30), state=state, closure_requested_by=requester)
         for i in range(len(orgs)) for n, state, requester in ((0, MeasureState.IN_PROGRESS, None),
                                                               (1, MeasureState.AWAITING_REVIEW, users["zhengwei"]))])
    MeasureUnit.objects.bulk_create([MeasureUnit(measure=m, organisation=orgs[i // 2]) for i, m in enumerate(measures)])
    for number, (kind, issuer, state) in enumerate((
            (InstructionKind.SUPERVISE, "chengang", RecipientState.PENDING),
            (InstructionKind.SUPERVISE, "chengang", RecipientState.REPLIED),
            (InstructionKind.ASSIGN, "wumin", RecipientState.REPLIED)), start=100 + start):
        instruction = Instruction.objects.create(
            kind=kind, year=2026, number=number, title=f"规模督办{number}", requirement="请办理",
            issuing_org=demo.org("中共示范市商务局机关纪律检查委员会"), issued_by=users[issuer],
            due_on=datetime.date(2026, 3, 31), status=InstructionStatus.ISSUED)
        Recipient.objects.bulk_create([Recipient(instruction=instruction, organisation=org, state=state,
                                                 ack_due_on=datetime.date(2026, 3, 17)) for org in orgs])
    scheme = Scheme.objects.get_or_create(year=2025, defaults={
        "title": "2025年度考核", "status": SchemeStatus.PUBLISHED, "objection_until": DAY})[0]
    results = Result.objects.bulk_create([Result(scheme=scheme, organisation=org) for org in orgs])
    Objection.objects.bulk_create([Objection(result=r, text="异议", raised_by=users["zhengwei"]) for r in results])


def _never_listed(user, today):
    raise AssertionError("the count built the inbox's rows")


def test_the_count_costs_the_same_queries_with_10_or_100_more_organisations(demo, client, settings, monkeypatch,
                                                                           django_assert_max_num_queries):
    settings.ORGLIFE_TRACKED_FROM = "2026-01-01"
    monkeypatch.setattr(todo, "TODO_PROVIDERS", [todo.TodoProvider(_never_listed, p.count) for p in todo.TODO_PROVIDERS])
    seen = {}
    for start, stop in ((0, 10), (10, 100)):
        _grow(demo, start, stop)
        with at(DAY.year, DAY.month, DAY.day):
            for username in ROLES:
                demo.client_for(client, username)
                client.get(reverse("todo:count"))  # the session, as on any page
                with django_assert_max_num_queries(16) as queries:
                    count = client.get(reverse("todo:count")).json()["count"]
                seen[(username, stop)] = (count, len(queries.captured_queries))
    for username in ROLES:
        (small, small_queries), (large, large_queries) = seen[(username, 10)], seen[(username, 100)]
        assert large > small, username  # the extra organisations' work is counted …
        assert large_queries == small_queries, username  # … at the same cost
