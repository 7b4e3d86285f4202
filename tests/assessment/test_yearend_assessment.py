"""The year-end workbook's 考核结果 sheet and the summary draft's paragraph come from the same results."""
import datetime
import io

from openpyxl import load_workbook

from assessment.models import Result, Score
from assessment.services import assessment_compute, score_set
from tests.assessment import assessment_scenario as scenario
from tests.assessment.assessment_scenario import AS_OF
from yearend.assessment_sheet import assessment_paragraphs
from yearend.scope import year_scope_for_user
from yearend.workbook import write_workbook


def test_workbook_sheet_and_draft_paragraph(scheme, world):
    staff = scenario.staff()
    assessment_compute(scheme=scheme, actor=staff, as_of=AS_OF)
    for score in Score.objects.filter(result__scheme=scheme, indicator__rule="manual"):
        score_set(score=score, actor=staff, points=20, reason="资料齐全")
    ys = year_scope_for_user(user=staff, year=2026, root=None, today=datetime.date(2026, 12, 31))
    out = io.BytesIO()
    write_workbook(ys, out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["考核结果"]
    names = [row[1] for row in ws.iter_rows(min_row=4, values_only=True) if row[1]]
    ranked = list(Result.objects.filter(scheme=scheme).order_by("rank", "organisation__sort_order")
                  .values_list("organisation__name", "grade"))
    assert names == [name for name, _grade in ranked]
    text = assessment_paragraphs(ys)[1][1]
    assert "对8个单位开展年度考核（考核结果尚未公示）" in text
    fair = sum(1 for _name, grade in ranked if grade == "fair")
    assert f"一般{fair}个" in text


def test_secretary_workbook_has_no_assessment_before_publication(scheme, world):
    assessment_compute(scheme=scheme, actor=scenario.staff(), as_of=AS_OF)
    secretary = world["demo"].user("zhengwei")
    ys = year_scope_for_user(user=secretary, year=2026, root=None, today=datetime.date(2026, 12, 31))
    assert assessment_paragraphs(ys) == []
    out = io.BytesIO()
    write_workbook(ys, out)
    assert "考核结果" not in load_workbook(io.BytesIO(out.getvalue())).sheetnames
