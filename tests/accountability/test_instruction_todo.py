"""督办/交办 in the to-do inbox, the calendar feed and the notification centre: 签收 and 反馈 for the recipient
units, 办结 or 退回 for the issuing office; each step tells the people concerned at once."""
import datetime

import pytest
from django.urls import reverse

from accountability import instructions as svc
from accountability.models import Recipient
from common.todo import deadlines_for, todos_for
from notifications.models import Kind, Reminder
from tests.accountability.helpers import issue

pytestmark = pytest.mark.django_db

NAME = "督办〔2026〕1号“督办事项”"


def rows(user, today):
    return {(g.label, item.title): item for g in todos_for(user, today) for item in g.items}


def notices(user):
    return list(Reminder.objects.filter(recipient=user, kind=Kind.INSTRUCTION).values_list("title", flat=True))


def test_acknowledge_reply_return_and_close_move_through_the_inboxes(demo, on_demo_day):
    zhengwei, tangliang, chengang, liuyang = (demo.user(u) for u in ("zhengwei", "tangliang", "chengang", "liuyang"))
    ins = issue(demo, "chengang", ["办公室", "执法一支部"])
    today = demo.today
    office = ins.recipients.get(organisation__name="办公室")
    row = rows(zhengwei, today)[("待签收的督办交办", f"办公室：{NAME}")]
    assert row.link == reverse("accountability:instruction", args=[ins.pk]) and row.due_on == office.ack_due_on
    assert ("待签收的督办交办", f"执法一支部：{NAME}") in rows(tangliang, today)
    assert ("待签收的督办交办", f"执法一支部：{NAME}") not in rows(zhengwei, today)
    assert f"收到{NAME}，请于03月17日前签收" in notices(zhengwei) and notices(tangliang)
    assert notices(chengang) == []  # the issuer is not told of their own action

    svc.recipient_acknowledge(actor=zhengwei, recipient=office)
    assert ("待反馈的督办交办", f"办公室：{NAME}") in rows(zhengwei, today)
    assert ("待签收的督办交办", f"办公室：{NAME}") not in rows(zhengwei, today)
    svc.recipient_reply(actor=zhengwei, recipient=office, text="已整改完毕。")
    assert not [k for k in rows(zhengwei, today) if k[0].endswith("督办交办")]
    decide = ("待办结的督办交办反馈", f"办公室：{NAME}")
    assert decide in rows(chengang, today) and decide in rows(liuyang, today)  # a colleague in the issuing office
    assert decide not in rows(demo.user("wumin"), today)  # 党务 staff do not decide a 督办
    assert f"办公室已反馈{NAME}，请办结或退回" in notices(chengang)

    svc.recipient_return(actor=liuyang, recipient=office, reason="佐证不足")
    returned = rows(zhengwei, today)[("待反馈的督办交办", f"办公室：{NAME}")]
    assert returned.note == "退回原因：佐证不足"
    assert f"{NAME}的反馈被退回，请继续办理后重新反馈" in notices(zhengwei)
    assert decide not in rows(chengang, today)
    svc.recipient_reply(actor=zhengwei, recipient=office, text="已补充佐证。")
    svc.recipient_accept(actor=chengang, recipient=office)
    assert f"{NAME}已办结" in notices(zhengwei)
    assert not [k for k in rows(zhengwei, today) if k[0].endswith("督办交办")]

    late = today + datetime.timedelta(days=11)
    assert rows(tangliang, late)[("待签收的督办交办", f"执法一支部：{NAME}")].overdue_days == 9
    svc.instruction_withdraw(actor=chengang, instruction=ins, reason="情况已变化")
    assert f"{NAME}已撤回，无需继续办理" in notices(tangliang)
    assert f"{NAME}已撤回，无需继续办理" not in notices(zhengwei)  # 办公室 had finished already
    assert not [k for k in rows(tangliang, today) if k[0].endswith("督办交办")]


def test_counts_equal_rows_and_the_calendar_lists_the_reply_deadline(demo, on_demo_day, client):
    issue(demo, "chengang", ["办公室"])
    issue(demo, "wumin", ["机关第一党支部", "执法一支部"], kind="assign", title="七一主题党日")
    demo.client_for(client, "zhengwei")
    groups = client.get(reverse("todo:list")).context["groups"]
    titles = {item.title for g in groups for item in g.items}
    assert {f"办公室：{NAME}", "机关第一党支部：交办〔2026〕1号“七一主题党日”"} <= titles
    assert client.get(reverse("todo:count")).json()["count"] == sum(len(g.items) for g in groups)
    due = demo.today + datetime.timedelta(days=10)
    feed = [d for d in deadlines_for(demo.user("zhengwei"), demo.today, due) if d.uid.startswith("instruction-")]
    assert [(d.on, d.title) for d in feed] == [(due, f"督办办理时限：办公室 {NAME}"),
                                               (due, "交办办理时限：机关第一党支部 交办〔2026〕1号“七一主题党日”")]
    enforce = Recipient.objects.get(organisation__name="执法一支部")
    assert [d.uid for d in deadlines_for(demo.user("tangliang"), demo.today, due)
            if d.uid.startswith("instruction-")] == [f"instruction-{enforce.pk}"]
