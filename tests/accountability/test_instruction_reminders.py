"""Instruction and talk reminders through the agency's reminder scan: stages by date, recipients, exactly once."""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from accountability import instructions as svc
from accountability.models import Recipient, TalkRecord
from accountability.records import talk_record
from notifications.levels import alert_levels
from notifications.models import Reminder
from notifications.services import reminders_scan
from tests.accountability.helpers import issue

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _sent(model=Recipient):
    ct = ContentType.objects.get_for_model(model)
    return sorted((r.stage, r.recipient.username) for r in Reminder.objects.filter(content_type=ct)
                  .select_related("recipient"))


def _scan(day, traveller):
    traveller.move_to(datetime.datetime.combine(day, datetime.time(10)).astimezone())
    return reminders_scan(today=day)


def test_stages_from_receipt_to_escalation_each_once(demo, on_demo_day):
    instruction = issue(demo, "chengang", ["办公室"], due_on=demo.today + 6 * DAY, ack_days=2)
    _scan(demo.today, on_demo_day)
    assert _sent() == [("received", "zhengwei")]
    _scan(demo.today, on_demo_day)  # a re-run sends nothing twice
    assert _sent() == [("received", "zhengwei")]
    _scan(demo.today + 3 * DAY, on_demo_day)  # not acknowledged in time: yellow, the issuer hears too
    assert _sent() == [("ack_late", "chengang"), ("ack_late", "zhengwei"), ("received", "zhengwei")]
    office = instruction.recipients.get()
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    _scan(demo.today + 4 * DAY, on_demo_day)  # due in two days
    assert ("due_soon", "zhengwei") in _sent()
    _scan(demo.today + 6 * DAY, on_demo_day)
    assert ("due_today", "zhengwei") in _sent()
    _scan(demo.today + 7 * DAY, on_demo_day)
    _scan(demo.today + 8 * DAY, on_demo_day)
    overdue = sorted(u for stage, u in _sent() if stage == "overdue")
    # 办公室's head, its 分管 leader 赵强, the secretary of the branch covering it (郑伟 again) and the issuer.
    assert overdue == ["chengang", "zhaoqiang", "zhengwei"]
    assert set(Reminder.objects.filter(stage="overdue").values_list("level", flat=True)) == {"red"}


def test_answered_and_withdrawn_instructions_are_not_reminded(demo, on_demo_day):
    instruction = issue(demo, "chengang", ["办公室", "执法一支部"], due_on=demo.today + 2 * DAY)
    office = instruction.recipients.get(organisation__name="办公室")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已办理")
    other = issue(demo, "chengang", ["执法二支部"], due_on=demo.today + 2 * DAY)
    svc.instruction_withdraw(actor=demo.user("chengang"), instruction=other, reason="撤回")
    _scan(demo.today + 5 * DAY, on_demo_day)
    # 执法一支部's secretary, the 分管 leader of the 执法支队 its 党总支 covers, and the issuer.
    assert _sent() == [("overdue", "chengang"), ("overdue", "liming"), ("overdue", "tangliang")]


def test_three_colour_counts_include_open_instructions(demo, on_demo_day):
    issue(demo, "chengang", ["办公室"], due_on=demo.today + 20 * DAY)   # green
    issue(demo, "chengang", ["人事科"], due_on=demo.today + 2 * DAY)    # yellow: due within three days
    issue(demo, "chengang", ["财务科"], due_on=demo.today + 1 * DAY, ack_days=0)
    before = alert_levels(demo.today, org_ids={demo.org("办公室").pk, demo.org("人事科").pk, demo.org("财务科").pk})
    assert before == {"green": 1, "yellow": 2, "red": 0}
    after = alert_levels(demo.today + 2 * DAY,
                         org_ids={demo.org("办公室").pk, demo.org("人事科").pk, demo.org("财务科").pk})
    assert after == {"green": 1, "yellow": 1, "red": 1}


def test_talk_commitment_follow_up_is_reminded_until_done(demo, on_demo_day):
    chen = demo.user("chengang")
    talk = talk_record(actor=chen, kind="reminder", held_on=demo.today, talkers=[chen.person],
                       interviewees=[demo.user("tangliang").person], reason="月报连续逾期", summary="指出问题",
                       commitments="一周内补报", follow_up_on=demo.today + 7 * DAY)
    _scan(demo.today + 5 * DAY, on_demo_day)
    assert _sent(TalkRecord) == [("follow_up_soon", "chengang")]
    _scan(demo.today + 9 * DAY, on_demo_day)
    assert _sent(TalkRecord) == [("follow_up_overdue", "chengang"), ("follow_up_soon", "chengang")]
    from accountability.records import talk_follow_up

    talk_follow_up(actor=chen, talk=talk, note="已补报")
    Reminder.objects.all().delete()
    _scan(demo.today + 10 * DAY, on_demo_day)
    assert _sent(TalkRecord) == []
