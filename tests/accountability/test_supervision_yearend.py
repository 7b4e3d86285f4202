"""The year-end workbook's 督办交办, 约谈 and 问责 sheets and the summary draft's sentence, counted by hand
(supervision_scenario); 问责 only for a requester allowed to read it, and writing it out is logged."""
import io

import pytest
from openpyxl import load_workbook

from accountability.models import AccessLog
from tests.accountability import supervision_scenario as s
from yearend.scope import year_scope_for_system, year_scope_for_user
from yearend.supervision_sheet import supervision_paragraphs
from yearend.workbook import write_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(demo, on_demo_day):
    return s.build(demo)


def _book(ys):
    out = io.BytesIO()
    write_workbook(ys, out)
    return load_workbook(io.BytesIO(out.getvalue()))


def _data_rows(ws):
    return [row for row in ws.iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]


def test_inspector_workbook_has_the_three_sheets_counted_by_hand(story, demo):
    ys = year_scope_for_user(user=demo.user("chengang"), year=s.YEAR, root=None, today=s.TODAY)
    wb = _book(ys)
    assert wb.sheetnames[-3:] == ["督办交办", "约谈", "问责"]
    rows = _data_rows(wb["督办交办"])
    assert len(rows) == s.ALL["recipients"]
    assert sorted((r[4], r[7], r[10]) for r in rows) == [("办公室", "是", "是"), ("执法一支部", "否", "否"),
                                                         ("机关第一党支部", "是", "否")]
    assert "撤回的督办" not in {r[2] for r in rows}
    talks = _data_rows(wb["约谈"])
    assert [r[6] for r in talks] == [2, 1]
    assert sorted(r[4] for r in _data_rows(wb["问责"])) == ["第一种形态", "第二种形态"]
    assert AccessLog.objects.filter(user__username="chengang", action="export").count() == 1


def test_secretary_workbook_has_no_accountability_sheet_and_only_his_rows(story, demo):
    ys = year_scope_for_user(user=demo.user("tangliang"), year=s.YEAR, root=None, today=s.TODAY)
    wb = _book(ys)
    assert "问责" not in wb.sheetnames
    assert [r[4] for r in _data_rows(wb["督办交办"])] == ["执法一支部"]
    text = supervision_paragraphs(ys)[1][1]
    assert "问责" not in text
    assert not AccessLog.objects.filter(action="export").exists()


def test_summary_draft_cites_the_years_supervision_figures(story, demo):
    ys = year_scope_for_system(year=s.YEAR, root=None, today=s.TODAY)
    heading, body = supervision_paragraphs(ys)
    assert heading == ("subheading", "（监督执纪问责）")
    assert body[1].startswith("全年发出督办单1份、交办事项1件，承办单位3家次，按时签收2家次、按时反馈1家次，"
                              "截至2026年3月15日仍有1家次逾期未反馈；约谈3人次；问责1人、1个单位（第一种形态1起、第二种形态1起）。")


def test_a_year_without_supervision_adds_no_sheet_and_no_sentence(demo, on_demo_day):
    ys = year_scope_for_system(year=s.YEAR, root=None, today=s.TODAY)
    assert supervision_paragraphs(ys) == []
    assert not {"督办交办", "约谈", "问责"} & set(_book(ys).sheetnames)


def test_the_export_job_writes_the_sentence_into_the_draft(story, demo):
    from docx import Document

    from yearend.jobs import year_end_export_run
    from yearend.models import YearEndExport

    export = YearEndExport.objects.create(year=s.YEAR, requested_by=demo.user("chengang"))
    assert year_end_export_run(export_id=export.pk, today=s.TODAY)
    export.refresh_from_db()
    with export.draft.open("rb") as handle:
        text = "\n".join(p.text for p in Document(handle).paragraphs)
    assert "全年发出督办单1份" in text and "约谈3人次" in text and "问责1人" in text
