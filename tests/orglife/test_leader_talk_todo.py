"""A 班子成员's inbox lists the talks still due this year with the heads of the units they supervise."""
import datetime

import pytest

from common.todo import todos_for
from tests.orglife.helpers import add

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 15)


def talk_rows(user):
    return {item.title: item for g in todos_for(user, DAY) for item in g.items if g.label == "本年度还需开展的谈心谈话"}


def test_a_supervising_leader_is_asked_for_the_talks_still_due(demo, settings):
    settings.ORGLIFE_TRACKED_FROM = "2026-01-01"
    liming = demo.user("liming")
    # 李明 supervises 市场运行科 (高峰) and 电子商务科 (林雪); the 执法支队 has no head on record.
    assert set(talk_rows(liming)) == {"与市场运行科负责人高峰谈话", "与电子商务科负责人林雪谈话"}
    add("中共示范市商务局党组", ["heart_talk"], datetime.date(2026, 2, 1), talker="李明", talked_to=["高峰"])
    row = talk_rows(liming)["与市场运行科负责人高峰谈话"]
    assert row.note == "已谈 1 次，每年至少 2 次" and row.due_on == datetime.date(2026, 12, 31)
    add("中共示范市商务局党组", ["integrity_talk"], datetime.date(2026, 3, 1), talker="李明", talked_to=["高峰"])
    assert set(talk_rows(liming)) == {"与电子商务科负责人林雪谈话"}
    assert talk_rows(demo.user("zhengwei")) == {} and talk_rows(demo.user("wumin")) == {}
