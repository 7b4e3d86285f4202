"""The sample 巡察反馈问题整改台账 imports into the demo agency exactly, by the service, the command and the staff page."""
import datetime
import io
from collections import Counter
from io import StringIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from branches.models import OrgKind
from rectification.exports import export_ledger
from rectification.importers import plan_ledger
from rectification.models import (Batch, EventKind, Measure, MeasureEvent, MeasureKind, MeasureState,
                                  MeasureStatus, MeasureUnit, Problem, Source)
from rectification.selectors import ledger_rows
from tests.rectification.conftest import sample_ledger

BEFORE_DEADLINES = datetime.date(2022, 3, 1)  # after the feedback, before any open measure's deadline
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def counts():
    return tuple(m.objects.count() for m in (Batch, Problem, Measure, MeasureUnit, MeasureEvent))


def test_sample_ledger_imports_exactly(ledger):
    assert ledger.title == "市委第三巡察组反馈问题整改台账"
    assert ledger.source == Source.PATROL and ledger.issuing_body == "市委第三巡察组"
    assert ledger.feedback_on == datetime.date(2022, 1, 10)
    assert ledger.report_due_on == datetime.date(2022, 3, 10)  # two months after the feedback
    assert ledger.created_by.username == "wumin"
    problems = list(ledger.problems.order_by("position"))
    assert len(problems) == 8
    assert [p.measures.count() for p in problems] == [2, 2, 3, 2, 2, 2, 1, 2]
    measures = Measure.objects.filter(problem__batch=ledger)
    assert measures.count() == 16
    assert Counter(m.done_text for m in measures.with_status(BEFORE_DEADLINES)) == {
        "已完成": 7, "正在整改": 7, "长期坚持": 2}
    assert Counter(m.struck_text for m in measures) == {"是": 6, "否": 10}


def test_sample_statuses_before_the_deadlines(ledger):
    statuses = Counter(Measure.objects.with_status(BEFORE_DEADLINES).values_list("status", flat=True))
    assert statuses == {MeasureStatus.CLOSED: 6, MeasureStatus.AWAITING_REVIEW: 1, MeasureStatus.LONG_TERM: 2,
                        MeasureStatus.IN_PROGRESS: 7}


def test_on_demo_day_every_unfinished_dated_measure_is_overdue(ledger):
    today = datetime.date(2026, 3, 15)
    statuses = Counter(Measure.objects.with_status(today).values_list("status", flat=True))
    # The seven measures still 正在整改 all had 2022 deadlines; awaiting review and long-term are never overdue.
    assert statuses == {MeasureStatus.CLOSED: 6, MeasureStatus.AWAITING_REVIEW: 1, MeasureStatus.LONG_TERM: 2,
                        MeasureStatus.OVERDUE: 7}
    overdue = Measure.objects.with_status(today).filter(status=MeasureStatus.OVERDUE)
    assert sorted(m.due_on.isoformat() for m in overdue) == [
        "2022-03-31", "2022-05-31", "2022-06-30", "2022-06-30", "2022-06-30", "2022-07-31", "2022-12-31"]


def test_struck_off_measures_record_the_importer(ledger, demo):
    closed = Measure.objects.filter(state=MeasureState.CLOSED)
    assert closed.count() == 6
    assert set(closed.values_list("closed_by__username", flat=True)) == {"wumin"}
    assert MeasureEvent.objects.filter(kind=EventKind.STRUCK_OFF, actor=demo.user("wumin")).count() == 6
    assert MeasureEvent.objects.filter(kind=EventKind.IMPORTED).count() == 16
    awaiting = Measure.objects.get(state=MeasureState.AWAITING_REVIEW)
    assert awaiting.text == "全面清理2021年公务接待费用" and awaiting.closed_by is None


def test_deadlines_kinds_and_dates(ledger):
    measures = Measure.objects.all()
    assert Counter(measures.values_list("kind", flat=True)) == {
        MeasureKind.DEADLINE: 12, MeasureKind.IMMEDIATE: 2, MeasureKind.LONG_TERM: 2}
    assert measures.filter(due_on__isnull=False).count() == 12
    assert not measures.filter(kind__in=[MeasureKind.IMMEDIATE, MeasureKind.LONG_TERM], due_on__isnull=False).exists()
    first = measures.get(text="修订党组会议议事规则，明确第一议题学习及贯彻措施")
    assert (first.deadline_text, first.due_on) == ("2022年3月31日", datetime.date(2022, 3, 31))


