"""班子成员 and the heads of what they supervise: at least two 谈心谈话/廉政谈话 with each head a year.

赵强 supervises 办公室 (郑伟), 人事科 (冯静), 财务科 (何磊), 法规科 (罗军) and 市商务发展服务中心, a 局属单位 with no
head post: the four heads count, the centre is listed as "未登记负责人" and required of nobody (its branch
secretary is not its administrative head, and the rule is about the heads).
"""
import pytest
from django.urls import reverse

from orglife.compliance import Status, leader_talks
from orglife.models import RecordStatus
from tests.orglife.helpers import D, add

GROUP = "中共示范市商务局党组"


@pytest.fixture
def talks_2026(demo):
    add(GROUP, ["heart_talk"], D(2026, 1, 8), talker="赵强", talked_to=["郑伟", "冯静"])  # one talk, two heads
    add(GROUP, ["integrity_talk"], D(2026, 2, 8), talker="赵强", talked_to=["郑伟"])
    add(GROUP, ["heart_talk", "integrity_talk"], D(2026, 2, 9), talker="赵强", talked_to=["冯静"])  # counts once
    add(GROUP, ["integrity_talk"], D(2026, 3, 1), talker="赵强", talked_to=["冯静"])
    add(GROUP, ["integrity_talk"], D(2026, 3, 2), talker="赵强", talked_to=["何磊"])
    add(GROUP, ["integrity_talk"], D(2026, 3, 3), talker="赵强", talked_to=["罗军"], status=RecordStatus.RETURNED)
    add(GROUP, ["integrity_talk"], D(2025, 12, 30), talker="赵强", talked_to=["罗军"])  # last year
    add(GROUP, ["heart_talk"], D(2026, 1, 9), talker="李明", talked_to=["郑伟"])  # not 赵强's, not 李明's unit
    add(GROUP, ["warning_edu"], D(2026, 1, 10), talker="赵强", talked_to=["何磊"])  # not a talk type
    add("机关第一党支部", ["heart_talk"], D(2026, 1, 11), talker="郑伟", talked_to=["冯静"])  # not a leader
    return demo


def pairs(rows):
    return {(row.leader.name, pair.unit.name): (pair.head.name if pair.head else None, pair.held, pair.status)
            for row in rows for pair in row.pairs}


def test_leaders_talks_with_the_heads_they_supervise(talks_2026):
    found = pairs(leader_talks(year=2026, today=D(2026, 3, 15)))
    assert {k: v for k, v in found.items() if k[0] == "赵强"} == {
        ("赵强", "办公室"): ("郑伟", 2, Status.MET),
        ("赵强", "人事科"): ("冯静", 3, Status.MET),
        ("赵强", "财务科"): ("何磊", 1, Status.OPEN),
        ("赵强", "法规科"): ("罗军", 0, Status.OPEN),  # returned in review, and last year's does not count
        ("赵强", "市商务发展服务中心"): (None, 0, Status.NO_HEAD),
    }
    assert {k: v for k, v in found.items() if k[0] == "李明"} == {
        ("李明", "市场运行科"): ("高峰", 0, Status.OPEN),
        ("李明", "电子商务科"): ("林雪", 0, Status.OPEN),
        ("李明", "市商务综合行政执法支队"): (None, 0, Status.NO_HEAD),
    }
    assert {k: v[0] for k, v in found.items() if k[0] == "王芳"} == {
        ("王芳", "对外贸易科"): "马超", ("王芳", "外资科"): "胡冰", ("王芳", "市口岸服务中心"): None}
    assert [row.leader.name for row in leader_talks(year=2026, today=D(2026, 3, 15))] == ["李明", "王芳", "赵强"]


def test_gaps_are_missed_once_the_year_is_over(talks_2026):
    rows = {row.leader.name: row for row in leader_talks(year=2026, today=D(2027, 1, 5))}
    zhao = rows["赵强"]
    assert [(p.unit.name, p.status, p.gap) for p in zhao.gaps] == [
        ("财务科", Status.MISSED, 1), ("法规科", Status.MISSED, 2)]
    assert zhao.gaps[0].message(2026) == "赵强2026年与财务科负责人何磊谈话1次，还需1次（每年至少2次）"
    last_year = pairs(leader_talks(year=2025, today=D(2026, 3, 15)))
    assert last_year[("赵强", "法规科")] == ("罗军", 1, Status.UNTRACKED)  # tracked from 2026


def test_a_new_head_is_required_from_the_day_the_post_exists(talks_2026):
    from branches.models import Organisation, Person, Post, PostKind

    centre = Organisation.objects.get(name="市商务发展服务中心")
    Post.objects.create(person=Person.objects.create(name="邓主任"), organisation=centre, kind=PostKind.HEAD)
    found = pairs(leader_talks(year=2026, today=D(2026, 3, 15)))
    assert found[("赵强", "市商务发展服务中心")] == ("邓主任", 0, Status.OPEN)


def test_talk_matrix_page(talks_2026, client):
    talks_2026.client_for(client, "chengang")
    response = client.get(reverse("orglife:talks"), {"year": 2026})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-pair="赵强|财务科"' in text and "1/2" in text and "未登记负责人" in text
    assert len(response.context["rows"]) == 3


def test_a_leader_sees_their_own_row_and_a_head_only_their_unit(talks_2026, client):
    talks_2026.client_for(client, "zhaoqiang")
    rows = client.get(reverse("orglife:talks"), {"year": 2026}).context["rows"]
    assert [(r.leader.name, len(r.pairs)) for r in rows] == [("赵强", 5)]
    talks_2026.client_for(client, "fengjing")  # 人事科 head
    rows = client.get(reverse("orglife:talks"), {"year": 2026}).context["rows"]
    assert [(r.leader.name, [p.unit.name for p in r.pairs]) for r in rows] == [("赵强", ["人事科"])]
