"""Workflow notifications for monthly reports: submitted → its reviewers, returned / accepted → the organisation's
secretary; recorded with the transition, delivered after commit, never to the actor, once per event."""
import pytest
from django.core import mail
from django.urls import reverse

from notifications.events import notify
from notifications.models import Delivery, Kind, Level, Reminder
from reports.models import MonthlyReport
from reports.services import monthly_report_accept, monthly_report_return, monthly_report_submit
from tests.notifications.helpers import at
from tests.reports.helpers import fill, fresh

BRANCH = "机关第一党支部"
STAFF = {"wumin", "sunli"}  # 党建办 / 机关党委: the reviewers under REPORT_REVIEWER=staff


@pytest.fixture
def may(demo):
    return MonthlyReport.objects.get(organisation=demo.org(BRANCH), year=2022, month=5)


def told(report, **filters):
    rows = Reminder.objects.filter(object_id=report.pk, stage__startswith="ev:", **filters)
    return sorted((r.recipient.username, r.title) for r in rows.select_related("recipient"))


def test_submitting_tells_every_reviewer_at_once(demo, may, django_capture_on_commit_callbacks):
    zhengwei = demo.user("zhengwei")
    with at(2022, 6, 7):
        fill(may, zhengwei)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            monthly_report_submit(actor=zhengwei, report=fresh(may))

    title = "机关第一党支部2022年5月完成情况报告已提交，请审核（逾期 2 天提交）"
    assert told(may) == sorted((name, title) for name in STAFF)
    row = Reminder.objects.get(object_id=may.pk, recipient__username="wumin", stage__startswith="ev:")
    assert (row.kind, row.level, row.link, row.read_at) == (Kind.REPORT, Level.GREEN,
                                                           reverse("reports:detail", args=[may.pk]), None)
    assert len(callbacks) >= 1  # delivery is queued only once the submission commits


def test_returning_tells_the_secretary_with_the_reason_and_accepting_tells_them_too(demo, may, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    with at(2022, 6, 2):
        fill(may, zhengwei)
        monthly_report_submit(actor=zhengwei, report=fresh(may))
        monthly_report_return(actor=wumin, report=fresh(may), reason="佐证材料不全")

    assert told(may, recipient=zhengwei) == [("zhengwei", "机关第一党支部2022年5月完成情况报告被驳回，请修改后重新提交")]
    returned = Reminder.objects.get(object_id=may.pk, recipient=zhengwei, stage__startswith="ev:")
    assert (returned.body, returned.level) == ("驳回原因：佐证材料不全", Level.YELLOW)
    assert not Reminder.objects.filter(recipient=wumin, title__contains="驳回").exists()  # not the actor

    with at(2022, 6, 3):
        fill(may, zhengwei)
        monthly_report_submit(actor=zhengwei, report=fresh(may))
        monthly_report_accept(actor=demo.user("sunli"), report=fresh(may), comment="符合要求")
    assert told(may, recipient=zhengwei) == sorted([
        ("zhengwei", "机关第一党支部2022年5月完成情况报告被驳回，请修改后重新提交"),
        ("zhengwei", "机关第一党支部2022年5月完成情况报告已审核通过")])
    # Two submissions: each reviewer heard of each one (a resubmission is news again); sunli not of her own accept.
    assert Reminder.objects.filter(object_id=may.pk, recipient__username="wumin", title__endswith="请审核").count() == 2


def test_a_rolled_back_transition_notifies_nobody(demo, may):
    from django.db import transaction

    zhengwei = demo.user("zhengwei")
    fill(may, zhengwei)
    with pytest.raises(RuntimeError), transaction.atomic():
        monthly_report_submit(actor=zhengwei, report=fresh(may))
        raise RuntimeError("the request failed after the submit")
    assert told(may) == []


def test_notify_records_once_per_key_and_recipient_and_plans_email(demo, may, settings):
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    wumin.email, wumin.receive_email = "wumin@example.gov.cn", True
    wumin.save()
    first = notify(subject=may, key="test:1", recipients=[wumin, zhengwei, wumin, None], actor=zhengwei,
                   title="测试通知", kind=Kind.REPORT)
    again = notify(subject=may, key="test:1", recipients=[wumin], title="测试通知", kind=Kind.REPORT)
    assert [r.recipient.username for r in first] == ["wumin"]
    assert again == []
    assert list(Delivery.objects.filter(reminder__in=first).values_list("channel", flat=True)) == ["email"]


def test_the_email_digest_carries_workflow_notifications(demo, may, settings):
    from notifications.services import deliveries_send

    wumin = demo.user("wumin")
    wumin.email, wumin.receive_email = "wumin@example.gov.cn", True
    wumin.save()
    zhengwei = demo.user("zhengwei")
    fill(may, zhengwei)
    monthly_report_submit(actor=zhengwei, report=fresh(may))
    mail.outbox.clear()
    deliveries_send()
    sent = [m for m in mail.outbox if m.to == ["wumin@example.gov.cn"]]
    assert len(sent) == 1 and "机关第一党支部2022年5月完成情况报告已提交，请审核" in sent[0].body
