"""Every monthly-report transition is in the audit log: actor, before → after status, comment."""
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from reports.models import MonthlyReport
from reports.services import (monthly_report_accept, monthly_report_reopen, monthly_report_return, monthly_report_submit,
                              monthly_reports_generate, report_line_reopen)
from tests.audit_helpers import transitions
from tests.reports.helpers import at, fresh, submit_complete

BRANCH = "机关第一党支部"


@pytest.fixture
def may(demo):
    with at(2022, 5, 1, 0, 30):
        monthly_reports_generate(year=2022, month=5)
    return MonthlyReport.objects.get(organisation=demo.org(BRANCH), year=2022, month=5)


def test_submit_return_resubmit_accept_each_leave_an_audit_entry_with_actor_states_and_comment(demo, may):
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    with at(2022, 6, 3):
        submit_complete(may, zhengwei)
        monthly_report_return(actor=wumin, report=fresh(may), reason="佐证不全")
        monthly_report_submit(actor=zhengwei, report=fresh(may))
    with at(2022, 6, 9):
        monthly_report_accept(actor=wumin, report=fresh(may), comment="同意")

    assert transitions(may) == [
        ("zhengwei", {"status": ["draft", "submitted"]}, ""),
        ("wumin", {"status": ["submitted", "returned"]}, "佐证不全"),
        ("zhengwei", {"status": ["returned", "submitted"]}, ""),
        ("wumin", {"status": ["submitted", "accepted"]}, "同意"),
    ]


def test_a_late_submission_records_the_delay_as_its_comment(demo, may):
    with at(2022, 6, 8):
        submit_complete(may, demo.user("zhengwei"))
    assert transitions(may) == [("zhengwei", {"status": ["draft", "submitted"]}, "逾期 3 天提交")]


def test_a_refused_transition_leaves_no_audit_entry(demo, may):
    before = LogEntry.objects.count()
    with at(2022, 6, 3), pytest.raises(ValidationError):
        monthly_report_accept(actor=demo.user("wumin"), report=fresh(may))  # still a draft
    assert LogEntry.objects.count() == before


def test_an_accepted_report_returned_after_a_look_back_is_audited(demo, may):
    with at(2022, 6, 3):
        submit_complete(may, demo.user("zhengwei"))
        monthly_report_accept(actor=demo.user("wumin"), report=fresh(may))
        line = fresh(may).lines.order_by("position", "id").first()
        report_line_reopen(actor=demo.user("chengang"), line=line, reason="回头看：会议记录不实")
    assert transitions(may)[-1] == ("chengang", {"status": ["accepted", "returned"]}, "回头看：会议记录不实")


def test_reopening_a_locked_report_is_audited_with_the_new_date_and_reason(demo, may, settings):
    settings.REPORT_LATE_ENTRY, settings.REPORT_LOCK_DAYS = "lock", 0
    with at(2022, 6, 6):
        monthly_report_reopen(actor=demo.user("wumin"), report=fresh(may), days=3, reason="系统故障，准予补报")
    assert transitions(may) == [("wumin", {"reopened_until": ["None", "2022-06-08"]}, "系统故障，准予补报")]
