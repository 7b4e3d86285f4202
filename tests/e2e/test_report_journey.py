"""The monthly report journey in a browser: 郑伟 fills in and submits 机关第一党支部's May 2022 report with a file,
吴敏 (党建办) returns it, 郑伟 fixes and resubmits, 吴敏 accepts."""
import re

import pytest
from playwright.sync_api import expect

from reports.models import Evidence, MonthlyReport, ReportStatus
from reports.services import monthly_reports_generate
from responsibility.services import responsibility_list_import, responsibility_list_publish
from tests.responsibility.conftest import sample

from .conftest import DESKTOP, RESULTS_DIR, TIMEOUT_MS

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def may_report(e2e_demo, settings, tmp_path):
    """The sample list published and May 2022's reports generated, committed for the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    wumin = e2e_demo.user("wumin")
    with sample("responsibility_list_2022.xlsx").open("rb") as handle:
        rlist = responsibility_list_import(actor=wumin, source=handle, year=2022,
                                           file_name="responsibility_list_2022.xlsx")
    responsibility_list_publish(actor=wumin, rlist=rlist)
    monthly_reports_generate(year=2022, month=5)
    return MonthlyReport.objects.get(organisation=e2e_demo.org("机关第一党支部"), year=2022, month=5)


@pytest.fixture
def reviewer_page(browser, live_server):
    """A second browser context (own cookies) for the reviewer, logged in as 吴敏."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "wumin")
    page.fill("#id_password", "demo1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield page
    context.close()


def status_tag(page):
    return page.get_by_test_id("report-status").locator(".tag").first


def test_secretary_and_reviewer_take_a_report_through_return_and_acceptance(page, login, may_report, tmp_path,
                                                                           reviewer_page, live_server):
    evidence_file = tmp_path / "三会一课会议记录.pdf"
    evidence_file.write_bytes(PDF)

    # 郑伟 finds the report on 本月待报 and fills in every line.
    login("zhengwei")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="本月待报").click()
    pending = page.get_by_test_id("pending-reports")
    row = pending.get_by_role("row").filter(has_text="机关第一党支部").filter(has_text="2022年5月")
    expect(row).to_contain_text("0/2")
    row.get_by_role("link", name="填报").click()
    expect(page).to_have_url(re.compile(rf"/reports/{may_report.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("机关第一党支部 · 2022年5月 完成情况报告")
    expect(status_tag(page)).to_have_text("待填报")

    lines = page.locator("section.line")
    expect(lines).to_have_count(2)
    first, second = lines.nth(0), lines.nth(1)
    expect(first).to_contain_text("严格落实“三会一课”制度")
    expect(second).to_contain_text("开展主题党日活动")
    first.get_by_label("已完成").check()
    first.get_by_label("完成情况说明").fill("5月12日召开支部党员大会，学习党的二十大报告；支委会2次。")
    first.get_by_label("下步打算").fill("6月讲专题党课。")
    first.locator("input[type=file]").set_input_files(str(evidence_file))
    second.get_by_label("推进中").check()
    second.get_by_label("完成情况说明").fill("主题党日活动方案已制定。")
    second.get_by_label("存在问题（未开展/不适用请说明原因）").fill("受疫情影响，集中活动推迟。")
    second.get_by_label("下步打算").fill("6月上旬组织开展。")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "report_form.png"), full_page=True)

    page.get_by_role("button", name="提交审核").click()

    expect(page.locator(".messages")).to_contain_text("报告已提交，等待审核。")
    expect(status_tag(page)).to_have_text("待审核")
    expect(page.get_by_role("link", name="三会一课会议记录.pdf")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)

    # 吴敏 opens the queue and returns it, with a reason and a comment on the second line.
    reviewer = reviewer_page
    reviewer.get_by_role("navigation", name="主导航").get_by_role("link", name="审核队列").click()
    queued = reviewer.get_by_test_id("waiting").get_by_role("row").filter(has_text="机关第一党支部")
    expect(queued).to_contain_text("2022年5月")
    queued.get_by_role("link", name="审核").click()
    download = reviewer.request.get(reviewer.get_by_role("link", name="三会一课会议记录.pdf").get_attribute("href"))
    assert download.status == 200 and download.body() == PDF
    review = reviewer.get_by_test_id("review")
    review.get_by_label("驳回原因（驳回时必填，或填写下列事项意见）").fill("请补充主题党日活动的照片和签到表。")
    # The comment on the second line is written under that line, not in a block far away.
    reviewer.locator("section.line").nth(1).get_by_label("第 2 项审核意见（驳回时填写，可选）").fill(
        "推迟原因请写明具体日期")
    review.get_by_role("button", name="驳回").click()
    expect(status_tag(reviewer)).to_have_text("驳回")

    # 郑伟 sees the reason on 本月待报 and on the report, fixes the line and resubmits.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="本月待报").click()
    expect(page.get_by_test_id("pending-reports")).to_contain_text("驳回原因：请补充主题党日活动的照片和签到表。")
    returned = page.get_by_test_id("pending-reports").get_by_role("row").filter(has_text="机关第一党支部")
    expect(returned).to_contain_text("驳回")
    returned.get_by_role("link", name="填报").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("请补充主题党日活动的照片和签到表。")
    second = page.locator("section.line").nth(1)
    expect(second.locator(".review-comment")).to_have_text("审核意见：推迟原因请写明具体日期")
    expect(second.get_by_label("完成情况说明")).to_have_value("主题党日活动方案已制定。")
    second.get_by_label("已完成").check()
    second.get_by_label("完成情况说明").fill("5月28日开展主题党日活动，参加党员18人，照片和签到表已上传。")
    second.get_by_label("存在问题（未开展/不适用请说明原因）").fill("")
    second.locator("input[type=file]").set_input_files({"name": "主题党日签到表.pdf", "mimeType": "application/pdf",
                                                       "buffer": PDF})
    page.get_by_role("button", name="提交审核").click()
    expect(status_tag(page)).to_have_text("待审核")

    # 吴敏 accepts.
    reviewer.reload()
    reviewer.get_by_test_id("review").get_by_label("审核意见（通过时可选）").fill("同意。")
    asked = []
    reviewer.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    reviewer.get_by_role("button", name="审核通过").click()
    expect(status_tag(reviewer)).to_have_text("审核通过")
    assert asked == ["审核通过后报告不可再修改，确定审核通过吗？"]

    page.reload()
    expect(status_tag(page)).to_have_text("审核通过")
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="提交审核")).to_have_count(0)
    timeline = page.get_by_test_id("timeline")
    for text in ("系统 生成", "郑伟 提交", "吴敏 驳回：请补充主题党日活动的照片和签到表。", "吴敏 审核通过：同意。"):
        expect(timeline).to_contain_text(text)
    expect(timeline.locator("li")).to_have_count(7)  # 生成, 保存, 提交, 驳回, 保存, 提交, 审核通过
    assert page.errors == []

    report = MonthlyReport.objects.get(pk=may_report.pk)
    assert report.status == ReportStatus.ACCEPTED
    assert sorted(Evidence.objects.filter(line__report=report).values_list("original_name", flat=True)) == [
        "三会一课会议记录.pdf", "主题党日签到表.pdf"]
