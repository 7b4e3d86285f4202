"""A branch secretary (郑伟: 机关第一党支部 书记, 办公室 主任) logs in, finds their organisations, and logs out."""
import re

from playwright.sync_api import expect

from .conftest import PHONE, RESULTS_DIR

LOGIN_PATH = re.compile(r"/accounts/login/")


def test_secretary_logs_in_and_opens_their_branch(page, e2e_demo, live_server):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="登录责任链")).to_be_visible()

    page.get_by_label("用户名").fill("zhengwei")
    page.get_by_label("密码").fill("demo1234")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("郑伟，您好")
    expect(page.get_by_test_id("current-user")).to_have_text("郑伟")
    card = page.get_by_test_id("my-organisations")
    expect(card.get_by_role("heading")).to_have_text("我的组织与职务")
    expect(card.get_by_role("link", name="机关第一党支部", exact=True)).to_be_visible()
    expect(card.get_by_role("link", name="办公室", exact=True)).to_be_visible()
    # The stylesheet is served by the live server and applied (the red top bar).
    expect(page.locator("header.topbar")).to_have_css("background-color", "rgb(179, 38, 30)")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "home.png"), full_page=True)

    card.get_by_role("link", name="机关第一党支部", exact=True).click()
    branch = e2e_demo.org("机关第一党支部")
    expect(page).to_have_url(f"{live_server.url}/orgs/{branch.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("机关第一党支部")
    expect(page.get_by_test_id("posts")).to_contain_text("郑伟")
    assert page.errors == []


def test_another_branchs_page_is_not_found(page, e2e_demo, login):
    login("zhengwei")
    other = e2e_demo.org("执法一支部")

    response = page.goto(f"/orgs/{other.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.locator("main")).not_to_contain_text("执法一支部")


def test_phone_width_menu_toggle_shows_the_links(page, e2e_demo, login):
    page.set_viewport_size(PHONE)
    login("zhengwei")
    nav = page.get_by_role("navigation", name="主导航")
    toggle = page.locator("label.nav-toggle-label")

    expect(toggle).to_be_visible()
    expect(nav.get_by_role("link", name="首页")).to_be_hidden()
    expect(page.get_by_role("button", name="退出")).to_be_hidden()

    toggle.click()

    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    expect(nav.get_by_role("link", name="组织机构")).to_be_visible()
    expect(page.get_by_role("link", name="修改密码")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    # Nothing pushes the page sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    toggle.click()
    expect(nav.get_by_role("link", name="首页")).to_be_hidden()


def test_logout_from_the_header_returns_to_login(page, e2e_demo, login):
    login("zhengwei")

    page.locator("header").get_by_role("button", name="退出").click()

    expect(page).to_have_url(LOGIN_PATH)
    expect(page.get_by_role("heading", name="登录责任链")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    page.goto("/")  # the session is really gone
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
