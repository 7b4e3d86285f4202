"""The reminder rules on the demo agency at fixed dates: which reminders, at which stage, to whom.

The May 2022 reports of the 17 organisations with items due (sample 2022 list) are due on 2022-06-05.
Committee terms are those of the demo seeded on 2026-03-15: 离退休干部党支部 ended 2026-01-15, 机关第二党支部
ends 2026-07-15, 执法支队党总支 and its two branches end 2026-09-15.
"""
import datetime

import pytest

from branches.models import CommitteeTerm, Organisation
from notifications.models import Level, Reminder, ReminderSettings
from notifications.rules import all_candidates
from notifications.services import reminders_scan
from reports.models import MonthlyReport, ReportStatus
from reports.services import monthly_report_return

from tests.notifications.helpers import (INSPECTORS, LEADERS, STAFF, SUPERVISORS, at, escalated_keys,
                                        fill_and_submit, keys, reminder_keys)

D = datetime.date


def candidate_keys(today, kind=MonthlyReport):
    """{(organisation, stage, username)} the rules give on `today` for subjects of one model."""
    with at(today.year, today.month, today.day):
        found = all_candidates(today)
    return {(c.subject.organisation.name, c.stage, user.username)
            for c in found if isinstance(c.subject, kind) for user in c.recipients}


def scan(today):
    """Run the scan on `today` (08:30, as the daily beat task does) and return the rows it created."""
    with at(today.year, today.month, today.day, 8, 30):
        return reminders_scan(today=today).created


def report(demo, org):
    return MonthlyReport.objects.get(organisation=demo.org(org), year=2022, month=5)


# ---------------------------------------------------------------- monthly reports: the stages

def test_nothing_before_the_due_soon_window(demo):
    assert candidate_keys(D(2022, 6, 1)) == set()  # 4 days before the deadline


def test_due_soon_three_days_before_to_the_secretary_or_head(demo):
    found = candidate_keys(D(2022, 6, 2))
    assert found == keys("due_soon")
    assert ("机关第一党支部", "due_soon", "zhengwei") in found
    assert ("办公室", "due_soon", "zhengwei") in found  # 郑伟 heads both 办公室 and 机关第一党支部
    assert ("市场运行科", "due_soon", "gaofeng") in found
    assert len(found) == 17


def test_due_soon_reminder_text_level_and_link(demo):
    with at(2022, 6, 2):
        found = [c for c in all_candidates(D(2022, 6, 2)) if c.subject.organisation.name == "机关第一党支部"]
    assert len(found) == 1
    candidate = found[0]
    assert candidate.level == Level.GREEN
    assert candidate.title == "机关第一党支部2022年5月完成情况报告将于06月05日截止（还有3天）"
    assert candidate.link == f"/reports/{report(demo, '机关第一党支部').pk}/"
    assert candidate.organisation_id == demo.org("机关第一党支部").pk


def test_due_soon_is_one_stage_across_its_three_days(demo):
    created = [scan(D(2022, 6, day)) for day in (2, 3, 4)]
    assert reminder_keys(created[0]) == keys("due_soon")
    assert created[1] == created[2] == []  # the same stage again: nothing new on the 3rd and 4th
    assert Reminder.objects.count() == 17


def test_due_today(demo):
    assert candidate_keys(D(2022, 6, 5)) == keys("due_today")
    with at(2022, 6, 5):
        levels = {c.level for c in all_candidates(D(2022, 6, 5))}
    assert levels == {Level.YELLOW}


def test_overdue_one_day(demo):
    assert candidate_keys(D(2022, 6, 6)) == keys("overdue_1")


def test_overdue_two_days_is_still_the_first_overdue_stage(demo):
    assert candidate_keys(D(2022, 6, 7)) == keys("overdue_1")


def test_overdue_three_days(demo):
    assert candidate_keys(D(2022, 6, 8)) == keys("overdue_3")


def test_overdue_seven_days_escalates_to_the_supervising_leaders_and_the_inspectors(demo):
    found = candidate_keys(D(2022, 6, 12))
    assert found == keys("overdue_7") | escalated_keys()
    escalated = {(org, user) for org, stage, user in found if stage == "escalated"}
    assert {user for org, user in escalated if org == "市场运行科"} == {"liming", "chengang", "liuyang", "zhoutao"}
    # 执法一支部 has no 分管 of its own: 李明 supervises 执法支队, which its parent 党总支 covers.
    assert {user for org, user in escalated if org == "执法一支部"} == {"liming", "chengang", "liuyang", "zhoutao"}
    assert {user for org, user in escalated if org == "机关第三党支部"} == {"wangfang", "zhaoqiang"} | INSPECTORS
    # Nobody is escalated to about their own organisation: 周涛 runs 机关纪委 and hears of it as its secretary.
    assert {user for org, user in escalated if org == "中共示范市商务局机关纪律检查委员会"} == {"chengang", "liuyang"}
    assert {user for org, user in escalated if org == "离退休干部党支部"} == INSPECTORS  # no 分管 leader


