"""In the browser: a returned report reaches the secretary's to-do inbox, header count and notification centre; the
reviewer's inbox lists what waits for review; no main page overflows sideways on a 390 px phone."""
import pytest
from playwright.sync_api import expect

from reports.models import MonthlyReport
from reports.services import monthly_report_submit, monthly_reports_generate
from tests.reports.helpers import fill, make_list

from .conftest import PHONE, TIMEOUT_MS


@pytest.fixture
def submitted(e2e_demo):
    """机关第一党支部's May 2022 report, filled in and submitted by 郑伟 (committed for the live server)."""
    make_list(actor=e2e_demo.user("wumin"), organisations=[e2e_demo.org("机关第一党支部")], count=2,
              prefix="浏览器测试事项")
    monthly_reports_generate(year=2022, month=5)
    report = MonthlyReport.objects.get(organisation=e2e_demo.org("机关第一党支部"), year=2022, month=5)
    fill(report, e2e_demo.user("zhengwei"))
    return monthly_report_submit(actor=e2e_demo.user("zhengwei"), report=MonthlyReport.objects.get(pk=report.pk))


def inbox_rows(page):
    return page.get_by_test_id("todo").get_by_test_id("todo-item")


def test_a_returned_report_reaches_the_secretarys_inbox_and_notifications(page, login, submitted, browser,
                                                                          live_server):
    title = "机关第一党支部 2022年5月完成情况报告"
    login("wumin")
    todo = page.get_by_test_id("todo")
    expect(todo.get_by_test_id("todo-group").filter(has_text=title)).to_have_count(1)
    expect(page.get_by_test_id("todo-count")).to_have_text(str(inbox_rows(page).count()))
    todo.get_by_role("link", name=title).click()
    page.get_by_label("驳回原因").fill("请补充会议记录")
    page.get_by_role("button", name="驳回").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("驳回")

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    secretary = context.new_page()
    secretary.goto("/accounts/login/")
    secretary.fill("#id_username", "zhengwei")
    secretary.fill("#id_password", "demo1234")
    secretary.get_by_role("button", name="登录").click()
    secretary.wait_for_url(lambda url: "/accounts/login/" not in url)
    returned = secretary.get_by_test_id("todo-group").filter(has_text="请补充会议记录")
    expect(returned.get_by_role("link", name=title)).to_be_visible()
    rows = secretary.get_by_test_id("todo").get_by_test_id("todo-item").count()
    expect(secretary.get_by_test_id("todo-total")).to_have_text(str(rows))
    expect(secretary.get_by_test_id("todo-count")).to_have_text(str(rows))
    expect(secretary.get_by_test_id("unread-count")).to_be_visible()

    secretary.get_by_test_id("notifications").click()
    notice = secretary.get_by_test_id("notification").filter(has_text="2022年5月完成情况报告被驳回")
    expect(notice).to_contain_text("驳回原因：请补充会议记录")
    notice.get_by_role("link").click()
    expect(secretary).to_have_url(f"{live_server.url}/reports/{submitted.pk}/")
    secretary.goto("/notifications/?state=unread&kind=report")
    expect(secretary.get_by_test_id("notification").filter(has_text="被驳回")).to_have_count(0)
    context.close()


MAIN_PAGES = ["/", "/todo/", "/notifications/", "/reports/", "/my/", "/lists/", "/rectification/", "/orglife/",
              "/dashboard/", "/orgs/", "/search/?q=支部", "/notifications/calendar/"]


@pytest.mark.parametrize("username", ["zhengwei", "chengang"])
def test_no_main_page_overflows_sideways_on_a_phone(page, login, e2e_demo, username):
    page.set_viewport_size(PHONE)
    login(username)
    wide = []
    for path in MAIN_PAGES:
        response = page.goto(path)
        assert response.status < 400, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append((path, width))
    assert wide == []
