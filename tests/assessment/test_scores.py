"""Every rule against figures counted by hand (tests/assessment/assessment_scenario.py)."""
from decimal import Decimal

import pytest

from assessment import selectors
from assessment.models import Grade, Result, Score
from assessment.services import assessment_compute, score_set
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF, BRANCH_FIGURES, BRANCH_POINTS


def scores_of(scheme, org):
    return {s.indicator.name: s for s in Score.objects.filter(result__scheme=scheme, result__organisation=org)
            .select_related("indicator")}


def test_automatic_figures_and_points_match_the_hand_count(scheme, world):
    assert assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF) == 8
    scores = scores_of(scheme, world["branch"])
    for name, figure in BRANCH_FIGURES.items():
        assert {k: scores[name].figure[k] for k in figure} == figure, name
    for name, points in BRANCH_POINTS.items():
        assert scores[name].points == points, name
    assert scores["述职评议"].figure == {"voters": 42, "good": 30, "fairly_good": 9, "average": 3, "poor": 0}


def test_unit_with_nothing_to_count_keeps_full_points_and_its_own_measure(scheme, world):
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    scores = scores_of(scheme, world["enforce"])
    assert scores["月报按时报送"].figure["total"] == 0 and scores["月报按时报送"].points == Decimal("15.00")
    assert scores["整改按期销号"].figure == {"total": 1, "good": 1}
    # 18×100 + 15×80 + 7×60 + 2×0 = 3420 over 42 votes → 20 × 34.2/42 = 16.29
    assert scores["述职评议"].points == Decimal("16.29")


def test_deduction_rule_takes_points_per_late_or_missing_report_floored_at_zero(world):
    rows = [("A", "月报", 10, "reports_on_time", Decimal("1.5"), ""), ("A", "评分", 90, "manual", None, "")]
    scheme = scenario.make_scheme(indicators=rows)
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    assert scores_of(scheme, world["branch"])["月报"].points == Decimal("4.00")  # 10 − 1.5 × (2 late + 2 missing)
    rows[0] = ("A", "月报", 10, "reports_on_time", Decimal("3"), "")
    Score.objects.all().delete()
    scheme.indicators.filter(name="月报").update(deduction=Decimal("3"))
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    assert scores_of(scheme, world["branch"])["月报"].points == Decimal("0.00")  # 10 − 12, floored


def test_totals_bonus_cap_ranks_and_grades(scheme, world):
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    results = {r.organisation.name: r for r in Result.objects.filter(scheme=scheme).select_related("organisation")}
    for result in results.values():
        scores = scores_of(scheme, result.organisation)
        manual = scores["台账资料"]
        score_set(score=manual, actor=staff, points=20, reason="资料基本齐全")
    branch_scores = scores_of(scheme, world["branch"])
    score_set(score=branch_scores["先进基层党组织"], actor=staff, points=3, reason="市级表彰")
    score_set(score=branch_scores["创新工作"], actor=staff, points=4, reason="经验推广")
    branch = Result.objects.get(scheme=scheme, organisation=world["branch"])
    base = sum(BRANCH_POINTS.values()) + Decimal("20")
    assert branch.base_score == base == Decimal("61.57")
    assert branch.bonus == Decimal("5.00")  # 3 + 4 capped at 5
    assert branch.total == base + 5
    ordered = list(Result.objects.filter(scheme=scheme).order_by("rank", "organisation__sort_order"))
    totals = [r.total for r in ordered]
    assert totals == sorted(totals, reverse=True)
    assert ordered[0].rank == 1
    for r in ordered:
        expected = (Grade.EXCELLENT if r.total >= 90 else Grade.GOOD if r.total >= 80
                    else Grade.FAIR if r.total >= 60 else Grade.POOR)
        assert r.grade == expected


def test_ties_share_a_rank_and_the_next_rank_skips(world):
    scheme = scenario.make_scheme(indicators=[("A", "评分", 100, "manual", None, "")])
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    values = [95, 95, 90, 80, 70, 70, 60, 50]
    results = list(Result.objects.filter(scheme=scheme).order_by("organisation__sort_order"))
    for result, value in zip(results, values):
        score_set(score=result.scores.get(), actor=staff, points=value, reason="评分")
    ranks = {r.pk: r.rank for r in Result.objects.filter(scheme=scheme)}
    assert [ranks[r.pk] for r in results] == [1, 1, 3, 4, 5, 5, 7, 8]