def test_escalation_text_and_level(demo):
    with at(2022, 6, 12):
        found = {c.stage: c for c in all_candidates(D(2022, 6, 12)) if c.subject.organisation.name == "市场运行科"}
    assert set(found) == {"overdue_7", "escalated"}
    assert found["overdue_7"].level == found["escalated"].level == Level.RED
    assert found["overdue_7"].title == "市场运行科2022年5月完成情况报告已逾期7天未报送"
    assert found["escalated"].title == "【升级】市场运行科2022年5月完成情况报告已逾期7天未报送"
    assert [u.username for u in found["escalated"].recipients] == ["liming", "chengang", "liuyang", "zhoutao"]


def test_the_stages_of_a_report_never_submitted_day_by_day(demo):
    by_day = {day: reminder_keys(scan(D(2022, 6, day))) for day in range(1, 16)}
    assert by_day[1] == set()
    assert by_day[2] == keys("due_soon")
    assert by_day[3] == by_day[4] == set()
    assert by_day[5] == keys("due_today")
    assert by_day[6] == keys("overdue_1")
    assert by_day[7] == set()
    assert by_day[8] == keys("overdue_3")
    assert by_day[9] == by_day[10] == by_day[11] == set()
    assert by_day[12] == keys("overdue_7") | escalated_keys()
    assert by_day[13] == by_day[14] == by_day[15] == set()  # 1, 3, 7 only: nothing more until it is submitted
    assert Reminder.objects.count() == 17 * 5 + len(escalated_keys())


def test_after_an_outage_only_the_latest_stage_is_sent(demo):
    # No scan ran from 06-01 to 06-09: on 06-10 the reports are 5 days late, so the overdue_3 stage, not
    # due_soon, due_today or overdue_1, which have been overtaken.
    assert reminder_keys(scan(D(2022, 6, 10))) == keys("overdue_3")
    assert set(Reminder.objects.values_list("stage", flat=True)) == {"overdue_3"}
    assert {r.title for r in Reminder.objects.filter(organisation__name="机关第一党支部")} == {
        "机关第一党支部2022年5月完成情况报告已逾期5天未报送"}
    assert reminder_keys(scan(D(2022, 6, 12))) == keys("overdue_7") | escalated_keys()


def test_an_outage_past_the_escalation_sends_overdue_7_and_escalated_only(demo):
    assert reminder_keys(scan(D(2022, 6, 20))) == keys("overdue_7") | escalated_keys()
    assert {r.title for r in Reminder.objects.filter(organisation__name="人事科", stage="overdue_7")} == {
        "人事科2022年5月完成情况报告已逾期15天未报送"}


def test_inactive_organisation_gets_no_reminders(demo):
    Organisation.objects.filter(name="人事科").update(is_active=False)
    assert candidate_keys(D(2022, 6, 6)) == keys("overdue_1", set(LEADERS) - {"人事科"})


def test_inactive_user_receives_nothing(demo):
    demo.user("liming").__class__.objects.filter(username__in=["liming", "fengjing"]).update(is_active=False)
    found = candidate_keys(D(2022, 6, 12))
    assert not {key for key in found if key[2] in {"liming", "fengjing"}}
    assert ("人事科", "overdue_7", "fengjing") not in found
    assert ("人事科", "escalated", "zhaoqiang") in found  # the escalation still goes out


# ---------------------------------------------------------------- submitted and returned reports

def test_a_submitted_report_gets_no_reminders(demo):
    with at(2022, 6, 3):
        fill_and_submit(report(demo, "机关第一党支部"), demo.user("zhengwei"))
    others = set(LEADERS) - {"机关第一党支部"}
    assert candidate_keys(D(2022, 6, 5)) == keys("due_today", others)
    assert candidate_keys(D(2022, 6, 12)) == keys("overdue_7", others) | escalated_keys(others)
    assert ("办公室", "overdue_7", "zhengwei") in candidate_keys(D(2022, 6, 12))  # his other report is still due


