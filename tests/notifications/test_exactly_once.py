"""Exactly once: each reminder is one row, delivered after commit per channel, with its result recorded.

Re-runs insert nothing twice; deliveries exist only for the rows a run inserted; email is one digest per
recipient per run; failures are recorded and retried with backoff without new rows; group robots get their
WeCom / DingTalk JSON with a timeout; the notification centre shows each user their own reminders only.
"""
import datetime
import io
import smtplib
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications import channels, services
from ops.models import OutboxMessage
from notifications.models import Channel, Delivery, DeliveryStatus, Reminder, ReminderSettings, Webhook
from notifications.services import deliveries_send, notification_mark_read, reminders_scan
from reports.models import MonthlyReport
from tests.notifications.helpers import LEADERS, RobotServer, at, keys, reminder_keys

D = datetime.date
JUNE_6 = D(2022, 6, 6)
# On 2022-06-06 the 17 May reports are one day late: 17 reminders to 14 people (郑伟, 高峰 and 马超 each run
# two of the organisations).
RECIPIENTS_ON_JUNE_6 = {user for users in LEADERS.values() for user in users}


def scan(today, hour=8, minute=30):
    with at(today.year, today.month, today.day, hour, minute):
        return reminders_scan(today=today)


def send(moment=None):
    """Deliver what is due, at a local moment (default: 2022-06-06 08:31)."""
    moment = moment or datetime.datetime(2022, 6, 6, 8, 31, tzinfo=timezone.get_default_timezone())
    with at(moment.year, moment.month, moment.day, moment.hour, moment.minute):
        return deliveries_send(now=timezone.now())


def outbox_by_recipient():
    found = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.to[0] not in found, f"two emails to {message.to[0]} in one run"
        found[message.to[0]] = message
    return found


def address(username):
    return f"{username}@demo.zerenlian.local"


# ---------------------------------------------------------------- one row per (object, stage, recipient)

def test_a_second_scan_on_the_same_day_creates_nothing(demo):
    first = scan(JUNE_6)
    assert reminder_keys(first.created) == keys("overdue_1")
    assert len(first.created) == 17
    second = scan(JUNE_6, hour=9, minute=15)  # the hourly catch-up
    assert len(second.candidates) == 17  # the same reminders are still due...
    assert second.created == []  # ...and none is recorded again
    assert Reminder.objects.count() == 17
    assert Delivery.objects.count() == 17


def test_the_unique_key_holds_in_the_database(demo):
    scan(JUNE_6)
    existing = Reminder.objects.get(organisation__name="机关第一党支部", stage="overdue_1")
    duplicate = Reminder(content_type=existing.content_type, object_id=existing.object_id, stage="overdue_1",
                         recipient=existing.recipient, level=existing.level, title="again", on_date=JUNE_6,
                         run=existing.run)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another stage or another recipient for the same object is a different reminder.
    duplicate.stage = "overdue_3"
    duplicate.save()
    assert Reminder.objects.filter(object_id=existing.object_id, content_type=existing.content_type).count() == 2


def test_deliveries_are_planned_only_for_the_rows_this_run_inserted(demo):
    # Another run already recorded 郑伟's reminder about 机关第一党支部 (and planned its delivery).
    report = MonthlyReport.objects.get(organisation__name="机关第一党支部", year=2022, month=5)
    earlier = Reminder.objects.create(
        content_type=ContentType.objects.get_for_model(MonthlyReport), object_id=report.pk, stage="overdue_1",
        recipient=demo.user("zhengwei"), organisation=report.organisation, level="red", title="earlier run",
        on_date=JUNE_6, run="00000000-0000-0000-0000-000000000001")
    result = scan(JUNE_6)
    assert len(result.created) == 16
    assert earlier not in result.created
    assert not earlier.deliveries.exists()
    assert Delivery.objects.count() == 16
    assert set(Delivery.objects.values_list("reminder__run", flat=True)) == {result.created[0].run}
    assert Reminder.objects.get(pk=earlier.pk).title == "earlier run"  # the existing row is left alone


def test_each_new_stage_gets_its_own_deliveries(demo):
    scan(JUNE_6)
    send()
    assert len(mail.outbox) == 14
    scan(D(2022, 6, 7))  # nothing new on the 7th
    scan(D(2022, 6, 8))
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 17
    assert set(Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("reminder__stage", flat=True)) == {
        "overdue_3"}


