"""A year of activity for the demo agency: the sample lists and ledger (their dates moved to the current year),
published, with monthly reports in the states a real year leaves — most accepted on time, some late, one
returned, one awaiting review, the current month open — so every page and reminder has something to show."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from rectification.models import Batch
from rectification.services import rectification_ledger_import
from reports.models import LineStatus, MonthlyReport, ReportEvent, ReportLine, ReportStatus
from reports.services import monthly_reports_generate
from responsibility.models import ListKind, ResponsibilityList
from responsibility.services import responsibility_list_import, responsibility_list_publish

FILES = Path(__file__).resolve().parent / "files"
SAMPLE_YEAR = "2022"


def moved_to(name: str, year: int) -> io.BytesIO:
    """The sample workbook with every 2022 in its text and dates read as `year`."""
    wb = load_workbook(FILES / name)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and SAMPLE_YEAR in cell.value:
                    cell.value = cell.value.replace(SAMPLE_YEAR, str(year))
                elif isinstance(cell.value, datetime.datetime | datetime.date) and cell.value.year == int(SAMPLE_YEAR):
                    cell.value = cell.value.replace(year=year)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _history(report: MonthlyReport, index: int, reviewer, today: datetime.date) -> None:
    """Give a past month's report the state a real year leaves; the pattern is fixed so reruns agree."""
    lines = list(report.lines.all())
    for n, line in enumerate(lines):
        line.status = LineStatus.DONE if n % 5 else LineStatus.IN_PROGRESS
        line.done_text = "已按清单要求完成，相关记录已归档。" if line.status == LineStatus.DONE else ""
        line.next_steps = "" if line.status == LineStatus.DONE else "下月继续推进。"
    ReportLine.objects.bulk_update(lines, ["status", "done_text", "next_steps"])
    late = 3 if index % 7 == 3 else 0
    submitted = _at(report.due_on + datetime.timedelta(days=late) - datetime.timedelta(days=0 if late else 2), 10)
    secretary = report.organisation.posts.filter(kind__in=["secretary", "department_head", "head"]).first()
    actor = secretary.person.user if secretary and secretary.person.user else None
    if submitted.date() > today:
        return
    state = ReportStatus.ACCEPTED
    if index % 11 == 5:
        state = ReportStatus.RETURNED
    elif index % 13 == 7 and report.due_on >= today - datetime.timedelta(days=40):
        state = ReportStatus.SUBMITTED
    reviewed = submitted + datetime.timedelta(days=1)
    MonthlyReport.objects.filter(pk=report.pk).update(
        status=state, submitted_at=submitted, submitted_by=actor, days_late=late,
        reviewed_at=None if state == ReportStatus.SUBMITTED else reviewed,
        reviewed_by=None if state == ReportStatus.SUBMITTED else reviewer,
        return_reason="请补充佐证材料（会议记录、照片）。" if state == ReportStatus.RETURNED else "")
    events = [ReportEvent(report=report, action=ReportEvent.Action.SUBMITTED, actor=actor, at=submitted,
                          comment=f"逾期 {late} 天提交" if late else "")]
    if state == ReportStatus.ACCEPTED:
        events.append(ReportEvent(report=report, action=ReportEvent.Action.ACCEPTED, actor=reviewer, at=reviewed))
    elif state == ReportStatus.RETURNED:
        events.append(ReportEvent(report=report, action=ReportEvent.Action.RETURNED, actor=reviewer, at=reviewed,
                                  comment="请补充佐证材料（会议记录、照片）。"))
    ReportEvent.objects.bulk_create(events)


@transaction.atomic
def seed_demo_activity(*, today: datetime.date) -> dict[str, int]:
    """Create the year's lists, ledger and reports once; a second run finds them and changes nothing."""
    year = today.year
    staff = get_user_model().objects.get(username="wumin")
    if not ResponsibilityList.objects.filter(year=year, kind=ListKind.MAIN).exists():
        main = responsibility_list_import(actor=staff, source=moved_to("responsibility_list_2022.xlsx", year),
                                          year=year, file_name=f"{year}年党组主体责任清单.xlsx")
        responsibility_list_publish(actor=staff, rlist=main)
    if not ResponsibilityList.objects.filter(year=year, kind=ListKind.RISK).exists():
        risk = responsibility_list_import(actor=staff, source=moved_to("risk_list_2022.xlsx", year), year=year,
                                          kind=ListKind.RISK, file_name=f"{year}年科室廉政风险防控清单.xlsx")
        responsibility_list_publish(actor=staff, rlist=risk)
    if not Batch.objects.filter(feedback_on__year=year).exists():
        rectification_ledger_import(actor=staff, source=moved_to("rectification_ledger_2022.xlsx", year),
                                    file_name=f"{year}年巡察反馈问题整改台账.xlsx")
    if not MonthlyReport.objects.filter(year=year).exists():
        reviewer = staff
        for month in range(1, today.month + 1):
            monthly_reports_generate(year=year, month=month)
        past = MonthlyReport.objects.filter(year=year, due_on__lt=today).select_related("organisation")
        for index, report in enumerate(past.order_by("month", "organisation__sort_order")):
            if index % 17 == 9:
                continue  # never submitted: overdue
            _history(report, index, reviewer, today)
    return {
        "责任清单": ResponsibilityList.objects.filter(year=year).count(),
        "月度报告": MonthlyReport.objects.filter(year=year).count(),
        "整改批次": Batch.objects.filter(feedback_on__year=year).count(),
    }
