"""In the browser: an inspector issues a 督办 from a red item (an overdue measure), the recipient's secretary 签收 and
反馈 with evidence, the inspector 办结 it."""
import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import Instruction
from tests.accountability.helpers import PDF, seed_overdue_measure

from .conftest import DESKTOP, TIMEOUT_MS


def _login(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_a_supervision_notice_goes_from_a_red_item_to_closed(page, login, e2e_demo, browser, live_server, tmp_path):
    measure = seed_overdue_measure(e2e_demo)  # 办公室's measure, a week past its deadline
    due = timezone.localdate() + datetime.timedelta(days=10)

    login("chengang")
    page.goto("/accountability/red-items/")
    page.get_by_test_id(f"supervise-measure-{measure.pk}").click()
    expect(page.get_by_label("督办事项")).to_have_value(re.compile(r"^关于.*的督办$"))  # filled from the red item
    page.get_by_label("督办要求").fill("请于十日内完成整改并报送佐证材料。")
    page.get_by_label("办理时限").fill(due.isoformat())
    page.get_by_role("button", name="下发").click()
    expect(page.get_by_text("督办〔")).not_to_have_count(0)
    instruction = Instruction.objects.get()
    assert instruction.source_id == measure.pk
    expect(page.get_by_test_id("recipient-办公室").get_by_test_id("state")).to_have_text("待签收")

    secretary = _login(browser, live_server, "zhengwei")
    secretary.goto(f"/accountability/instructions/{instruction.pk}/")
    row = secretary.get_by_test_id("recipient-办公室")
    row.get_by_test_id("acknowledge").click()
    expect(row.get_by_test_id("state")).to_have_text("已签收")
    evidence = tmp_path / "整改会议记录.pdf"
    evidence.write_bytes(PDF)
    form = row.get_by_test_id("reply-form")
    form.get_by_label("办理结果").fill("已召开专题会议完成整改，制度已印发。")
    form.get_by_label("佐证材料").set_input_files(str(evidence))
    form.get_by_role("button", name="反馈").click()
    expect(row.get_by_test_id("state")).to_have_text("已反馈")
    expect(row).to_contain_text("整改会议记录.pdf")

    page.reload()
    decision = page.get_by_test_id("recipient-办公室").get_by_test_id("decision-form")
    decision.get_by_label("办结").check()
    decision.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("recipient-办公室").get_by_test_id("state")).to_have_text("已办结")
    instruction.refresh_from_db()
    assert instruction.status == "closed"
    assert page.errors == []
    secretary.context.close()