def test_a_late_submission_stops_the_reminders(demo):
    assert reminder_keys(scan(D(2022, 6, 6))) == keys("overdue_1")
    with at(2022, 6, 7):
        fill_and_submit(report(demo, "市场运行科"), demo.user("gaofeng"))
    others = set(LEADERS) - {"市场运行科"}
    assert reminder_keys(scan(D(2022, 6, 8))) == keys("overdue_3", others)
    assert reminder_keys(scan(D(2022, 6, 12))) == keys("overdue_7", others) | escalated_keys(others)


def test_an_accepted_report_gets_no_reminders(demo):
    from reports.services import monthly_report_accept

    with at(2022, 6, 3):
        submitted = fill_and_submit(report(demo, "人事科"), demo.user("fengjing"))
        monthly_report_accept(actor=demo.user("wumin"), report=submitted)
    assert ("人事科", "overdue_7", "fengjing") not in candidate_keys(D(2022, 6, 12))


def returned(demo, org, leader, day, hour=10):
    with at(2022, 6, 3):
        submitted = fill_and_submit(report(demo, org), demo.user(leader))
    with at(2022, 6, day, hour):
        return monthly_report_return(actor=demo.user("wumin"), report=submitted, reason="佐证材料不全，请补充会议记录。")


def test_a_returned_report_not_resubmitted_for_three_days_gets_one_reminder(demo):
    returned(demo, "机关第一党支部", "zhengwei", 4)
    others = set(LEADERS) - {"机关第一党支部"}
    # Returned on 06-04 at 10:00: nothing about it on the 5th and 6th, then on the 7th (3 days) one reminder.
    assert reminder_keys(scan(D(2022, 6, 5))) == keys("due_today", others)
    assert reminder_keys(scan(D(2022, 6, 6))) == keys("overdue_1", others)
    assert reminder_keys(scan(D(2022, 6, 7))) == {("机关第一党支部", "returned:202206041000", "zhengwei")}
    reminder = Reminder.objects.get(stage__startswith="returned:")
    assert reminder.level == Level.YELLOW
    assert reminder.title == "机关第一党支部2022年5月完成情况报告被驳回3天未重新提交"
    assert reminder.body == "佐证材料不全，请补充会议记录。"
    assert reminder.link == f"/reports/{report(demo, '机关第一党支部').pk}/"
    assert reminder_keys(scan(D(2022, 6, 8))) == keys("overdue_3", others)  # once per return, not every day
    assert Reminder.objects.filter(stage__startswith="returned:").count() == 1


def test_a_returned_report_that_is_resubmitted_gets_nothing(demo):
    report_ = returned(demo, "机关第一党支部", "zhengwei", 4)
    with at(2022, 6, 6):
        fill_and_submit(report_, demo.user("zhengwei"))
    assert ("机关第一党支部", "returned:202206041000", "zhengwei") not in candidate_keys(D(2022, 6, 7))
    assert not any(stage.startswith("returned") for _org, stage, _u in candidate_keys(D(2022, 6, 12)))


def test_a_second_return_is_a_new_reminder(demo):
    report_ = returned(demo, "人事科", "fengjing", 4)
    assert reminder_keys(scan(D(2022, 6, 7))) >= {("人事科", "returned:202206041000", "fengjing")}
    with at(2022, 6, 8):
        report_ = fill_and_submit(report_, demo.user("fengjing"))
    with at(2022, 6, 9, 15, 45):
        monthly_report_return(actor=demo.user("wumin"), report=report_, reason="仍缺少签字页。")
    assert candidate_keys(D(2022, 6, 11)) >= keys("overdue_3", set(LEADERS) - {"人事科"})
    assert ("人事科", "returned:202206091545", "fengjing") not in candidate_keys(D(2022, 6, 11))
    assert reminder_keys(scan(D(2022, 6, 12))) >= {("人事科", "returned:202206091545", "fengjing")}
    assert Reminder.objects.filter(organisation__name="人事科", stage__startswith="returned:").count() == 2


# ---------------------------------------------------------------- committee terms (换届)

def term_keys(today):
    return candidate_keys(today, kind=CommitteeTerm)


def to_leaders_and_staff(org_leader):
    return lambda org: {org_leader[org]} | STAFF


TERM_LEADERS = {"机关第二党支部": "gaofeng", "离退休干部党支部": "hanzhihua", "市商务综合行政执法支队党总支": "xiedong",
                "执法一支部": "tangliang", "执法二支部": "xumin"}
ENFORCEMENT = ["市商务综合行政执法支队党总支", "执法一支部", "执法二支部"]


