"""In the browser: 党务 staff ask for a year-end workbook, watch the job's progress on its page (no red 生成失败
while it runs) and download both files once it is done."""
import datetime
import re

from playwright.sync_api import expect

from yearend.jobs import year_end_export_run
from yearend.models import YearEndExport


def test_request_watch_progress_and_download(page, login, live_server, e2e_demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login("wumin")
    page.goto("/reports/year-end/")
    year = datetime.date.today().year
    page.get_by_label("年度").select_option(str(year))
    page.get_by_test_id("yearend-form").get_by_role("button", name="生成").click()
    expect(page).to_have_url(re.compile(r"/reports/year-end/\d+/$"))
    export = YearEndExport.objects.get(requested_by__username="wumin", year=year)
    expect(page.locator("#yearend-error")).to_be_hidden()
    expect(page.get_by_test_id("yearend-downloads")).to_be_hidden()

    year_end_export_run(export_id=export.pk)  # what the worker does; the page polls and follows
    expect(page.get_by_test_id("yearend-status")).to_have_text("已完成")
    expect(page.locator("#yearend-percent")).to_have_text("100%")
    expect(page.locator("#yearend-error")).to_be_hidden()
    downloads = page.get_by_test_id("yearend-downloads")
    expect(downloads).to_be_visible()
    for name, suffix in (("下载年度台账（Excel）", ".xlsx"), ("下载总结初稿（Word）", ".docx")):
        response = page.request.get(downloads.get_by_role("link", name=name).get_attribute("href"))
        assert response.status == 200 and suffix in response.headers["content-disposition"]
        assert response.body()[:2] == b"PK"  # an Office Open XML package
    assert page.errors == []
