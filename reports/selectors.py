"""What users read about monthly reports, always through their scope."""
import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from branches.scope import scope_for
from responsibility.models import Assignment, Frequency

from .models import Evidence, MonthlyReport, ReportEvent, ReportLine, ReportStatus
from .services import reviewable_reports


def report_get(*, user, pk) -> MonthlyReport:
    try:
        return (MonthlyReport.objects.visible_to(user).select_related("organisation", "submitted_by", "reviewed_by")
                .get(pk=pk))
    except (MonthlyReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def report_lines(report: MonthlyReport) -> list[ReportLine]:
    return list(report.lines.select_related("assignment__item__responsibility_list", "assignment__person")
                .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
                .order_by("position", "id"))


def report_events(report: MonthlyReport) -> list[ReportEvent]:
    return list(report.events.select_related("actor").order_by("at", "id"))


def evidence_get(*, user, pk) -> Evidence:
    try:
        return Evidence.objects.select_related("line__report").get(
            pk=pk, line__report__in=MonthlyReport.objects.visible_to(user))
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pending_for(*, user, today: datetime.date):
    """本月待报: the open reports of the organisations the user runs, most urgent first, and what is coming."""
    scope = scope_for(user)
    reports = list(
        MonthlyReport.objects.filter(organisation__in=scope.led_org_ids)
        .exclude(status=ReportStatus.ACCEPTED)
        .select_related("organisation")
        .annotate(line_count=Count("lines"), filled=Count("lines", filter=~Q(lines__status="")))
        .order_by("due_on", "organisation__sort_order")
    )
    for report in reports:
        report.overdue = report.overdue_days(today)
    horizon = today + datetime.timedelta(days=62)
    upcoming = list(
        Assignment.objects.live().filter(
            organisation__in=scope.led_org_ids,
            item__frequency__in=[Frequency.ONCE, Frequency.YEARLY],
            item__final_due_on__gt=today, item__final_due_on__lte=horizon)
        .select_related("item", "organisation").order_by("item__final_due_on")
    )
    recent = list(
        MonthlyReport.objects.filter(organisation__in=scope.led_org_ids, status=ReportStatus.ACCEPTED)
        .select_related("organisation").order_by("-year", "-month")[:6]
    )
    return reports, upcoming, recent


def line_holders(reports) -> dict[str, int]:
    """"reports.reportline:<id>" → report id for every line of `reports` (for reviewers' hints), one query."""
    return {f"reports.reportline:{pk}": report_id for pk, report_id in
            ReportLine.objects.filter(report__in=[r.pk for r in reports]).values_list("pk", "report_id")}


def review_queue(*, user):
    reports = reviewable_reports(user)
    waiting = list(reports.filter(status=ReportStatus.SUBMITTED).select_related("organisation", "submitted_by")
                   .annotate(line_count=Count("lines")).order_by("submitted_at"))
    returned = list(reports.filter(status=ReportStatus.RETURNED).select_related("organisation", "reviewed_by")
                    .order_by("reviewed_at"))
    return waiting, returned


def latest_lines(assignments) -> dict[int, ReportLine]:
    """Each assignment's line in its most recent monthly report (two queries whatever the number): what 我的责任
    shows as the item's latest status."""
    ids = [a.pk for a in assignments]
    if not ids:
        return {}
    newest = (ReportLine.objects.filter(assignment=OuterRef("pk"))
              .order_by("-report__year", "-report__month", "-id").values("pk")[:1])
    line_ids = Assignment.objects.filter(pk__in=ids).annotate(line=Subquery(newest)).values("line")
    lines = ReportLine.objects.filter(pk__in=line_ids).select_related("report")
    return {line.assignment_id: line for line in lines}
