"""A year of 督办/交办, talks and 问责 records on the demo agency whose figures are counted here by hand.

Built on the demo (seeded as on DEMO_DAY, 2026-03-15) by moving the clock; the figures below are written out, never
computed through accountability.figures or the querysets the pages use.

- 督办 S1 (chengang, 03-01, 签收 by 03-03, due 03-10) to 办公室 and 执法一支部:
  办公室 签收 03-02 (on time), 反馈 03-09 (on time), 办结; 执法一支部 签收 03-05 (late), no 反馈 (overdue on 03-15).
- 交办 A1 (wumin, 03-02, 签收 by 03-04, due 03-20) to 机关第一党支部: 签收 03-03 (on time), no 反馈 yet (not due).
- 督办 S2 (chengang, 03-02) to 人事科, withdrawn 03-03: it counts nowhere.
- Talks: 03-06 a 提醒谈话 with two people named (唐亮, 郑伟); 03-08 a 集体约谈 of 执法一支部 with nobody named: 3 人次.
- 问责: 03-10 唐亮 (执法一支部) 批评教育 (第一种形态); 03-11 执法一支部 as a unit, 组织调整 (第二种形态).
"""
import datetime
from zoneinfo import ZoneInfo

import time_machine

from accountability import instructions as services
from accountability.records import accountability_record_create, talk_record
from branches.models import Person
from tests.accountability.helpers import issue

YEAR = 2026
TODAY = datetime.date(2026, 3, 15)

# Counted by hand from the story above (the whole agency, as an inspector sees it).
ALL = {"supervise": 1, "assign": 1, "recipients": 3, "acked_on_time": 2, "replied_on_time": 1, "overdue": 1,
       "talks": 2, "talk_people": 3, "records": 2, "first": 1, "second": 1, "people_held": 1}
# 执法一支部's subtree (and 唐亮's scope): its S1 row, both talks (he was talked to; the unit talk), both records.
BRANCH = {"supervise": 1, "assign": 0, "recipients": 1, "acked_on_time": 0, "replied_on_time": 0, "overdue": 1,
          "talks": 2, "talk_people": 3, "records": 2}


def _at(day: int):
    return time_machine.travel(datetime.datetime(YEAR, 3, day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def _person(demo, username):
    return Person.objects.get(user=demo.user(username))


def build(demo):
    with _at(1):
        s1 = issue(demo, "chengang", ["办公室", "执法一支部"], due_on=datetime.date(YEAR, 3, 10), ack_days=2,
                   title="关于月报逾期未报的督办")
    office, branch = (s1.recipients.get(organisation__name=n) for n in ("办公室", "执法一支部"))
    with _at(2):
        a1 = issue(demo, "wumin", ["机关第一党支部"], kind="assign", due_on=datetime.date(YEAR, 3, 20), ack_days=2,
                   title="开展主题党日并报送")
        s2 = issue(demo, "chengang", ["人事科"], due_on=datetime.date(YEAR, 3, 12), title="撤回的督办")
        services.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    with _at(3):
        services.instruction_withdraw(actor=demo.user("chengang"), instruction=s2, reason="重复下发")
        services.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=a1.recipients.get())
    with _at(5):
        services.recipient_acknowledge(actor=demo.user("tangliang"), recipient=branch)
    with _at(6):
        talk_record(actor=demo.user("chengang"), kind="reminder", held_on=datetime.date(YEAR, 3, 6),
                    talkers=[_person(demo, "chengang")],
                    interviewees=[_person(demo, "tangliang"), _person(demo, "zhengwei")],
                    reason="月报逾期", summary="提醒按时报送。")
    with _at(8):
        talk_record(actor=demo.user("chengang"), kind="collective", held_on=datetime.date(YEAR, 3, 8),
                    talkers=[_person(demo, "chengang")], organisation=demo.org("执法一支部"),
                    reason="督办逾期未反馈", summary="集体约谈支部委员会。")
    with _at(9):
        services.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已整改到位，附会议记录。")
        services.recipient_accept(actor=demo.user("chengang"), recipient=office)
    with _at(11):
        accountability_record_create(actor=demo.user("chengang"), subject_kind="person",
                                     organisation=demo.org("执法一支部"), person=_person(demo, "tangliang"),
                                     measure="criticism", reason="督办逾期未反馈", deciding_body="派驻纪检监察组",
                                     decided_on=datetime.date(YEAR, 3, 10))
        accountability_record_create(actor=demo.user("chengang"), subject_kind="unit",
                                     organisation=demo.org("执法一支部"), measure="org_adjustment",
                                     reason="整改不力", deciding_body="派驻纪检监察组", decided_on=datetime.date(YEAR, 3, 11))
    return {"s1": s1, "a1": a1, "s2": s2}
