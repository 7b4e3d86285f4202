"""The demo keeps a realistic year of organisational life: every branch meets, each with the gaps a real year has,
班子成员 talk with the heads they supervise (not all twice yet); seeding again changes nothing."""
import datetime

import pytest

from demo.orglife import seed_demo_orglife
from orglife.compliance import current_compliance, leader_talks
from orglife.models import Record
from branches.models import Organisation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


def test_a_year_of_meetings_with_gaps_and_talks(demo, settings):
    settings.ORGLIFE_TRACKED_FROM = "2026-01-01"
    made = seed_demo_orglife(today=DAY)["组织生活记录"]
    assert made == Record.objects.count() > 200
    assert seed_demo_orglife(today=DAY) == {"组织生活记录": made} and Record.objects.count() == made
    assert not Record.objects.filter(date__gt=DAY).exists()
    branch = demo.org("机关第一党支部")
    codes = set(Record.objects.filter(organisation=branch).values_list("types__code", flat=True))
    assert {"branch_committee", "group_meeting", "theme_day", "party_assembly", "party_lecture"} <= codes
    # 机关第一党支部 (index 0) skipped January's 主题党日; the others held theirs.
    themes = Record.objects.filter(organisation=branch, types__code="theme_day").values_list("date__month", flat=True)
    assert sorted(themes) == list(range(2, 12))
    pairs = [pair for row in leader_talks(year=2026, today=DAY) for pair in row.pairs if pair.head is not None]
    held = [pair.held for pair in pairs]
    assert pairs and 0 < sum(held) and held.count(2) > 0 and held.count(1) > 0
    branches = Organisation.objects.filter(kind="branch")
    results = current_compliance(organisations=branches, today=DAY)
    assert any(result.open_gaps for result in results)
