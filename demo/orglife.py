"""A year of organisational life for the demo agency, as branches really keep it: monthly 支委会, 党小组会 and
主题党日, quarterly 党员大会 with a 党课, the annual 组织生活会 and 民主评议, the 党组's 第一议题 and 中心组 study, and
班子成员 talking with the heads of the units they supervise — with the gaps a real year has (a skipped 主题党日, a
summer without 党小组会, a quarter's 党课 missing, a branch whose 组织生活会 is still to come, talks not yet held), so
the compliance pages, the talk matrix and the year-end 组织生活 sheet have something true to show. Safe to rerun."""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from branches.models import LEADING_POSTS, OrgKind, Organisation, Post, PostKind, Supervision
from orglife.models import Record, RecordType

SOURCE = "演示数据"


def _secretary(org: Organisation):
    post = (Post.objects.current().filter(organisation=org, kind__in=LEADING_POSTS).select_related("person__user")
            .order_by("sort_order", "id").first())
    return post.person if post else None


def _months(today: datetime.date):
    """Each month of the year up to the current one, with the day its meetings fall on (never after today)."""
    for month in range(1, today.month + 1):
        yield month, min(datetime.date(today.year, month, 10 + month % 9), today)


def _branch_plan(index: int, today: datetime.date) -> list[tuple[datetime.date, list[str], str]]:
    """(date, record type codes, topic) for the index-th branch; the skipped months depend on the index, so the
    branches differ and a rerun makes the same plan."""
    plan = []
    for month, day in _months(today):
        if day >= today and month == today.month:
            continue  # the current month's meetings are still to be held: the inbox lists them
        plan.append((day, ["branch_committee"], f"{month}月支委会：研究部署本月党建工作"))
        if not (index == 3 and month in (7, 8)):  # 离退休干部党支部: no 党小组会 over the summer
            plan.append((day + datetime.timedelta(days=3), ["group_meeting"], f"{month}月党小组会：学习交流"))
        if month != (index * 5) % 12 + 1:  # every branch missed one 主题党日
            plan.append((day + datetime.timedelta(days=8), ["theme_day"], f"{month}月主题党日：志愿服务与集中学习"))
        if month % 3 == 0:
            codes = ["party_assembly"] if (index == 1 and month == 6) else ["party_assembly", "party_lecture"]
            plan.append((day + datetime.timedelta(days=12), codes, f"第{month // 3}季度党员大会暨专题党课"))
    if index % 4 != 2 and today.month >= 2:  # one branch in four has not held its 组织生活会 yet
        plan.append((datetime.date(today.year, 2, 20), ["org_life_meeting", "member_review"],
                     "年度组织生活会暨民主评议党员"))
    if today.month >= 5:
        plan.append((datetime.date(today.year, 5, 16), ["warning_edu"], "警示教育：观看警示教育片"))
    if today.month >= 7:
        plan.append((datetime.date(today.year, 6, 24), ["heart_talk"], "书记与支部党员谈心谈话"))
    if index % 2 == 0 and today.month >= 5:
        plan.append((datetime.date(today.year, 4, 18), ["integrity_talk"], "书记对支委成员开展廉政谈话"))
    return [(d, codes, topic) for d, codes, topic in plan if d <= today]


def _group_plan(today: datetime.date) -> list[tuple[datetime.date, list[str], str]]:
    plan = []
    for month, day in _months(today):
        if month != 4 and day < today:  # April's 第一议题 was not recorded
            plan.append((day, ["first_topic"], f"{month}月党组会议第一议题学习"))
        if month % 3 == 0 and day < today:
            plan.append((day + datetime.timedelta(days=5), ["central_group"], f"第{month // 3}季度理论学习中心组学习"))
    return plan


@transaction.atomic
def seed_demo_orglife(*, today: datetime.date) -> dict[str, int]:
    """The year's records, created once: a rerun finds them (by their source) and changes nothing."""
    year_records = Record.objects.filter(date__year=today.year, source_file=SOURCE)
    if year_records.exists():
        return {"组织生活记录": year_records.count()}
    types = {t.code: t for t in RecordType.objects.all()}
    staff = get_user_model().objects.get(username="wumin")
    branches = list(Organisation.objects.active().filter(kind=OrgKind.BRANCH).order_by("sort_order", "pk"))
    made = []
    for index, branch in enumerate(branches):
        host = _secretary(branch)
        author = host.user if host and host.user_id else staff
        for day, codes, topic in _branch_plan(index, today):
            made.append((Record(organisation=branch, date=day, topic=topic, host=host, host_name=host.name if host else "",
                                summary="按计划召开，会议记录已归档。", created_by=author, source_file=SOURCE),
                         codes, []))
    for general in Organisation.objects.active().filter(kind=OrgKind.GENERAL_BRANCH).order_by("sort_order", "pk"):
        host = _secretary(general)
        for month, day in _months(today):
            if day < today and month != today.month:
                made.append((Record(organisation=general, date=day, topic=f"{month}月总支委员会", host=host,
                                    host_name=host.name if host else "", created_by=staff, source_file=SOURCE),
                             ["branch_committee"], []))
    group = Organisation.objects.active().filter(kind=OrgKind.PARTY_GROUP, parent__isnull=True).first()
    if group is not None:
        chair = _secretary(group)
        for day, codes, topic in _group_plan(today):
            made.append((Record(organisation=group, date=day, topic=topic, host=chair,
                                host_name=chair.name if chair else "", created_by=staff, source_file=SOURCE),
                         codes, []))
        made += _talks(group, today, staff)
    Record.objects.bulk_create([record for record, _codes, _people in made])
    through = Record.types.through
    through.objects.bulk_create([through(record_id=record.pk, recordtype_id=types[code].pk)
                                 for record, codes, _people in made for code in codes if code in types])
    talked = Record.talked_to.through
    talked.objects.bulk_create([talked(record_id=record.pk, person_id=person.pk)
                                for record, _codes, people in made for person in people])
    return {"组织生活记录": len(made)}


def _talks(group: Organisation, today: datetime.date, staff) -> list:
    """班子成员 talk with the heads of the units they supervise, twice a year, with some talks still to hold."""
    made = []
    supervisions = (Supervision.objects.filter(leader__is_active=True, organisation__is_active=True)
                    .select_related("leader", "organisation").order_by("leader_id", "organisation__sort_order"))
    seen: dict[int, int] = {}
    for n, sup in enumerate(supervisions):
        heads = [post.person for post in Post.objects.current().filter(
            organisation=sup.organisation, kind__in=(PostKind.DEPARTMENT_HEAD, PostKind.HEAD, PostKind.SECRETARY))
            .select_related("person")]
        if not heads:
            continue
        seen[sup.leader_id] = seen.get(sup.leader_id, 0) + 1
        # Two talks a year (spring and autumn); each leader's second unit has had only the spring one so far.
        days = [datetime.date(today.year, 3, 1) + datetime.timedelta(days=11 * n)]
        if seen[sup.leader_id] != 2:
            days.append(datetime.date(today.year, 9, 1) + datetime.timedelta(days=7 * n))
        for day in (d for d in days if d <= today):
            made.append((Record(organisation=group, date=day, topic=f"与{sup.organisation.name}负责人谈心谈话",
                                talker=sup.leader, created_by=staff, source_file=SOURCE,
                                summary="交流分管工作落实一岗双责情况，提醒廉洁自律。"), ["heart_talk"], heads[:1]))
    return made
