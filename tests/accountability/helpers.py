"""Helpers for the 问责 tests."""
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accountability.instructions import instruction_issue
from accountability.models import InstructionKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="evidence.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def issue(demo, username, org_names, *, kind=InstructionKind.SUPERVISE, due_on=None, ack_days=2, title="督办事项",
          source=None, files=()):
    return instruction_issue(
        actor=demo.user(username), kind=kind, title=title, requirement="请按要求办理并反馈。",
        organisations=[demo.org(n) for n in org_names], due_on=due_on or demo.today + datetime.timedelta(days=10),
        ack_days=ack_days, source=source, files=files)


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def seed_overdue_measure(demo):
    """One rectification measure of 办公室 due a week before the demo day, in progress."""
    from rectification.models import Batch, Measure, MeasureUnit, Problem

    batch = Batch.objects.create(source="patrol", title="市委巡察反馈问题整改", feedback_on=datetime.date(2026, 1, 5))
    problem = Problem.objects.create(batch=batch, position=1, description="落实主体责任不到位")
    measure = Measure.objects.create(problem=problem, position=1, text="建立党建工作责任清单并逐月报告",
                                     due_on=demo.today - datetime.timedelta(days=7), state="in_progress")
    MeasureUnit.objects.create(measure=measure, organisation=demo.org("办公室"))
    return measure


def accepted_report(demo, org_name, year, month, text="已召开支部委员会会议，传达学习上级精神并研究部署本月党建工作。"):
    """An accepted report of `org_name` with one done line, built directly (the list import is not needed)."""
    from reports.models import MonthlyReport, ReportLine, report_due_on
    from responsibility.models import Assignment, Item, ResponsibilityList

    rlist, _ = ResponsibilityList.objects.get_or_create(year=year, kind="main", defaults={"title": f"{year}年清单"})
    item = Item.objects.create(responsibility_list=rlist, position=Item.objects.filter(
        responsibility_list=rlist).count() + 1, content="每月召开支部委员会会议", frequency="monthly")
    org = demo.org(org_name)
    assignment = Assignment.objects.create(item=item, organisation=org)
    report = MonthlyReport.objects.create(organisation=org, year=year, month=month, due_on=report_due_on(year, month))
    ReportLine.objects.create(report=report, assignment=assignment, position=1, status="done", done_text=text)
    MonthlyReport.objects.filter(pk=report.pk).update(status="accepted")
    return report
