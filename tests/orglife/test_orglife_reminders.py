"""The reminder rule: a gap within the last 15 days of its period gives a yellow reminder to whoever runs the
organisation, once per organisation, type and period.

On the demo agency (records tracked from 2026): 机关第一党支部 held its quarter's 支部党员大会 and 党课, March's 党小组会,
but no 支委会 or 主题党日 in March; nothing else was recorded.
"""
import pytest

from notifications.models import Level, Reminder
from notifications.rules import RULES, all_candidates
from notifications.services import reminders_scan
from orglife.reminders import orglife_candidates
from tests.orglife.helpers import D, add, at

FIRST = "机关第一党支部"
BRANCH_SECRETARIES = {"机关第一党支部": "zhengwei", "机关第二党支部": "gaofeng", "机关第三党支部": "machao",
                      "离退休干部党支部": "hanzhihua", "执法一支部": "tangliang", "执法二支部": "xumin",
                      "市商务发展服务中心党支部": "dengtao", "市口岸服务中心党支部": "caoyang"}
BRANCH_MARCH = {"party_assembly:2026Q1", "branch_committee:2026-03", "group_meeting:2026-03",
                "party_lecture:2026Q1", "theme_day:2026-03"}


@pytest.fixture
def first_quarter(demo):
    add(FIRST, ["party_assembly", "theme_day"], D(2026, 1, 10))
    add(FIRST, ["party_lecture"], D(2026, 2, 10))
    add(FIRST, ["group_meeting"], D(2026, 3, 5))
    return demo


def orglife_keys(day):
    with at(day.year, day.month, day.day):
        found = all_candidates(day)
    return {(c.subject.name, c.stage.removeprefix("orglife:"),
             user.username) for c in found if c.stage.startswith("orglife:") for user in c.recipients}


def expected_march():
    keys = set()
    for org, secretary in BRANCH_SECRETARIES.items():
        stages = BRANCH_MARCH - ({"party_assembly:2026Q1", "party_lecture:2026Q1", "group_meeting:2026-03"}
                                 if org == FIRST else set())
        keys |= {(org, stage, secretary) for stage in stages}
    keys |= {("中共示范市商务局党组", stage, "zhangjianguo") for stage in ("first_topic:2026-03", "central_group:2026Q1")}
    keys.add(("市商务综合行政执法支队党总支", "branch_committee:2026-03", "xiedong"))
    return keys


def test_the_rule_is_registered_with_the_reminder_engine():
    assert RULES.count(orglife_candidates) == 1


def test_last_fifteen_days_of_the_quarter(first_quarter):
    assert orglife_keys(D(2026, 3, 16)) == set()  # 15 days left: not yet
    assert orglife_keys(D(2026, 3, 17)) == expected_march()
    assert orglife_keys(D(2026, 3, 31)) == expected_march()  # the last day still counts
    assert ("机关第一党支部", "theme_day:2026-03", "zhengwei") in orglife_keys(D(2026, 3, 17))
    assert not {k for k in orglife_keys(D(2026, 3, 17)) if k[1].startswith("party_assembly") and k[0] == FIRST}


def test_mid_quarter_months_remind_of_monthly_gaps_only(first_quarter):
    found = orglife_keys(D(2026, 2, 20))
    assert {stage.split(":")[1] for _org, stage, _user in found} == {"2026-02"}
    assert ("机关第一党支部", "branch_committee:2026-02", "zhengwei") in found
    assert ("机关第一党支部", "theme_day:2026-02", "zhengwei") in found  # January's 党员大会 counts for January only


def test_reminder_text_level_and_link(first_quarter):
    with at(2026, 3, 17):
        found = [c for c in all_candidates(D(2026, 3, 17)) if c.stage == "orglife:party_assembly:2026Q1"
                 and c.subject.name == "机关第二党支部"]
    assert len(found) == 1
    candidate = found[0]
    assert candidate.level == Level.YELLOW
    assert candidate.title == "机关第二党支部2026年第一季度还需召开支部党员大会1次（03月31日前）"
    assert candidate.body == "应召开1次，已记录0次。"
    assert candidate.link == f"/orglife/org/{first_quarter.org('机关第二党支部').pk}/"


def test_recording_the_meeting_ends_the_reminder(first_quarter):
    add("机关第二党支部", ["party_assembly"], D(2026, 3, 18))
    assert ("机关第二党支部", "party_assembly:2026Q1", "gaofeng") not in orglife_keys(D(2026, 3, 20))


def test_each_gap_is_sent_once(first_quarter):
    with at(2026, 3, 17, 8, 30):
        first = [r for r in reminders_scan(today=D(2026, 3, 17)).created if r.stage.startswith("orglife:")]
    with at(2026, 3, 18, 8, 30):
        again = [r for r in reminders_scan(today=D(2026, 3, 18)).created if r.stage.startswith("orglife:")]
    assert len(first) == len(expected_march()) and again == []
    assert Reminder.objects.filter(stage="orglife:theme_day:2026-03", recipient__username="zhengwei").count() == 1


def test_nothing_before_records_are_kept(demo, settings):
    settings.ORGLIFE_TRACKED_FROM = ""
    assert orglife_keys(D(2026, 3, 20)) == set()


def test_leaders_short_of_talks_hear_in_the_last_days_of_the_year(first_quarter):
    add("中共示范市商务局党组", ["heart_talk"], D(2026, 3, 1), talker="赵强", talked_to=["郑伟", "冯静", "何磊", "罗军"])
    add("中共示范市商务局党组", ["integrity_talk"], D(2026, 6, 1), talker="赵强", talked_to=["郑伟", "冯静", "何磊"])
    assert not {k for k in orglife_keys(D(2026, 12, 16)) if k[1].startswith("talks")}
    with at(2026, 12, 20):
        talks = {c.subject.name: c for c in all_candidates(D(2026, 12, 20)) if c.stage == "orglife:talks:2026"}
    assert set(talks) == {"赵强", "李明", "王芳"}
    zhao = talks["赵强"]
    assert [u.username for u in zhao.recipients] == ["zhaoqiang"]
    assert zhao.title == "2026年还需与1名分管科室负责人谈心谈话或廉政谈话"
    assert zhao.body == "每年至少2次：法规科罗军（已1次）"
