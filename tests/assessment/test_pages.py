"""Pages: scope (a secretary sees only their own sheet, only after 公示; another unit's is a 404), drill-downs,
exports, query caps."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from assessment.models import Result, Score
from assessment.services import assessment_compute, assessment_publish, score_set
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF


@pytest.fixture
def computed(scheme):
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    return scheme


def _publish(scheme):
    for score in Score.objects.filter(result__scheme=scheme, indicator__rule="manual"):
        score_set(score=score, actor=scenario.staff(), points=20, reason="资料齐全")
    assessment_publish(scheme=scheme, actor=scenario.staff(), today=datetime.date(2027, 1, 10))


def test_inspector_opens_ranking_sheet_drilldown_and_exports(client, computed, world, django_assert_max_num_queries):
    c = world["demo"].client_for(client, "chengang")
    with django_assert_max_num_queries(25):
        page = c.get("/assessment/2026/")
    assert page.status_code == 200 and "机关第一党支部" in page.content.decode()
    result = Result.objects.get(scheme=computed, organisation=world["branch"])
    with django_assert_max_num_queries(25):
        sheet = c.get(f"/assessment/results/{result.pk}/")
    assert sheet.status_code == 200 and "应报月报5，按时报送1，迟报或未报4" in sheet.content.decode()
    score = result.scores.get(indicator__name="月报按时报送")
    drill = c.get(f"/assessment/scores/{score.pk}/rows/?which=lost")
    assert drill.status_code == 200 and len(drill.context["rows"]) == 4
    wb = load_workbook(io.BytesIO(c.get("/assessment/2026/export/").content))
    ws = wb.active
    assert ws["A1"].value == "2026年度党支部考核方案考核结果汇总表"
    assert [ws.cell(3, col).value for col in (1, 2)] == ["序号", "单位"]
    names = [ws.cell(row, 2).value for row in range(4, 12)]
    ranked = list(Result.objects.filter(scheme=computed).order_by("rank", "organisation__sort_order")
                  .values_list("organisation__name", flat=True))
    assert names == ranked
    sheet_wb = load_workbook(io.BytesIO(c.get(f"/assessment/results/{result.pk}/export/").content))
    assert sheet_wb.active.cell(4, 2).value == "月报按时报送"
    assert c.get(f"/assessment/results/{result.pk}/print/").status_code == 200
    assert c.post("/assessment/2026/publish/").status_code == 403  # inspectors read, staff run the workflow


def test_secretary_sees_nothing_before_publication_then_only_own_sheet(client, computed, world):
    c = world["demo"].client_for(client, "zhengwei")
    own = Result.objects.get(scheme=computed, organisation=world["branch"])
    other = Result.objects.get(scheme=computed, organisation=world["enforce"])
    assert c.get(f"/assessment/results/{own.pk}/").status_code == 404
    assert c.get("/assessment/2026/").status_code == 404
    _publish(computed)
    assert c.get(f"/assessment/results/{own.pk}/").status_code == 200
    assert c.get(f"/assessment/results/{other.pk}/").status_code == 404
    other_score = other.scores.first()
    assert c.get(f"/assessment/scores/{other_score.pk}/rows/").status_code == 404
    page = c.get("/assessment/2026/")
    assert [r.organisation.name for r in page.context["results"]] == ["机关第一党支部"]
    assert c.post(f"/assessment/scores/{own.scores.first().pk}/", {"points": "1", "reason": "x"}).status_code == 403


def test_staff_scores_through_the_page_and_bad_input_changes_nothing(client, computed, world):
    c = world["demo"].client_for(client, "wumin")
    result = Result.objects.get(scheme=computed, organisation=world["branch"])
    score = result.scores.get(indicator__name="台账资料")
    response = c.post(f"/assessment/scores/{score.pk}/", {"points": "30", "reason": "太高"}, follow=True)
    assert "得分应在 0～25.00 分之间" in response.content.decode()
    assert Score.objects.get(pk=score.pk).entered is None
    c.post(f"/assessment/scores/{score.pk}/", {"points": "21.5", "reason": "记录规范"})
    assert str(Score.objects.get(pk=score.pk).points) == "21.50"
    assert c.get("/assessment/scores/999999/rows/").status_code == 404
    assert c.get("/assessment/results/abc/").status_code == 404


def test_vote_upload_page_imports_the_sample_and_refuses_a_bad_file(client, world, tmp_path):
    from openpyxl import Workbook

    from assessment.models import Vote
    from tests.samples import VOTES_FILE

    scheme = scenario.make_scheme()
    c = world["demo"].client_for(client, "wumin")
    with VOTES_FILE.open("rb") as handle:
        response = c.post(f"/assessment/{scheme.year}/votes/", {"file": handle}, follow=True)
    assert "已导入 8 个单位的测评票数" in response.content.decode()
    assert Vote.objects.get(organisation=world["branch"]).good == 30
    wb = Workbook()
    wb.active.append(["党支部", "参评人数", "好", "较好", "一般", "差"])
    wb.active.append(["机关第一党支部", 10, 10, 1, 0, 0])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with path.open("rb") as handle:
        response = c.post(f"/assessment/{scheme.year}/votes/", {"file": handle}, follow=True)
    assert "超过参评人数" in response.content.decode()
    assert Vote.objects.get(organisation=world["branch"]).voters == 42  # unchanged


def test_background_compute_queues_one_job_and_the_task_scores(world, django_capture_on_commit_callbacks,
                                                               monkeypatch):
    from django.core.exceptions import ValidationError

    from assessment import tasks
    from assessment.models import Scheme
    from ops import outbox

    scheme = scenario.make_scheme()
    queued = []
    # Queued through the outbox, which hands the task to the broker once the transaction commits.
    monkeypatch.setattr(outbox, "_publish", lambda name, args, kwargs, request_id: queued.append((name, *args)))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.compute_in_background(scheme=scheme, actor=scenario.staff())
    assert queued == [("assessment.compute", scheme.pk, scenario.staff().pk)]
    assert Scheme.objects.get(pk=scheme.pk).progress == 0
    with pytest.raises(ValidationError, match="计分已在进行中"):
        tasks.compute_in_background(scheme=scheme, actor=scenario.staff())
    assert tasks.compute_assessment(scheme.pk, scenario.staff().pk) == 8
    scheme.refresh_from_db()
    assert (scheme.status, scheme.progress) == ("computed", None)


def test_admin_refuses_indicators_that_do_not_add_up(client, world):
    c = world["demo"].client_for(client, "wumin")
    data = {
        "year": "2027", "title": "2027年度考核方案", "total_points": "100", "units_text": "各党支部",
        "objection_days": "5", "excellent_min": "90", "good_min": "80", "fair_min": "60", "excellent_share": "",
        "bonus_cap": "5", "weight_good": "100", "weight_fairly_good": "80", "weight_average": "60", "weight_poor": "0",
        "indicators-TOTAL_FORMS": "1", "indicators-INITIAL_FORMS": "0", "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-position": "1", "indicators-0-category": "A", "indicators-0-name": "评分",
        "indicators-0-points": "90", "indicators-0-rule": "manual",
        "votes-TOTAL_FORMS": "0", "votes-INITIAL_FORMS": "0", "votes-MIN_NUM_FORMS": "0", "votes-MAX_NUM_FORMS": "1000",
    }
    response = c.post("/admin/assessment/scheme/add/", data)
    assert response.status_code == 200 and "与方案总分 100.00 分不符" in response.content.decode()
    from assessment.models import Scheme

    assert not Scheme.objects.filter(year=2027).exists()
    data["indicators-0-points"] = "100"
    assert c.post("/admin/assessment/scheme/add/", data).status_code == 302
    assert Scheme.objects.get(year=2027).indicators.get().points == 100


def test_dashboard_shows_grade_distribution_and_ranking_in_scope(client, computed, world,
                                                               django_assert_max_num_queries):
    from assessment.models import Grade

    c = world["demo"].client_for(client, "chengang")
    with django_assert_max_num_queries(60):
        page = c.get("/dashboard/?year=2026&month=2")
    summary = page.context["assessment"]
    grades = list(Result.objects.filter(scheme=computed).values_list("grade", flat=True))
    assert summary["count"] == 8
    assert summary["distribution"] == [(Grade(g).label, grades.count(g)) for g in ("excellent", "good", "fair", "poor")]
    assert [r.rank for r in summary["top"]] == sorted(r.rank for r in summary["top"])
    c = world["demo"].client_for(client, "zhengwei")
    assert c.get("/dashboard/?year=2026&month=2").context["assessment"] is None  # not yet published
