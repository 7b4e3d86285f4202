"""Closure notifications: 申请销号 → the reviewers who may sign it off; 销号 / 退回 → the measure's responsible side."""
import pytest

from notifications.models import Kind, Level, Reminder
from rectification import services
from tests.rectification.conftest import HR_RECORDS, measure, pdf_upload

pytestmark = pytest.mark.usefixtures("ledger")


def told(m):
    rows = Reminder.objects.filter(object_id=m.pk, stage__startswith="ev:", kind=Kind.MEASURE)
    return sorted((r.recipient.username, r.title, r.level) for r in rows.select_related("recipient"))


def test_closure_request_reaches_the_reviewers_and_the_verdict_reaches_the_responsible_side(demo):
    fengjing, chengang = demo.user("fengjing"), demo.user("chengang")
    m = measure(HR_RECORDS)
    services.measure_report_progress(actor=fengjing, measure=m, text="纪实办法已印发", files=[pdf_upload()])
    assert told(m) == []  # progress is nobody's news

    services.measure_request_closure(actor=fengjing, measure=m, comment="已按标准完成")
    asked = "整改措施“建立干部选拔任用全程纪实制度”申请销号，请审核"
    assert told(m) == [(name, asked, Level.GREEN) for name in ("chengang", "liuyang", "zhoutao")]

    services.measure_send_back(actor=chengang, measure=m, reason="缺少制度文本")
    back = "整改措施“建立干部选拔任用全程纪实制度”的销号申请被退回"
    assert ("fengjing", back, Level.YELLOW) in told(m)
    assert not [row for row in told(m) if row[1] == back and row[0] != "fengjing"]
    assert Reminder.objects.get(object_id=m.pk, title=back).body == "退回理由：缺少制度文本"

    services.measure_request_closure(actor=fengjing, measure=m, comment="已补充制度文本")
    services.measure_strike_off(actor=demo.user("liuyang"), measure=m, comment="同意销号")
    assert ("fengjing", "整改措施“建立干部选拔任用全程纪实制度”已销号", Level.GREEN) in told(m)


def test_an_imported_ledger_notifies_nobody(demo):
    assert not Reminder.objects.filter(kind=Kind.MEASURE, stage__startswith="ev:").exists()


def test_a_late_closure_request_keeps_its_overdue_history(demo, client):
    import datetime

    from tests.rectification.conftest import travel

    fengjing = demo.user("fengjing")
    m = measure(HR_RECORDS)  # due 2022-06-30
    with travel(datetime.date(2022, 12, 2)):
        services.measure_report_progress(actor=fengjing, measure=m, text="纪实办法已印发", files=[pdf_upload()])
        services.measure_request_closure(actor=fengjing, measure=m)
        m.refresh_from_db()
        assert m.days_overdue(datetime.date(2022, 12, 2)) == 0  # awaiting review: not overdue any more
        assert m.days_late_at_request() == 155
        demo.client_for(client, "chengang")
        page = client.get(f"/rectification/measures/{m.pk}/").content.decode()
    assert "逾期155天后申请销号" in page
