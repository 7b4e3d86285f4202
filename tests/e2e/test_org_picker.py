"""In the browser: the dashboard's scope picker searches the organisations as one types, choosing one narrows the
dashboard to its subtree, and text matching no organisation stops the form with a message."""
import re

from playwright.sync_api import expect

from .conftest import PHONE, RESULTS_DIR


def test_the_scope_picker_finds_an_organisation_and_narrows_the_dashboard(page, login, e2e_demo):
    hr = e2e_demo.org("人事科")
    login("wumin")
    page.goto("/dashboard/")
    box = page.get_by_label("组织范围")
    box.press_sequentially("人事", delay=30)
    option = page.locator("#f-org-options option")
    expect(option).to_have_count(1)
    label = option.first.get_attribute("value")
    assert label.startswith("人事科（")
    box.fill(label)  # what choosing the suggestion does
    expect(page.locator("input[name=org]")).to_have_value(str(hr.pk))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "org_picker_desktop.png"))
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(rf"org={hr.pk}"))
    expect(page.locator("h1")).to_contain_text("人事科")
    expect(page.get_by_label("组织范围")).to_have_value("人事科")

    # A name that matches nothing: the form is not sent, the box says why.
    box = page.get_by_label("组织范围")
    box.fill("没有这个单位")
    page.get_by_role("button", name="查看").click()
    assert page.evaluate("document.getElementById('f-org').validationMessage") == "请从列表中选择一个组织，或清空以查看全部。"
    assert f"org={hr.pk}" in page.url
    # Emptied: the whole scope again.
    box.fill("")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r"org=(&|$)"))
    assert page.errors == []


def test_the_scope_picker_fits_a_phone(page, login, e2e_demo):
    page.set_viewport_size(PHONE)
    login("wumin")
    page.goto("/dashboard/")
    page.get_by_label("组织范围").press_sequentially("支部", delay=30)
    expect(page.locator("#f-org-options option")).not_to_have_count(0)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "org_picker_phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
