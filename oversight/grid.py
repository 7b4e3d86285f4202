"""The year grid: organisation × month, each cell a report's state, as the dashboards and their export show it."""
import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organisation
from branches.scope import scope_for
from reports.models import EDITABLE, MonthlyReport, ReportStatus


STATE_CLASS = {
    ReportStatus.ACCEPTED: "tag-green", ReportStatus.SUBMITTED: "tag-blue", ReportStatus.RETURNED: "tag-red",
    ReportStatus.DRAFT: "tag-yellow",
}


def year_grid(*, user, year: int, today: datetime.date, org_ids=None):
    """Organisation × month: each cell the report's state as text (and class), with overdue or late days."""
    reports = MonthlyReport.objects.visible_to(user).filter(year=year)
    if org_ids is not None:
        reports = reports.filter(organisation__in=org_ids)
    reports = reports.values_list(
        "pk", "organisation_id", "month", "status", "days_late", "due_on", "submitted_at")
    cells: dict[int, dict[int, dict]] = {}
    report_link = reverse("reports:detail", args=[999999999]).replace("999999999", "{}").format
    labels = {status: str(label) for status, label in ReportStatus.choices}
    for pk, org_id, month, status, days_late, due_on, submitted_at in reports:
        late = max(0, (today - due_on).days) if status in EDITABLE else days_late  # a returned report is open again
        label = labels[status]
        if status in EDITABLE and today > due_on:
            label = _("%(label)s（逾期%(n)s天）") % {"label": label, "n": late}
        elif submitted_at and days_late:
            label = _("%(label)s（迟报%(n)s天）") % {"label": label, "n": days_late}
        cells.setdefault(org_id, {})[month] = {"pk": pk, "href": report_link(pk), "status": status, "label": label,
                                               "css": STATE_CLASS[status], "late": late}
    orgs = list(scope_for(user).filter_organisations(Organisation.objects.filter(pk__in=cells))
                .only("pk", "name", "short_name", "sort_order").order_by("sort_order", "pk"))
    rows = [(org, [cells[org.pk].get(m) for m in range(1, 13)]) for org in orgs]
    return rows
