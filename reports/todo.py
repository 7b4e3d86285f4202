"""Monthly reports in the to-do inbox (to fill, to resubmit, to review) and in the calendar feed (due dates)."""
from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import scope_for
from common.todo import Deadline, Todo

from .models import MonthlyReport, ReportStatus
from .services import reviewable_reports


def _name(report) -> str:
    return _("%(org)s %(year)s年%(month)s月完成情况报告") % {
        "org": report.organisation.name, "year": report.year, "month": report.month}


def _to_send(scope):
    """Drafts and returned reports of the organisations the user runs."""
    if not scope.led_org_ids:
        return MonthlyReport.objects.none()  # no query
    return MonthlyReport.objects.filter(organisation__in=scope.led_org_ids, organisation__is_active=True,
                                        status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))


def _to_review(user):
    return reviewable_reports(user).filter(status=ReportStatus.SUBMITTED)


def report_todos(user, today: datetime.date):
    mine = (_to_send(scope_for(user)).select_related("organisation")
            .annotate(lines_total=Count("lines"), lines_filled=Count("lines", filter=~Q(lines__status="")))
            .order_by("due_on", "organisation__sort_order"))
    for report in mine:
        link = reverse("reports:detail", args=[report.pk])
        late = report.overdue_days(today)
        if report.status == ReportStatus.RETURNED:
            yield Todo(_("被驳回待重新提交的月度报告"), _name(report), link, order=10, due_on=report.due_on,
                       overdue_days=late, note=report.return_reason or _("见各事项审核意见"))
        else:
            yield Todo(_("待填报的月度报告"), _name(report), link, order=11, due_on=report.due_on, overdue_days=late,
                       note=_("已填 %(filled)s/%(total)s 项") % {
                           "filled": report.lines_filled, "total": report.lines_total})
    queue = _to_review(user).select_related("organisation")
    for report in queue.order_by("submitted_at", "id"):
        yield Todo(_("待审核的月度报告"), _name(report), reverse("reports:detail", args=[report.pk]), order=12,
                   note=_("提交于 %(date)s") % {"date": f"{report.submitted_at:%Y-%m-%d}"} if report.submitted_at else "")


def report_todo_count(user, today: datetime.date) -> int:
    return _to_send(scope_for(user)).count() + _to_review(user).count()


def report_deadlines(user, start: datetime.date, end: datetime.date):
    """One event per month's due date: how many reports in the user's scope are still unsent."""
    months = (MonthlyReport.objects.visible_to(user).filter(due_on__gte=start, due_on__lte=end,
                                                            organisation__is_active=True)
              .values("year", "month", "due_on")
              .annotate(total=Count("pk"), unsent=Count("pk", filter=Q(submitted_at__isnull=True)))
              .order_by("due_on"))
    link = reverse("reports:pending")
    for row in months:
        title = f"{row['year']}年{row['month']}月完成情况报告截止"
        yield Deadline(f"report-{row['year']}-{row['month']:02d}", title, row["due_on"], link,
                       f"范围内 {row['total']} 份报告，尚未报送 {row['unsent']} 份。")
