"""In the browser: the 审计管理员 reads a report's review in the audit log, in Chinese, on a desktop and a phone."""
from playwright.sync_api import expect

from reports.models import MonthlyReport
from reports.services import monthly_report_accept, monthly_report_submit, monthly_reports_generate
from tests.reports.helpers import fill, make_list

from .conftest import PHONE


def test_audit_admin_reads_a_review_as_state_before_and_after(page, login, e2e_demo):
    make_list(actor=e2e_demo.user("wumin"), organisations=[e2e_demo.org("机关第一党支部")], count=1,
              prefix="审计测试事项")
    monthly_reports_generate(year=2022, month=5)
    report = MonthlyReport.objects.get(organisation=e2e_demo.org("机关第一党支部"), year=2022, month=5)
    fill(report, e2e_demo.user("zhengwei"))
    report = monthly_report_submit(actor=e2e_demo.user("zhengwei"), report=MonthlyReport.objects.get(pk=report.pk))
    monthly_report_accept(actor=e2e_demo.user("wumin"), report=report, comment="材料齐全")

    login("auditadmin")
    page.goto("/admin/auditlog/logentry/?kind=transition")
    row = page.locator("#result_list tbody tr").filter(has_text="审核通过").first
    expect(row).to_contain_text("状态：待审核 → 审核通过")
    expect(row).to_contain_text("材料齐全")
    expect(row).to_contain_text("流程办理")
    row.get_by_role("link").first.click()
    expect(page.locator("body")).to_contain_text("修改前")
    expect(page.locator("a.deletelink, input[name=_save]")).to_have_count(0)  # read-only: no delete, no save

    page.set_viewport_size(PHONE)
    page.goto("/admin/auditlog/logentry/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