def test_people_departments_and_problem_cells(ledger, demo):
    branches = Measure.objects.get(text="各支部制定组织生活年度计划")
    units = list(branches.units.select_related("organisation"))
    assert len(units) == 8 and {u.organisation.kind for u in units} == {OrgKind.BRANCH}
    assert all(u.is_lead for u in units) and branches.person is None and branches.units_text == "各党支部"
    assert "市商务综合行政执法支队党总支" not in {u.organisation.name for u in units}
    first = Measure.objects.get(text="修订党组会议议事规则，明确第一议题学习及贯彻措施")
    assert (first.leader.name, first.person.name) == ("张建国", "郑伟")
    assert [u.organisation for u in first.units.all()] == [demo.org("办公室")]
    problem = Problem.objects.get(seq="3")
    assert problem.category == "全面从严治党方面" and problem.description.startswith("主体责任压力传导层层递减")
    assert problem.measures.count() == 3


def test_dry_run_plan_writes_nothing(demo):
    before = counts()
    plan = plan_ledger(sample_ledger())
    assert plan.ok and len(plan.problems) == 8 and len(plan.measures) == 16
    assert dict(plan.by_done) == {"已完成": 7, "正在整改": 7, "长期坚持": 2}
    assert dict(plan.by_struck) == {"是": 6, "否": 10}
    assert dict(plan.by_state) == {"已销号": 6, "待审核": 1, "长期坚持": 2, "整改中": 7}
    assert dict(plan.by_kind) == {"限期整改": 12, "立行立改": 2, "长期坚持": 2}
    assert counts() == before


def test_command_dry_run_then_import(demo):
    out, err = StringIO(), StringIO()
    call_command("import_rectification_ledger", str(sample_ledger()), "--dry-run", stdout=out, stderr=err)
    assert "问题 8 个，整改措施 16 项" in out.getvalue() and "试运行" in out.getvalue() and err.getvalue() == ""
    assert Batch.objects.count() == 0
    out = StringIO()
    call_command("import_rectification_ledger", str(sample_ledger()), "--batch-title", "市委第三巡察组反馈意见",
                 "--source", "巡察反馈", stdout=out)
    batch = Batch.objects.get()
    assert batch.title == "市委第三巡察组反馈意见" and batch.source == Source.PATROL
    assert "8 个问题，16 项整改措施" in out.getvalue()
    assert Measure.objects.count() == 16


def test_staff_page_upload_preview_confirm(demo, client):
    demo.client_for(client, "wumin")
    before = counts()
    preview = client.post(reverse("rectification:import"), {
        "title": "", "source": "",
        "file": SimpleUploadedFile("巡察整改台账.xlsx", sample_ledger().read_bytes(), content_type=XLSX)})
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.ok and len(plan.problems) == 8 and len(plan.measures) == 16
    assert counts() == before
    text = preview.content.decode()
    assert "确认导入" in text and "市委第三巡察组反馈问题整改台账" in text

    done = client.post(reverse("rectification:import_confirm"),
                       {"token": preview.context["token"], "title": "", "source": ""})
    batch = Batch.objects.get()
    assert done.status_code == 302 and done.url == reverse("rectification:ledger") + f"?batch={batch.pk}"
    assert batch.source_file == "巡察整改台账.xlsx" and Measure.objects.count() == 16

    again = client.post(reverse("rectification:import"), {
        "file": SimpleUploadedFile("again.xlsx", sample_ledger().read_bytes(), content_type=XLSX)})
    assert "已有整改批次" in str(again.context["plan"].errors[0]) and 'name="token"' not in again.content.decode()


def test_import_page_is_for_staff_only(demo, client):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("rectification:import")).status_code == 403
    assert client.post(reverse("rectification:import_confirm"), {"token": "0" * 32}).status_code == 403


def test_export_is_the_ledger_layout_and_reimports(ledger, demo):
    rows = ledger_rows(Measure.objects.visible_to(demo.user("chengang")).with_status(BEFORE_DEADLINES))
    data = export_ledger(rows)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.cell(1, 1).value == "市委第三巡察组反馈问题整改台账"
    assert [ws.cell(3, c).value for c in range(1, 13)] == [
        "序号", "问题类别", "问题描述", "整改措施", "责任领导", "责任部门", "责任人", "整改时限", "整改完成标准",
        "整改进展", "是否完成整改", "是否销号"]
    assert ws.freeze_panes == "A4" and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:C5", "C8:C10"} <= merged  # problem cells span their measures
    plan = plan_ledger(data)  # the export reads back as the same ledger
    assert plan.title == ledger.title and plan.feedback_on == ledger.feedback_on
    assert (len(plan.problems), len(plan.measures)) == (8, 16)
    assert dict(plan.by_state) == {"已销号": 6, "待审核": 1, "长期坚持": 2, "整改中": 7}


def test_export_writes_formula_like_text_as_text(ledger, demo):
    Measure.objects.filter(text="严格执行公务接待审批单制度").update(progress_text="=HYPERLINK(\"http://x\")")
    rows = ledger_rows(Measure.objects.all().with_status(BEFORE_DEADLINES))
    ws = openpyxl.load_workbook(io.BytesIO(export_ledger(rows))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert len(cells) == 1 and cells[0].data_type == "s"