def test_excellent_share_cap_does_not_split_a_tie(world):
    scheme = scenario.make_scheme(indicators=[("A", "评分", 100, "manual", None, "")],
                                  excellent_share=Decimal("30"))
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    results = list(Result.objects.filter(scheme=scheme).order_by("organisation__sort_order"))
    for result, value in zip(results, [99, 95, 95, 92, 91, 85, 70, 50]):
        score_set(score=result.scores.get(), actor=staff, points=value, reason="评分")
    grades = [Result.objects.get(pk=r.pk).grade for r in results]
    # 30% of 8 = 2 places: the first gets 优秀; the tie at 95 would make 3, so neither of the pair does.
    assert grades == [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.FAIR,
                      Grade.POOR]
    assert "优秀比例" in Result.objects.get(pk=results[1].pk).grade_note


def test_veto_caps_the_grade(world):
    rows = [("A", "评分", 100, "manual", None, ""), ("否决", "严重违纪", 0, "veto", None, "good")]
    scheme = scenario.make_scheme(indicators=rows)
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    result = Result.objects.get(scheme=scheme, organisation=world["branch"])
    scores = {s.indicator.name: s for s in result.scores.select_related("indicator")}
    score_set(score=scores["评分"], actor=staff, points=96, reason="评分")
    assert Result.objects.get(pk=result.pk).grade == Grade.EXCELLENT
    score_set(score=scores["严重违纪"], actor=staff, triggered=True, reason="党员被立案审查")
    result.refresh_from_db()
    assert (result.total, result.grade) == (Decimal("96.00"), Grade.GOOD)
    assert "一票否决" in result.grade_note


def test_drill_down_lists_exactly_the_rows_counted(scheme, world):
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    scores = scores_of(scheme, world["branch"])
    reports = world["reports"]
    all_reports = selectors.drill_rows(scores["月报按时报送"], bad_only=False)
    lost = selectors.drill_rows(scores["月报按时报送"], bad_only=True)
    assert {r.pk for r in all_reports} == {reports[k].pk for k in ("branch_jan", "branch_feb", "office_jan",
                                                                  "office_feb", "hr_jan")}
    assert {r.pk for r in lost} == {reports[k].pk for k in ("branch_feb", "office_jan", "office_feb", "hr_jan")}
    measures = world["measures"]
    assert {m.pk for m in selectors.drill_rows(scores["整改按期销号"], bad_only=False)} == {
        measures["m1"].pk, measures["m2"].pk, measures["m3"].pk}
    assert {m.pk for m in selectors.drill_rows(scores["整改按期销号"], bad_only=True)} == {
        measures["m2"].pk, measures["m3"].pk}
    assert len(selectors.drill_rows(scores["清单事项完成"], bad_only=False)) == 6
    assert len(selectors.drill_rows(scores["清单事项完成"], bad_only=True)) == 2
    assert len(selectors.drill_rows(scores["组织生活"], bad_only=True)) == 2
    assert [t.organisation for t in selectors.drill_rows(scores["按期换届"], bad_only=True)] == [world["branch"]]


def test_recompute_keeps_reviewer_scores_and_follows_new_data(scheme, world):
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    manual = scores_of(scheme, world["branch"])["台账资料"]
    score_set(score=manual, actor=staff, points=22, reason="资料齐全")
    report = world["reports"]["office_feb"]
    report.status, report.days_late = "submitted", 0
    report.save()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    scores = scores_of(scheme, world["branch"])
    assert scores["台账资料"].points == Decimal("22.00")
    assert scores["月报按时报送"].figure["good"] == 2 and scores["月报按时报送"].points == Decimal("6.00")


@pytest.mark.parametrize("organisations", [10, 40])
def test_compute_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries, organisations):
    from branches.models import Organisation, OrgKind

    parent = world["demo"].org("中共示范市商务局机关委员会")
    Organisation.objects.bulk_create([Organisation(name=f"测试党支部{i}", kind=OrgKind.BRANCH, parent=parent,
                                                   sort_order=100 + i) for i in range(organisations)])
    scheme = scenario.make_scheme()
    with django_assert_max_num_queries(40):
        assert assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF) == 8 + organisations
