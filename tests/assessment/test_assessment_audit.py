"""Assessment transitions are in the audit log: computed, 公示, objection answered, final."""
import datetime

from assessment.models import Result, Score
from assessment.services import (assessment_compute, assessment_finalise, assessment_publish, objection_answer,
                                 objection_raise, score_set)
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF
from tests.audit_helpers import transitions


def test_compute_publish_answer_and_finalise_each_leave_an_audit_entry(scheme, world):
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    for score in Score.objects.filter(result__scheme=scheme, indicator__rule="manual"):
        score_set(score=score, actor=staff, points=20, reason="资料齐全")
    assessment_publish(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 10))
    result = Result.objects.get(scheme=scheme, organisation=world["branch"])
    objection = objection_raise(result=result, actor=world["demo"].user("zhengwei"), text="二月月报系系统故障迟报",
                                today=datetime.date(2027, 1, 15))
    objection_answer(objection=objection, actor=staff, answer="经核实，维持原评分。")
    assessment_finalise(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 16))

    entries = transitions(scheme)
    assert [changes for _, changes, _ in entries] == [
        {"status": ["draft", "computed"]}, {"status": ["computed", "published"]}, {"status": ["published", "final"]}]
    assert {actor for actor, _, _ in entries} == {staff.username}
    assert entries[0][2].startswith(f"数据截至{AS_OF.isoformat()}")
    assert entries[1][2] == "异议截止2027-01-15"
    assert transitions(objection) == [(staff.username, {"answer": ["", "经核实，维持原评分。"]}, "经核实，维持原评分。")]
