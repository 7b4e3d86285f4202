"""The late-entry setting: by default a late report is still accepted (and recorded late); under "lock" a report
never sent in closes REPORT_LOCK_DAYS after its deadline until a reviewer reopens it (recorded)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.models import MonthlyReport, ReportEvent
from reports.services import monthly_report_reopen, monthly_report_submit, monthly_reports_generate
from tests.reports.helpers import at, fill, fresh, submit_complete

BRANCH = "机关第一党支部"


@pytest.fixture
def may(demo):
    """Due 2022-06-05."""
    with at(2022, 5, 1, 0, 30):
        monthly_reports_generate(year=2022, month=5)
    return MonthlyReport.objects.get(organisation=demo.org(BRANCH), year=2022, month=5)


def test_by_default_a_late_report_is_accepted_and_recorded_late(demo, may):
    with at(2022, 7, 1):
        report = submit_complete(may, demo.user("zhengwei"))
    assert (report.status, report.days_late) == ("submitted", 26)


def test_locked_entry_refuses_saving_until_a_reviewer_reopens(demo, may, settings, client):
    settings.REPORT_LATE_ENTRY, settings.REPORT_LOCK_DAYS = "lock", 10
    secretary, staff = demo.user("zhengwei"), demo.user("wumin")
    with at(2022, 6, 15):  # the 10th day after the deadline: still open
        fill(may, secretary)
    with at(2022, 6, 16):
        with pytest.raises(ValidationError, match="填报已锁定"):
            fill(may, secretary)
        with pytest.raises(ValidationError, match="填报已锁定"):
            monthly_report_submit(actor=secretary, report=fresh(may))
        with pytest.raises(PermissionDenied):
            monthly_report_reopen(actor=secretary, report=fresh(may), days=3, reason="补报")
        with pytest.raises(ValidationError, match="原因"):
            monthly_report_reopen(actor=staff, report=fresh(may), days=3, reason=" ")
        page = demo.client_for(client, "wumin").get(f"/reports/{may.pk}/")
        assert page.context["locked"] and page.context["can_reopen"]
        client.post(f"/reports/{may.pk}/reopen/", {"days": "3", "reason": "系统故障，准予补报"})
        assert fresh(may).reopened_until.isoformat() == "2022-06-18"
        event = ReportEvent.objects.filter(report=may, action="reopened").get()
        assert event.actor == staff and "系统故障" in event.comment
        report = submit_complete(may, secretary)
    assert (report.status, report.days_late) == ("submitted", 11)  # still recorded as late


def test_reopening_lapses_after_its_days(demo, may, settings):
    settings.REPORT_LATE_ENTRY, settings.REPORT_LOCK_DAYS = "lock", 0
    with at(2022, 6, 6):
        monthly_report_reopen(actor=demo.user("wumin"), report=fresh(may), days=1, reason="补报")
        fill(may, demo.user("zhengwei"))
    with at(2022, 6, 7), pytest.raises(ValidationError, match="填报已锁定"):
        fill(may, demo.user("zhengwei"))
