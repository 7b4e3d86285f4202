"""In the browser, each role's to-do inbox lists what waits for them, the header and home totals equal the rows,
and a row opens the page where they act: a secretary (签收 a 督办), 党务 staff (review a report), an inspector
(decide a 督办's reply) and a 分管 leader (talks still due)."""
import datetime

import pytest
from playwright.sync_api import expect

from accountability import instructions
from tests.accountability.helpers import issue

from .test_inbox import submitted  # noqa: F401  (the fixture: 机关第一党支部's May 2022 report, submitted)

NAME = "督办〔{year}〕{n}号“{title}”"


@pytest.fixture
def work(e2e_demo, submitted, settings):  # noqa: F811
    """Something for every role: a 督办 for 办公室 to acknowledge, another already answered by 执法一支部."""
    settings.ORGLIFE_TRACKED_FROM = f"{datetime.date.today().year}-01-01"
    due = datetime.date.today() + datetime.timedelta(days=10)
    pending = issue(e2e_demo, "chengang", ["办公室"], due_on=due, title="落实主体责任清单")
    answered = issue(e2e_demo, "chengang", ["执法一支部"], due_on=due, title="整改会议记录")
    recipient = answered.recipients.get()
    tangliang = e2e_demo.user("tangliang")
    recipient = instructions.recipient_acknowledge(actor=tangliang, recipient=recipient)
    instructions.recipient_reply(actor=tangliang, recipient=recipient, text="已补齐会议记录。")
    return {"pending": pending, "answered": answered}


CASES = [
    ("zhengwei", "待签收的督办交办", "办公室：{pending}", "/accountability/instructions/{pending_pk}/"),
    ("wumin", "待审核的月度报告", "机关第一党支部 2022年5月完成情况报告", "/reports/{report_pk}/"),
    ("chengang", "待办结的督办交办反馈", "执法一支部：{answered}", "/accountability/instructions/{answered_pk}/"),
    ("liming", "本年度还需开展的谈心谈话", "与市场运行科负责人高峰谈话", "/orglife/talks/"),
]


@pytest.mark.parametrize("username,group,title,url", CASES, ids=[c[0] for c in CASES])
def test_each_roles_inbox_lists_its_work_and_opens_where_to_act(page, login, live_server, work, submitted,  # noqa: F811
                                                                 username, group, title, url):
    names = {"pending": NAME.format(year=work["pending"].year, n=work["pending"].number, title="落实主体责任清单"),
             "answered": NAME.format(year=work["answered"].year, n=work["answered"].number, title="整改会议记录"),
             "pending_pk": work["pending"].pk, "answered_pk": work["answered"].pk, "report_pk": submitted.pk}
    login(username)
    todo = page.get_by_test_id("todo")
    rows = todo.get_by_test_id("todo-item")
    expect(rows.first).to_be_visible()
    expect(page.get_by_test_id("todo-total")).to_have_text(str(rows.count()))
    expect(page.get_by_test_id("todo-count")).to_have_text(str(rows.count()))
    expect(todo.get_by_role("heading", name=group)).to_be_visible()
    todo.get_by_role("link", name=title.format(**names)).click()
    expect(page).to_have_url(live_server.url + url.format(**names))
    assert page.errors == []