def term(orgs, stage):
    return keys(stage, orgs, to_leaders_and_staff(TERM_LEADERS))


@pytest.mark.parametrize(("day", "expected"), [
    # 机关第二党支部 ends 2026-07-15: 181 days before, nothing; 180, the green notice; then 90 and 30, yellow.
    (D(2026, 1, 15), term(["离退休干部党支部"], "before_30")),  # ends that very day
    (D(2026, 1, 16), term(["机关第二党支部"], "before_180") | term(["离退休干部党支部"], "expired")),
    (D(2026, 3, 15), term(["机关第二党支部"], "before_180") | term(["离退休干部党支部"], "expired")),  # DEMO_DAY
    (D(2026, 3, 19), term(["机关第二党支部"], "before_180") | term(["离退休干部党支部"], "expired")
     | term(ENFORCEMENT, "before_180")),
    (D(2026, 4, 15), term(["机关第二党支部"], "before_180") | term(["离退休干部党支部"], "expired")
     | term(ENFORCEMENT, "before_180")),  # 91 days left
    (D(2026, 4, 16), term(["机关第二党支部"], "before_90") | term(["离退休干部党支部"], "expired")
     | term(ENFORCEMENT, "before_180")),
    (D(2026, 6, 15), term(["机关第二党支部"], "before_30") | term(["离退休干部党支部"], "expired")
     | term(ENFORCEMENT, "before_180")),  # 执法*: 92 days left
    (D(2026, 6, 17), term(["机关第二党支部"], "before_30") | term(["离退休干部党支部"], "expired")
     | term(ENFORCEMENT, "before_90")),
    (D(2026, 7, 16), term(["机关第二党支部", "离退休干部党支部"], "expired") | term(ENFORCEMENT, "before_90")),
])
def test_committee_term_windows(demo, day, expected):
    assert term_keys(day) == expected


def test_committee_term_reminder_levels_and_text(demo):
    with at(2026, 3, 15):
        found = {c.subject.organisation.name: c for c in all_candidates(D(2026, 3, 15))
                 if isinstance(c.subject, CommitteeTerm)}
    assert set(found) == {"机关第二党支部", "离退休干部党支部"}
    soon, expired = found["机关第二党支部"], found["离退休干部党支部"]
    assert (soon.stage, soon.level) == ("before_180", Level.GREEN)
    assert soon.title == "机关第二党支部委员会任期将于2026年07月15日届满（还有122天），请做好换届准备"
    assert (expired.stage, expired.level) == ("expired", Level.RED)
    assert expired.title == "离退休干部党支部委员会任期已于2026年01月15日届满，请及时换届"
    assert [u.username for u in expired.recipients] == ["hanzhihua", "sunli", "wumin"]
    assert soon.link == f"/orgs/{demo.org('机关第二党支部').pk}/"
    with at(2026, 5, 1):
        ninety = next(c for c in all_candidates(D(2026, 5, 1))
                      if isinstance(c.subject, CommitteeTerm) and c.subject.organisation.name == "机关第二党支部")
    assert (ninety.stage, ninety.level) == ("before_90", Level.YELLOW)


def test_each_term_window_is_sent_once(demo):
    sent = {day: reminder_keys(r for r in scan(day) if r.content_type.model == "committeeterm")
            for day in (D(2026, 1, 16), D(2026, 1, 17), D(2026, 4, 16), D(2026, 4, 17), D(2026, 6, 15),
                        D(2026, 7, 16), D(2026, 8, 1))}
    assert sent[D(2026, 1, 16)] == term(["机关第二党支部"], "before_180") | term(["离退休干部党支部"], "expired")
    assert sent[D(2026, 1, 17)] == set()
    assert sent[D(2026, 4, 16)] == term(["机关第二党支部"], "before_90") | term(ENFORCEMENT, "before_180")
    assert sent[D(2026, 4, 17)] == set()
    assert sent[D(2026, 6, 15)] == term(["机关第二党支部"], "before_30")
    assert sent[D(2026, 7, 16)] == term(["机关第二党支部"], "expired") | term(ENFORCEMENT, "before_90")
    assert sent[D(2026, 8, 1)] == set()


def test_a_new_term_ends_the_expired_reminders(demo):
    CommitteeTerm.objects.create(organisation=demo.org("离退休干部党支部"), elected_on=D(2026, 3, 1))
    assert term_keys(D(2026, 3, 15)) == term(["机关第二党支部"], "before_180")


