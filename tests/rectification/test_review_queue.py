"""The inbox's queue of measures to review (a queryset, so it can be counted in SQL) holds exactly the measures
`review_refusal` lets the user review: nobody reviews their own measure, one they asked to close, or one of a
department they run; only 纪检监察人员 review at all."""
import datetime

from django.utils import timezone

from branches.models import Person
from rectification.models import Batch, Measure, MeasureState, MeasureUnit, Problem, Source
from rectification.services import review_refusal, reviewable_measures

USERS = ["chengang", "liuyang", "zhoutao", "wumin", "zhengwei"]


def _awaiting(problem, n, units, *, requested_by, person=None, leader=None):
    measure = Measure.objects.create(problem=problem, position=n, text=f"待审核措施{n}", state=MeasureState.AWAITING_REVIEW,
                                     due_on=datetime.date(2026, 6, 30), closure_requested_by=requested_by,
                                     closure_requested_at=timezone.now(), person=person, leader=leader)
    for position, org in enumerate(units):
        MeasureUnit.objects.create(measure=measure, organisation=org, position=position)
    return measure


def test_the_review_queue_holds_what_review_refusal_allows(demo):
    batch = Batch.objects.create(source=Source.PATROL, title="销号审核", feedback_on=datetime.date(2026, 1, 5))
    problem = Problem.objects.create(batch=batch, position=1, description="问题")
    office, discipline = demo.org("办公室"), demo.org("中共示范市商务局机关纪律检查委员会")
    fengjing, chengang = demo.user("fengjing"), demo.user("chengang")
    person = {name: Person.objects.get(user__username=name) for name in ("liuyang", "chengang")}
    measures = [
        _awaiting(problem, 1, [office], requested_by=fengjing),
        _awaiting(problem, 2, [office], requested_by=fengjing, person=person["liuyang"]),
        _awaiting(problem, 3, [office], requested_by=fengjing, leader=person["chengang"]),
        _awaiting(problem, 4, [office], requested_by=chengang),
        _awaiting(problem, 5, [office, discipline], requested_by=fengjing),  # 周涛 runs the 纪委
        _awaiting(problem, 6, [], requested_by=None),
    ]
    allowed = {}
    for username in USERS:
        user = demo.user(username)
        queue = set(reviewable_measures(user).filter(problem=problem).values_list("pk", flat=True))
        expected = {m.pk for m in measures if review_refusal(user, m) is None}
        assert queue == expected, username
        allowed[username] = {m.position for m in measures if m.pk in queue}
    assert allowed == {"chengang": {1, 2, 5, 6}, "liuyang": {1, 3, 4, 5, 6}, "zhoutao": {1, 2, 3, 4, 6},
                       "wumin": set(), "zhengwei": set()}
