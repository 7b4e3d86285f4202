"""Each import page offers a blank .xlsx template (headers, an example row the reader skips, a sheet of allowed
values) that imports once filled in; the ledger export imports back unchanged."""
import io

import openpyxl
import pytest
from django.urls import reverse

from orglife.services import orglife_records_plan
from rectification.exports import export_ledger
from rectification.models import Measure
from rectification.selectors import ledger_rows
from rectification.services import rectification_ledger_import, rectification_ledger_plan
from responsibility.models import ListKind
from responsibility.services import responsibility_list_plan
from tests.samples import LEDGER_FILE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, demo, url, **params):
    demo.client_for(client, "wumin")
    response = client.get(reverse(url), params)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def filled(wb, *rows) -> io.BytesIO:
    ws = wb["导入模板"]
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def header(wb):
    ws = wb["导入模板"]
    return [ws.cell(2, c).value for c in range(1, ws.max_column + 1)]


def test_the_list_template_has_headers_an_example_and_allowed_values_and_imports_when_filled(demo, client):
    wb = download(client, demo, "responsibility:import_template")
    assert wb.sheetnames == ["导入模板", "可选值", "填写说明"]
    assert header(wb)[:3] == ["序号", "责任类别", "责任内容＊"] and "责任单位＊" in header(wb)
    assert wb["导入模板"].cell(3, 1).value == "例"
    allowed = wb["可选值"]
    assert allowed.cell(1, 1).value == "完成时限（示例写法）" and allowed.cell(2, 1).value == "每月"
    units = [allowed.cell(r, 2).value for r in range(2, allowed.max_row + 1)]
    assert "办公室" in units and "各党支部" in units
    empty = responsibility_list_plan(source=filled(wb), year=2022, file_name="模板.xlsx")
    assert [e.message for e in empty.errors] == ["表头下没有任何数据行"]  # the example row is not an item
    wb = download(client, demo, "responsibility:import_template")
    plan = responsibility_list_plan(source=filled(wb, [1, "一、政治建设", "学习", "", "", "办公室", "", "每月"]),
                                    year=2022, file_name="模板.xlsx")
    assert plan.errors == [] and [(i.content, i.unit_names) for i in plan.items] == [("学习", "办公室")]


def test_the_risk_list_template(demo, client):
    wb = download(client, demo, "responsibility:import_template", kind="risk")
    assert "风险点＊" in header(wb) and wb["可选值"].cell(1, 1).value == "风险等级"
    plan = responsibility_list_plan(source=filled(wb, [1, "办公室", "", "公务接待", "", "中"]), year=2022,
                                    kind=ListKind.RISK, file_name="模板.xlsx")
    assert plan.errors == [] and [(i.risk_point, i.risk_level) for i in plan.items] == [("公务接待", "medium")]


def test_the_ledger_template_imports_when_filled(demo, client):
    wb = download(client, demo, "rectification:import_template")
    assert "问题描述＊" in header(wb) and wb["可选值"].cell(1, 2).value == "是否销号"
    wb["导入模板"].cell(1, 1).value = "市委第一巡察组反馈问题整改台账"
    plan = rectification_ledger_plan(source=filled(wb, [1, "政治建设", "问题", "措施", "", "办公室", "", "2022年3月31日",
                                                        "", "", "正在整改", "否"]), file_name="模板.xlsx")
    assert plan.errors == [] and plan.source == "patrol" and len(plan.measures) == 1


def test_the_records_template_imports_when_filled(demo, client):
    wb = download(client, demo, "orglife:import_template")
    types = [c.value for c in wb["可选值"]["A"][1:]]
    assert "支部党员大会" in types and "单位＊" in header(wb)
    plan = orglife_records_plan(source=filled(wb, [1, "机关第一党支部", "支部委员会", "2025/3/3 14:30"]),
                                file_name="模板.xlsx")
    assert plan.errors == [] and len(plan.records) == 1


@pytest.mark.parametrize("url", ["responsibility:import_template", "rectification:import_template",
                                 "orglife:import_template"])
def test_only_staff_download_templates(demo, client, url):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse(url)).status_code == 403
    client.logout()
    assert client.get(reverse(url)).status_code == 302  # to the login page


def test_the_ledger_export_imports_back_unchanged(demo):
    wumin = demo.user("wumin")
    batch = rectification_ledger_import(actor=wumin, source=LEDGER_FILE, file_name="台账.xlsx")
    measures = Measure.objects.filter(problem__batch=batch).order_by("problem__position", "position")
    exported = export_ledger(ledger_rows(Measure.objects.visible_to(wumin).filter(problem__batch=batch)))
    plan = rectification_ledger_plan(source=io.BytesIO(exported), file_name="导出.xlsx", title="复核批次",
                                     source_kind="patrol")  # not the batch it came from: no duplicate
    assert plan.errors == [] and plan.feedback_on == batch.feedback_on
    assert [(p.seq, p.category, p.description) for p in plan.problems] == list(
        batch.problems.order_by("position").values_list("seq", "category", "description"))
    assert [(m.text, m.units_text, m.deadline.text, m.kind, m.due_on, m.state, m.leader_text, m.person_text,
             m.standard, sorted((o.pk, lead) for o, lead in m.units)) for m in plan.measures] == [
        (m.text, m.units_text, m.deadline_text, m.kind, m.due_on, m.state, m.leader_text, m.person_text, m.standard,
         sorted(m.units.values_list("organisation_id", "is_lead"))) for m in measures]
