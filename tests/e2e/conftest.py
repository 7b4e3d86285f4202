"""Browser-test harness: one headless Chromium per session, a fresh context per test, the live server.

- Skips cleanly when Chromium (or the Playwright package) is absent; never downloads a browser.
- Every test under tests/e2e gets the `e2e` marker, so `pytest -m "not e2e"` leaves them out.
- A failing test leaves a full-page screenshot under var/test-results/ (gitignored).
- Data: `e2e_demo` seeds the demo agency in a transactional database, so the live server thread sees it.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parent.parent / "var" / "test-results"

# Playwright's sync API drives an asyncio loop from the test thread, so Django sees a "running event loop"
# there and would refuse ORM calls in tests and fixtures (SynchronousOnlyOperation). Nothing here is async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000  # fail fast: every page here renders in well under a second

_reports = pytest.StashKey[dict]()


def chromium_path() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("e2e: Chromium not found (/usr/bin/chromium or `chromium` on PATH)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_demo(transactional_db, demo):
    """The shared `demo` agency, committed for real so the live server thread sees it.

    pytest-django makes `db` (under `demo`) transactional whenever `transactional_db` or `live_server` is in
    the test's fixture closure; naming `transactional_db` here keeps that true even without `page`.
    """
    return demo


@pytest.fixture
def page(request, transactional_db, browser, live_server):
    """A page in a fresh browser context (own cookies), desktop-sized, Chinese, pointed at the live server.

    Asking for `transactional_db` first makes the database flush come after this teardown: every context (also
    those a test opened itself) is closed before the tables are emptied, so no page still fetching its to-do count
    holds a lock the flush waits for."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.errors = []  # uncaught JS errors and failed same-site requests, for tests that want none
    page.on("pageerror", lambda exc: page.errors.append(f"pageerror: {exc}"))
    page.on("response", lambda r: r.status >= 500 and page.errors.append(f"{r.status} {r.url}"))
    # net::ERR_ABORTED is the browser cancelling a request because the page navigated away (the header's to-do
    # count fetch when a link is clicked at once), not a failure of the site.
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and page.errors.append(
        f"failed {r.url}: {r.failure}"))
    yield page
    reports = request.node.stash.get(_reports, {})
    if any(report.failed for report in reports.values()):
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid).strip("_")
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
        except Exception as exc:  # a dead page must not hide the real failure
            print(f"e2e: could not save a screenshot: {exc}")
    for opened in list(browser.contexts):
        opened.close()


@pytest.fixture
def login(page):
    """Log in through the real form: `login("zhengwei")` (demo password by default); returns the page."""
    def _login(username: str, password: str | None = None):
        from branches.demo import DEMO_PASSWORD

        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login
