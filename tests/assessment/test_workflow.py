"""公示, objections, final; bad input gets a Chinese error and changes nothing."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.computing import scheme_check
from assessment.models import FinalResult, Objection, Result, SchemeStatus, Score, ScoreChange, Vote
from assessment.services import (assessment_compute, assessment_finalise, assessment_publish, objection_answer,
                                 objection_raise, scheme_copy, score_set, votes_save)
from assessment.votes import read_votes
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF


def _score_manual(scheme, points=20):
    for score in Score.objects.filter(result__scheme=scheme, indicator__rule="manual"):
        score_set(score=score, actor=scenario.staff(), points=points, reason="资料齐全")


def test_publish_requires_every_manual_score(scheme):
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    with pytest.raises(ValidationError, match="还有 8 项评分未评定"):
        assessment_publish(scheme=scheme, actor=scenario.staff(), today=AS_OF)
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.COMPUTED


def test_objection_window_answer_and_final_snapshot(scheme, world):
    staff, demo = scenario.staff(), world["demo"]
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    _score_manual(scheme)
    assessment_publish(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 10))
    scheme.refresh_from_db()
    assert scheme.objection_until == datetime.date(2027, 1, 15)
    result = Result.objects.get(scheme=scheme, organisation=world["branch"])
    secretary = demo.user("zhengwei")
    objection = objection_raise(result=result, actor=secretary, text="二月月报系系统故障迟报", today=datetime.date(2027, 1, 15))
    with pytest.raises(ValidationError, match="异议期已于"):
        objection_raise(result=result, actor=secretary, text="再提", today=datetime.date(2027, 1, 16))
    assert Objection.objects.count() == 1
    with pytest.raises(ValidationError, match="期满后才能定档"):
        assessment_finalise(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 15))
    with pytest.raises(ValidationError, match="1 条异议未答复"):
        assessment_finalise(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 16))
    objection_answer(objection=objection, actor=staff, answer="经核实，维持原评分。")
    total = Result.objects.get(pk=result.pk).total
    assessment_finalise(scheme=scheme, actor=staff, today=datetime.date(2027, 1, 16))
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.FINAL and scheme.finalised_by == staff and scheme.finalised_at
    # Later data changes do not move a final result; nothing may change it.
    report = world["reports"]["office_feb"]
    report.status = "submitted"
    report.save()
    with pytest.raises(ValidationError):
        assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    score = Score.objects.filter(result=result, indicator__name="台账资料").get()
    with pytest.raises(ValidationError, match="已定档"):
        score_set(score=score, actor=staff, points=25, reason="改分")
    with pytest.raises(FinalResult):
        result.save()
    assert Result.objects.get(pk=result.pk).total == total
    assert Score.objects.get(pk=score.pk).points == Decimal("20.00")


def test_score_change_needs_reason_and_range_and_is_recorded(scheme, world):
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    score = Score.objects.get(result__organisation=world["branch"], result__scheme=scheme, indicator__name="月报按时报送")
    with pytest.raises(ValidationError, match="理由"):
        score_set(score=score, actor=staff, points=10, reason=" ")
    with pytest.raises(ValidationError, match="0～15.00"):
        score_set(score=score, actor=staff, points=16, reason="调整")
    assert not ScoreChange.objects.exists()
    score_set(score=score, actor=staff, points=9, reason="系统故障，经核实按时报送")
    change = ScoreChange.objects.get()
    assert (change.before, change.after, change.actor) == (Decimal("3.00"), Decimal("9.00"), staff)
    score_set(score=score, actor=staff, points=None, reason="撤销调整")
    assert Score.objects.get(pk=score.pk).points == Decimal("3.00")


def test_scheme_points_must_add_up_and_weights_in_range(world):
    scheme = scenario.make_scheme(indicators=[("A", "评分", 90, "manual", None, "")])
    with pytest.raises(ValidationError, match="合计 90.00 分，与方案总分 100.00 分不符"):
        assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    assert not Result.objects.exists()
    scheme2 = scenario.make_scheme(year=2025, weight_good=Decimal("120"))
    with pytest.raises(ValidationError, match="折算分应在 0～100"):
        scheme_check(scheme2)


def test_vote_file_with_unknown_unit_or_too_many_votes_is_refused(world, tmp_path):
    from openpyxl import Workbook

    scheme = scenario.make_scheme()
    wb = Workbook()
    ws = wb.active
    ws.append(["某某测评汇总表"])
    ws.append(["序号", "党支部", "参评人数", "好", "较好", "一般", "差"])
    ws.append([1, "机关第一党支部", 40, 30, 9, 3, 0])
    ws.append([2, "不存在的支部", 40, 10, 10, 10, 0])
    path = tmp_path / "votes.xlsx"
    wb.save(path)
    plan = read_votes(path.open("rb"), allowed_ids=None)
    assert plan.errors == ["第3行：“机关第一党支部”各档票数之和 42 超过参评人数 40", "第4行：单位“不存在的支部”在组织机构中找不到"]
    with pytest.raises(ValidationError, match="超过参评人数"):
        votes_save(scheme=scheme, actor=scenario.staff(), rows=[(world["branch"], 40, 30, 9, 3, 0)])
    assert not Vote.objects.exists()


def test_copy_makes_next_years_draft_with_the_same_indicators(scheme):
    new = scheme_copy(source=scheme, year=2027, actor=scenario.staff())
    assert new.status == SchemeStatus.DRAFT and new.title == "2027年度党支部考核方案"
    assert list(new.indicators.values_list("name", "points", "rule")) == list(
        scheme.indicators.values_list("name", "points", "rule"))
    with pytest.raises(ValidationError, match="已存在"):
        scheme_copy(source=scheme, year=2027, actor=scenario.staff())
