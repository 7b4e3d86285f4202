"""The rule 督办交办按时签收和反馈: each organisation's part in the year's 督办/交办 due by the date scored, over the
assessed unit's subtree, good when acknowledged by its date and first answered by the deadline; the drill-down
lists the same rows. Figures counted by hand in tests/accountability/supervision_scenario.py:

- 机关第一党支部 (covers 办公室, 人事科): S1→办公室 due 03-10, 签收 03-02 (by 03-03), 反馈 03-09: on time.
  A1→机关第一党支部 due 03-20, 签收 on time, no 反馈: counted only once 03-20 has passed. S2→人事科 withdrawn.
- 执法一支部: S1 签收 03-05 (due 03-03), no 反馈: 1 counted, 0 on time."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import selectors
from assessment.models import Rule, Score
from assessment.services import assessment_compute
from tests.accountability import supervision_scenario as story
from tests.assessment import assessment_scenario as scenario

pytestmark = pytest.mark.django_db

INDICATORS = [
    ("落实主体责任", "督办按时签收反馈", 10, Rule.INSTRUCTIONS_ON_TIME, None, ""),
    ("作风纪律", "督办扣分", 10, Rule.INSTRUCTIONS_ON_TIME, Decimal("3"), ""),
    ("组织建设", "台账资料", 80, Rule.MANUAL, None, ""),
]


@pytest.fixture
def built(demo, on_demo_day):
    story.build(demo)
    return scenario.make_scheme(indicators=INDICATORS)


def _scores(scheme, org):
    return {s.indicator.name: s for s in Score.objects.filter(result__scheme=scheme, result__organisation=org)
            .select_related("indicator", "result__scheme")}


def test_points_follow_the_hand_count_on_the_15th(built, demo):
    assessment_compute(scheme=built, actor=scenario.staff(), as_of=story.TODAY)
    first, branch = _scores(built, demo.org("机关第一党支部")), _scores(built, demo.org("执法一支部"))
    assert (first["督办按时签收反馈"].figure["total"], first["督办按时签收反馈"].figure["good"]) == (1, 1)
    assert first["督办按时签收反馈"].points == Decimal("10.00")
    assert (branch["督办按时签收反馈"].figure["total"], branch["督办按时签收反馈"].figure["good"]) == (1, 0)
    assert branch["督办按时签收反馈"].points == Decimal("0.00")
    assert branch["督办扣分"].points == Decimal("7.00")  # 10 − 3 × 1
    assert _scores(built, demo.org("机关第二党支部"))["督办按时签收反馈"].figure["total"] == 0


def test_an_unanswered_instruction_counts_once_its_deadline_has_passed(built, demo):
    assessment_compute(scheme=built, actor=scenario.staff(), as_of=datetime.date(2026, 3, 31))
    first = _scores(built, demo.org("机关第一党支部"))
    assert (first["督办按时签收反馈"].figure["total"], first["督办按时签收反馈"].figure["good"]) == (2, 1)
    assert first["督办按时签收反馈"].points == Decimal("5.00")
    assert first["督办扣分"].points == Decimal("7.00")


def test_drill_down_lists_exactly_the_rows_counted(built, demo):
    assessment_compute(scheme=built, actor=scenario.staff(), as_of=datetime.date(2026, 3, 31))
    score = _scores(built, demo.org("机关第一党支部"))["督办按时签收反馈"]
    counted = selectors.drill_rows(score, bad_only=False)
    assert sorted(r.organisation.name for r in counted) == ["办公室", "机关第一党支部"]
    assert [r.instruction.title for r in selectors.drill_rows(score, bad_only=True)] == ["开展主题党日并报送"]


def test_score_sheet_explains_the_figure_and_the_drill_page_shows_the_rows(built, demo, client):
    assessment_compute(scheme=built, actor=scenario.staff(), as_of=story.TODAY)
    score = _scores(built, demo.org("执法一支部"))["督办按时签收反馈"]
    assert selectors.explain(score.indicator, score.figure) == \
        "到期督办交办（承办家次）1，按时签收并按时反馈0，未按时签收或反馈1"
    demo.client_for(client, "chengang")
    text = client.get(reverse("assessment:rows", args=[score.pk]), {"which": "lost"}).content.decode()
    assert "督办〔2026〕1号" in text and "未按时签收" in text and "共 1 条" in text
