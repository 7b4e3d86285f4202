"""In the browser: 党务 staff upload a large list, watch the background job check it, see the same preview, confirm,
watch the import and land on the imported list."""
import re

from playwright.sync_api import expect

from common.imports.background import import_job_run
from ops.models import ImportJob
from responsibility.models import ResponsibilityList
from tests.responsibility.test_import_speed import long_list


def test_upload_watch_the_check_confirm_and_watch_the_import(page, login, live_server, e2e_demo, settings,
                                                             tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BACKGROUND_ROWS = 20
    login("wumin")
    page.goto("/lists/import/")
    page.get_by_label("年度").fill("2022")
    page.set_input_files("input[type=file]", files=[{
        "name": "长清单.xlsx", "buffer": long_list(40),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(re.compile(r"/lists/import/job/\d+/$"))
    expect(page.get_by_test_id("import-status")).to_have_text("排队检查")
    job = ImportJob.objects.get()

    import_job_run(job_id=job.pk)  # what the worker does; the page polls, then shows the preview
    expect(page.get_by_role("button", name="确认导入")).to_be_visible()
    expect(page.get_by_role("cell", name="第40项工作", exact=True)).to_be_visible()
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("import-status")).to_have_text("排队导入")

    import_job_run(job_id=job.pk)
    rlist = ResponsibilityList.objects.get()
    expect(page).to_have_url(re.compile(rf"/lists/{rlist.pk}/$"))
    expect(page.get_by_text("已导入 40 项")).to_be_visible()
    assert page.errors == []