def test_delivery_is_enqueued_only_after_commit(demo, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("ops.outbox._publish", lambda name, *args: sent.append(name))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scan(JUNE_6)
    assert len(callbacks) == 1
    assert sent == []  # nothing reaches the broker while the rows are uncommitted
    assert OutboxMessage.objects.filter(task="notifications.deliver_reminders").count() == 1
    callbacks[0]()
    assert sent == ["notifications.deliver_reminders"]
    assert OutboxMessage.objects.count() == 0


def test_a_scan_that_fails_leaves_no_rows_and_enqueues_nothing(demo, django_capture_on_commit_callbacks,
                                                              monkeypatch):
    def broken(created):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_plan_deliveries", broken)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(RuntimeError):
        scan(JUNE_6)
    assert callbacks == []
    assert Reminder.objects.count() == 0  # rows and deliveries are decided in one transaction


def test_enqueue_failure_is_logged_not_raised_and_kept_for_later(demo, monkeypatch, caplog,
                                                                 django_capture_on_commit_callbacks):
    def broker_down(name, *args):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("ops.outbox._publish", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        scan(JUNE_6)
    assert "broker unreachable, task notifications.deliver_reminders kept in the outbox" in caplog.text
    kept = OutboxMessage.objects.get()
    assert (kept.task, kept.attempts, kept.claimed_until) == ("notifications.deliver_reminders", 1, None)


# ---------------------------------------------------------------- email: one digest per recipient per run

def test_one_email_per_recipient_per_run(demo):
    scan(JUNE_6)
    assert send() == {"sent": 17, "failed": 0}
    emails = outbox_by_recipient()
    assert set(emails) == {address(user) for user in RECIPIENTS_ON_JUNE_6}
    digest = emails[address("zhengwei")]
    assert digest.subject == "责任链提醒：2 项待办，其中 2 项已逾期"
    assert "郑伟，您好：" in digest.body
    assert "【逾期】机关第一党支部2022年5月完成情况报告已逾期1天未报送" in digest.body
    assert "【逾期】办公室2022年5月完成情况报告已逾期1天未报送" in digest.body
    assert digest.from_email == "zerenlian@localhost"
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert send() == {"sent": 0, "failed": 0}  # a second run sends nothing again
    assert len(mail.outbox) == 14


def test_digest_is_in_chinese_with_overdue_first_and_links(demo, settings):
    settings.SITE_URL = "https://zerenlian.example.gov.cn/"
    today = D(2026, 3, 15)  # May 2022 reports long overdue; 机关第二党支部's term ends within 180 days
    scan(today)
    with at(2026, 3, 15, 8, 31):
        deliveries_send()
    emails = outbox_by_recipient()
    gaofeng = emails[address("gaofeng")]
    assert gaofeng.subject == "责任链提醒：3 项待办，其中 2 项已逾期"
    items = [line for line in gaofeng.body.splitlines() if line[:1].isdigit()]
    assert items == [
        "1. 【逾期】机关第二党支部2022年5月完成情况报告已逾期1379天未报送",
        "2. 【逾期】市场运行科2022年5月完成情况报告已逾期1379天未报送",
        "3. 【提示】机关第二党支部委员会任期将于2026年07月15日届满（还有122天），请做好换届准备",
    ]
    report = MonthlyReport.objects.get(organisation__name="机关第二党支部", year=2022, month=5)
    assert f"   https://zerenlian.example.gov.cn/reports/{report.pk}/" in gaofeng.body
    assert f"   https://zerenlian.example.gov.cn/orgs/{demo.org('机关第二党支部').pk}/" in gaofeng.body
    assert "如不希望接收邮件提醒，可在责任链“通知设置”中关闭。" in gaofeng.body
    wumin = emails[address("wumin")]
    assert wumin.subject == "责任链提醒：2 项待办，其中 1 项已逾期"
    assert [line for line in wumin.body.splitlines() if line[:1].isdigit()] == [
        "1. 【逾期】离退休干部党支部委员会任期已于2026年01月15日届满，请及时换届",
        "2. 【提示】机关第二党支部委员会任期将于2026年07月15日届满（还有122天），请做好换届准备",
    ]


def test_a_digest_without_overdue_items_says_so(demo):
    scan(D(2022, 6, 2))
    send(datetime.datetime(2022, 6, 2, 8, 31))
    digest = outbox_by_recipient()[address("fengjing")]
    assert digest.subject == "责任链提醒：1 项待办"
    assert "1. 【提示】人事科2022年5月完成情况报告将于06月05日截止（还有3天）" in digest.body


def test_no_email_for_users_who_turned_it_off_or_have_no_address(demo):
    User = demo.user("zhengwei").__class__
    User.objects.filter(username="zhengwei").update(receive_email=False)
    User.objects.filter(username="gaofeng").update(email="")
    result = scan(JUNE_6)
    assert len(result.created) == 17  # the in-app reminders are there for everybody
    assert not Delivery.objects.filter(reminder__recipient__username__in=["zhengwei", "gaofeng"]).exists()
    send()
    assert set(outbox_by_recipient()) == {address(u) for u in RECIPIENTS_ON_JUNE_6 - {"zhengwei", "gaofeng"}}


def test_turning_email_off_stops_deliveries_not_yet_sent(demo):
    scan(JUNE_6)
    demo.user("zhengwei").__class__.objects.filter(username="zhengwei").update(receive_email=False)
    send()
    assert address("zhengwei") not in outbox_by_recipient()
    assert set(Delivery.objects.filter(reminder__recipient__username="zhengwei").values_list("status", flat=True)) \
        == {DeliveryStatus.SKIPPED}
    assert len(mail.outbox) == 13


def test_email_can_be_turned_off_for_the_agency(demo):
    rules = ReminderSettings.load()
    rules.email_enabled = False
    rules.save()
    assert len(scan(JUNE_6).created) == 17
    assert not Delivery.objects.exists()


# ---------------------------------------------------------------- failures, retries, stuck claims

@pytest.fixture
def failing_email(monkeypatch):
    calls = []

    def send_messages(self, messages):
        calls.append([m.to[0] for m in messages])
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return calls


def test_a_failing_email_backend_marks_the_delivery_failed_with_the_error(demo, failing_email):
    scan(JUNE_6)
    assert send() == {"sent": 0, "failed": 17}
    assert len(failing_email) == 14  # one attempt per recipient
    deliveries = Delivery.objects.all()
    assert {(d.status, d.attempts) for d in deliveries} == {(DeliveryStatus.FAILED, 1)}
    assert {d.error for d in deliveries} == {"SMTPServerDisconnected: Connection unexpectedly closed"}
    assert Reminder.objects.count() == 17


def test_failed_deliveries_are_retried_with_backoff_without_new_rows(demo, monkeypatch):
    calls = []

    def flaky(self, messages):
        calls.append(messages[0].to[0])
        if len(calls) <= 14:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    scan(JUNE_6)
    t0 = datetime.datetime(2022, 6, 6, 8, 31)
    assert send(t0) == {"sent": 0, "failed": 17}
    assert send(t0 + datetime.timedelta(minutes=1)) == {"sent": 0, "failed": 0}  # too soon: backoff 2 minutes
    assert len(calls) == 14
    scan(JUNE_6, 9, 15)  # the hourly catch-up meanwhile: still no new rows
    assert Reminder.objects.count() == 17
    assert send(t0 + datetime.timedelta(minutes=2)) == {"sent": 17, "failed": 0}
    assert len(calls) == 28
    assert {(d.status, d.attempts, d.error) for d in Delivery.objects.all()} == {(DeliveryStatus.SENT, 1, "")}
    assert Reminder.objects.count() == 17
    assert Delivery.objects.count() == 17


def test_backoff_doubles_and_gives_up_after_five_attempts(demo, failing_email):
    scan(JUNE_6)
    moment = datetime.datetime(2022, 6, 6, 8, 31)
    waits = []
    for attempt in range(1, 6):
        assert send(moment)["failed"] == 17, attempt
        wait = 2 ** attempt  # minutes: 2, 4, 8, 16, 32
        waits.append(wait)
        if attempt < 5:
            assert send(moment + datetime.timedelta(minutes=wait - 1))["failed"] == 0
        moment += datetime.timedelta(minutes=wait)
    assert {(d.status, d.attempts) for d in Delivery.objects.all()} == {(DeliveryStatus.SKIPPED, 5)}
    assert send(moment + datetime.timedelta(days=1)) == {"sent": 0, "failed": 0}
    assert len(failing_email) == 14 * 5
    assert Reminder.objects.count() == 17


def test_a_delivery_stuck_in_sending_is_reclaimed_after_ten_minutes(demo):
    scan(JUNE_6)
    t0 = timezone.make_aware(datetime.datetime(2022, 6, 6, 8, 31))
    # A worker claimed 郑伟's and 高峰's digests and died; 高峰's claim is recent, 郑伟's is 11 minutes old.
    Delivery.objects.filter(reminder__recipient__username="zhengwei").update(
        status=DeliveryStatus.SENDING, claim="00000000-0000-0000-0000-00000000000a",
        claimed_at=t0 - datetime.timedelta(minutes=11))
    Delivery.objects.filter(reminder__recipient__username="gaofeng").update(
        status=DeliveryStatus.SENDING, claim="00000000-0000-0000-0000-00000000000b",
        claimed_at=t0 - datetime.timedelta(minutes=5))
    with at(2022, 6, 6, 8, 31):
        counts = deliveries_send()
    assert counts == {"sent": 15, "failed": 0}
    emails = outbox_by_recipient()
    assert address("zhengwei") in emails
    assert address("gaofeng") not in emails  # its worker may still be sending it
    assert set(Delivery.objects.filter(reminder__recipient__username="gaofeng").values_list("status", flat=True)) == {
        DeliveryStatus.SENDING}
    with at(2022, 6, 6, 8, 37):
        assert deliveries_send() == {"sent": 2, "failed": 0}
    assert address("gaofeng") in outbox_by_recipient()


def test_two_senders_never_send_the_same_group(demo, monkeypatch):
    """The claim is a conditional UPDATE: a second sender that read the same pending rows claims none."""
    scan(JUNE_6)
    original = services._claim
    raced, interleaved = [], []

    def claim_then_race(ids, now):
        token, claimed = original(ids, now)
        if not raced:  # once the first group is claimed, another worker runs a whole send
            raced.append(True)
            interleaved.append(deliveries_send(now=now))
        return token, claimed

    monkeypatch.setattr(services, "_claim", claim_then_race)
    with at(2022, 6, 6, 8, 31):
        first = deliveries_send()
    assert first["sent"] + interleaved[0]["sent"] == 17
    outbox_by_recipient()  # asserts one email per recipient
    assert len(mail.outbox) == 14


# ---------------------------------------------------------------- group robots (webhooks)

def hook(demo, org, kind, url):
    return Webhook.objects.create(organisation=demo.org(org), kind=kind, url=url)


def test_webhook_posts_the_wecom_and_dingtalk_markdown(demo, settings):
    settings.SITE_URL = "https://zerenlian.example.gov.cn"
    with RobotServer() as robot:
        hook(demo, "机关第一党支部", Webhook.Kind.WECOM, robot.url("/cgi-bin/webhook/send?key=wecom-key"))
        hook(demo, "机关第一党支部", Webhook.Kind.DINGTALK, robot.url("/robot/send?access_token=ding"))
        scan(D(2022, 6, 12))
        # One robot message per (object, stage), however many people it concerns: overdue_7 and escalated.
        webhook_rows = Delivery.objects.filter(channel=Channel.WEBHOOK)
        assert sorted(webhook_rows.values_list("reminder__stage", flat=True)) == ["escalated", "overdue_7"]
        with at(2022, 6, 12, 8, 31):
            counts = deliveries_send()
    report = MonthlyReport.objects.get(organisation__name="机关第一党支部", year=2022, month=5)
    link = f"https://zerenlian.example.gov.cn/reports/{report.pk}/"
    text = ("### 责任链提醒（2 项）\n"
            f"- 【逾期】机关第一党支部2022年5月完成情况报告已逾期7天未报送 [查看]({link})\n"
            f"- 【逾期】【升级】机关第一党支部2022年5月完成情况报告已逾期7天未报送 [查看]({link})")
    by_path = {r["path"]: r for r in robot.requests}
    assert len(robot.requests) == 2
    wecom = by_path["/cgi-bin/webhook/send?key=wecom-key"]
    assert wecom["content_type"] == "application/json; charset=utf-8"
    assert wecom["json"] == {"msgtype": "markdown", "markdown": {"content": text}}
    assert by_path["/robot/send?access_token=ding"]["json"] == {
        "msgtype": "markdown", "markdown": {"title": "责任链提醒（2 项）", "text": text}}
    assert set(webhook_rows.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert counts["failed"] == 0


def test_webhook_only_for_organisations_with_an_active_robot(demo):
    with RobotServer() as robot:
        hook(demo, "执法一支部", Webhook.Kind.DINGTALK, robot.url("/a"))
        Webhook.objects.create(organisation=demo.org("执法二支部"), kind=Webhook.Kind.WECOM, url=robot.url("/b"),
                               is_active=False)
        scan(JUNE_6)
        send()
    assert [r["path"] for r in robot.requests] == ["/a"]
    assert robot.requests[0]["json"]["markdown"]["text"] == (
        f"### 责任链提醒（1 项）\n- 【逾期】执法一支部2022年5月完成情况报告已逾期1天未报送 [查看](http://127.0.0.1:8000"
        f"/reports/{MonthlyReport.objects.get(organisation__name='执法一支部', month=5).pk}/)")


def test_a_slow_robot_times_out_and_the_failure_is_recorded(demo, monkeypatch):
    monkeypatch.setattr(channels, "WEBHOOK_TIMEOUT", 0.3)
    with RobotServer(delay=2) as robot:
        hook(demo, "执法一支部", Webhook.Kind.WECOM, robot.url("/slow"))
        scan(JUNE_6)
        started = time.monotonic()
        counts = send()
        elapsed = time.monotonic() - started
    assert robot.arrived.is_set()
    assert elapsed < 1.5  # the worker was not held for the robot's 2 seconds
    assert counts == {"sent": 17, "failed": 1}  # the emails went out; the robot message did not
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.error == "TimeoutError: timed out"
    assert Reminder.objects.count() == 17


def test_a_robot_answering_an_error_code_is_a_failure(demo):
    with RobotServer(answer={"errcode": 93000, "errmsg": "invalid webhook url"}) as robot:
        hook(demo, "执法一支部", Webhook.Kind.WECOM, robot.url("/bad"))
        scan(JUNE_6)
        send()
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "RuntimeError: webhook answered errcode=93000 invalid webhook url"


def test_an_unreachable_robot_is_a_failure_retried_later(demo):
    with RobotServer() as robot:
        url = robot.url("/gone")
    hook(demo, "执法一支部", Webhook.Kind.WECOM, url)  # nothing listens there any more
    scan(JUNE_6)
    assert send()["failed"] == 1
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert delivery.status == DeliveryStatus.FAILED
    assert "Connection refused" in delivery.error


# ---------------------------------------------------------------- the notification centre

@pytest.fixture
def reminders(demo):
    scan(JUNE_6)
    return {r.organisation.name + ":" + r.recipient.username: r for r in Reminder.objects.select_related(
        "organisation", "recipient")}


def test_list_shows_only_my_reminders_with_links(demo, client, reminders):
    demo.client_for(client, "zhengwei")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "机关第一党支部2022年5月完成情况报告已逾期1天未报送" in page
    assert "办公室2022年5月完成情况报告已逾期1天未报送" in page
    assert "市场运行科" not in page  # 高峰's
    report = MonthlyReport.objects.get(organisation__name="机关第一党支部", month=5)
    mine = reminders["机关第一党支部:zhengwei"]
    assert f'href="/notifications/{mine.pk}/"' in page  # opening it marks it read, then goes to the report
    assert client.get(f"/notifications/{mine.pk}/")["Location"] == f"/reports/{report.pk}/"


def test_unread_reminders_come_first(demo, client, reminders):
    demo.client_for(client, "zhengwei")
    older_unread, read = reminders["机关第一党支部:zhengwei"], reminders["办公室:zhengwei"]
    notification_mark_read(user=demo.user("zhengwei"), reminder_ids=[read.pk])
    page = client.get(reverse("notifications:list")).content.decode()
    # NULL read_at sorts first on SQLite but last on PostgreSQL unless the ordering says so.
    assert page.index(older_unread.title) < page.index(read.title)


def test_unread_count_in_the_header(demo, client, reminders):
    demo.client_for(client, "zhengwei")
    page = client.get(reverse("home")).content.decode()
    assert '<span class="badge" data-testid="unread-count">2</span>' in page
    demo.client_for(client, "wumin")  # no reminders: no badge
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_mark_one_read_then_all(demo, client, reminders):
    demo.client_for(client, "zhengwei")
    mine = reminders["机关第一党支部:zhengwei"]
    response = client.post(reverse("notifications:read"), {"id": mine.pk, "next": "/notifications/?unread=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?unread=1"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Reminder.objects.filter(recipient__username="zhengwei", read_at__isnull=True).count() == 1
    unread_page = client.get("/notifications/?unread=1").content.decode()
    assert "办公室2022年5月" in unread_page and "机关第一党支部2022年5月" not in unread_page
    assert '<span class="badge" data-testid="unread-count">1</span>' in unread_page
    response = client.post(reverse("notifications:read"))
    assert response["Location"] == reverse("notifications:list")
    assert not Reminder.objects.filter(recipient__username="zhengwei", read_at__isnull=True).exists()
    assert Reminder.objects.filter(read_at__isnull=True).count() == 15  # nobody else's


def test_another_users_reminder_cannot_be_marked(demo, client, reminders):
    demo.client_for(client, "zhengwei")
    theirs = reminders["市场运行科:gaofeng"]
    client.post(reverse("notifications:read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Reminder.objects.filter(read_at__isnull=False).count() == 0  # and none of his own either
    assert notification_mark_read(user=demo.user("zhengwei"), reminder_ids=[theirs.pk]) == 0


def test_mark_read_ignores_an_unsafe_next(demo, client, reminders):
    demo.client_for(client, "zhengwei")
    response = client.post(reverse("notifications:read"), {"next": "https://evil.example.com/"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_read_needs_post_and_login(demo, client, reminders):
    assert client.get(reverse("notifications:list")).status_code == 302  # to the login page
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("notifications:read")).status_code == 405


def test_email_opt_out_page(demo, client):
    demo.client_for(client, "zhengwei")
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="receive_email" checked' in page
    assert "zhengwei@demo.zerenlian.local" in page
    response = client.post(reverse("notifications:settings"), {})
    assert response.status_code == 302
    assert demo.user("zhengwei").receive_email is False
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "通知设置已保存。" in page and 'name="receive_email" checked' not in page
    scan(JUNE_6)
    assert Reminder.objects.filter(recipient__username="zhengwei").count() == 2  # still in the centre
    assert not Delivery.objects.filter(reminder__recipient__username="zhengwei").exists()
    client.post(reverse("notifications:settings"), {"receive_email": "on"})
    assert demo.user("zhengwei").receive_email is True


# ---------------------------------------------------------------- manage.py send_reminders

def run_command(*args):
    out = io.StringIO()
    with at(2022, 6, 6, 9):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_send_reminders_dry_run_prints_and_writes_nothing(demo):
    from auditlog.models import LogEntry

    audit_entries = LogEntry.objects.count()
    output = run_command("--dry-run", "--date", "2022-06-06")
    lines = output.splitlines()
    assert lines[0] == "2022-06-06：17 个到期/逾期事项，将生成 17 条新提醒"
    assert "  [逾期] → 郑伟：机关第一党支部2022年5月完成情况报告已逾期1天未报送" in lines
    assert len(lines) == 18
    assert Reminder.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert mail.outbox == []
    # Not even the rules row: the defaults are read, not stored (and no audit entry appears for them).
    assert not ReminderSettings.objects.exists()
    assert LogEntry.objects.count() == audit_entries


def test_send_reminders_dry_run_leaves_out_what_was_already_sent(demo):
    scan(JUNE_6)
    assert run_command("--dry-run", "--date", "2022-06-06").splitlines() == [
        "2022-06-06：17 个到期/逾期事项，将生成 0 条新提醒"]


def test_send_reminders_writes_sends_and_prints(demo):
    output = run_command("--date", "2022-06-06")
    lines = output.splitlines()
    assert lines[0] == "2022-06-06：17 个到期/逾期事项，已生成 17 条新提醒"
    assert "  [逾期] → 高峰：市场运行科2022年5月完成情况报告已逾期1天未报送" in lines
    assert lines[-1] == "外部渠道：发送 17 条，失败 0 条"
    assert Reminder.objects.count() == 17
    assert len(mail.outbox) == 14
    again = run_command("--date", "2022-06-06").splitlines()
    assert again == ["2022-06-06：17 个到期/逾期事项，已生成 0 条新提醒", "外部渠道：发送 0 条，失败 0 条"]


def test_send_reminders_defaults_to_today(demo):
    assert run_command("--dry-run").splitlines()[0] == "2022-06-06：17 个到期/逾期事项，将生成 17 条新提醒"


def test_send_reminders_rejects_a_bad_date(demo):
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD：2022-13-01"):
        run_command("--date", "2022-13-01")