def test_a_postponed_term_is_reminded_of_by_its_new_end(demo):
    CommitteeTerm.objects.filter(organisation__name="离退休干部党支部", note="").update(postponed_to=D(2026, 6, 30))
    assert term_keys(D(2026, 3, 15)) == term(["机关第二党支部"], "before_180") | term(["离退休干部党支部"],
                                                                                   "before_180")
    assert term_keys(D(2026, 6, 1)) >= term(["离退休干部党支部"], "before_30")


# ---------------------------------------------------------------- the rules are editable

def edit_rules(**changes):
    rules = ReminderSettings.load()
    for name, value in changes.items():
        setattr(rules, name, value)
    rules.save()


def test_default_rules():
    rules = ReminderSettings()
    assert (rules.report_due_soon_days, rules.report_overdue_days, rules.report_escalate_days,
            rules.report_returned_days, rules.term_days) == (3, "1,3,7", 7, 3, "180,90,30")


def test_day_lists_accept_chinese_commas_spaces_and_junk():
    assert ReminderSettings.day_list("7, 1，3,,x") == [1, 3, 7]
    assert ReminderSettings.day_list("") == []


def test_edited_overdue_days(demo):
    edit_rules(report_overdue_days="2,5")
    assert candidate_keys(D(2022, 6, 6)) == set()  # one day late: no stage reached yet
    assert candidate_keys(D(2022, 6, 7)) == keys("overdue_2")
    assert candidate_keys(D(2022, 6, 9)) == keys("overdue_2")
    assert candidate_keys(D(2022, 6, 10)) == keys("overdue_5")
    assert candidate_keys(D(2022, 6, 12)) == keys("overdue_5") | escalated_keys()


def test_edited_due_soon_and_escalation_days(demo):
    edit_rules(report_due_soon_days=5, report_escalate_days=10)
    assert candidate_keys(D(2022, 5, 30)) == set()
    assert candidate_keys(D(2022, 5, 31)) == keys("due_soon")
    assert candidate_keys(D(2022, 6, 12)) == keys("overdue_7")  # no escalation at 7 days any more
    assert candidate_keys(D(2022, 6, 15)) == keys("overdue_7") | escalated_keys()


def test_edited_returned_days(demo):
    edit_rules(report_returned_days=1)
    returned(demo, "机关第一党支部", "zhengwei", 4)
    assert ("机关第一党支部", "returned:202206041000", "zhengwei") in candidate_keys(D(2022, 6, 5))


def test_edited_term_days(demo):
    edit_rules(term_days="60")
    assert term_keys(D(2026, 3, 15)) == term(["离退休干部党支部"], "expired")  # 122 days left: outside 60
    assert term_keys(D(2026, 5, 16)) == term(["机关第二党支部"], "before_60") | term(["离退休干部党支部"], "expired")
    with at(2026, 5, 16):
        only = next(c for c in all_candidates(D(2026, 5, 16))
                    if isinstance(c.subject, CommitteeTerm) and c.subject.organisation.name == "机关第二党支部")
    assert only.level == Level.GREEN  # the single (first) window is the green notice


def test_the_scan_reads_the_rules_as_they_are_when_it_runs(demo):
    assert reminder_keys(scan(D(2022, 6, 6))) == keys("overdue_1")
    edit_rules(report_overdue_days="1,2")
    assert reminder_keys(scan(D(2022, 6, 7))) == keys("overdue_2")


def test_supervisor_table_matches_the_demo(demo):
    """The expectation tables above describe the demo agency (a guard against a changed seed)."""
    from notifications.recipients import Directory

    people = Directory()
    for org, leaders in LEADERS.items():
        pk = demo.org(org).pk
        assert {u.username for u in people.leaders(pk)} == leaders, org
        assert {u.username for u in people.supervisors(pk)} == SUPERVISORS[org], org
    assert {u.username for u in people.inspectors} == INSPECTORS
    assert {u.username for u in people.staff} == STAFF
    assert MonthlyReport.objects.filter(year=2022, month=5, status=ReportStatus.DRAFT).count() == len(LEADERS)


def test_a_leader_no_longer_in_post_is_not_escalated_to(demo):
    """A 分管 leader whose 人员 record is no longer 在职 supervises nothing (as in the scope rules), even
    while their login stays active and the old 分管 rows are still there."""
    from branches.models import Person

    Person.objects.filter(name="李明").update(is_active=False)
    found = candidate_keys(D(2022, 6, 12))
    assert not {key for key in found if key[2] == "liming"}
    assert {user for org, stage, user in found if org == "市场运行科" and stage == "escalated"} == INSPECTORS
