"""Compliance on fixed data: required against held, per organisation, type and period, exactly as the rules give.

机关第一党支部 in 2026: a 支部党员大会 on 10 January that was also January's 主题党日, 支委会 on 20 January and
14 February (a third, on 6 March, was returned in review), 党课 on 10 February, 主题党日 on 20 February, 党小组会 on
5 March; a 支委会 in December 2025 lies outside the window. 机关第二党支部 held nothing at all.
"""
import datetime

import pytest

from branches.models import Organisation
from orglife.compliance import Rulebook, Status, compliance, current_compliance, tracked_from
from orglife.models import RecordStatus, RecordType, RequirementOverride
from orglife.periods import Period, PeriodKind
from tests.orglife.helpers import D, add

FIRST, SECOND = "机关第一党支部", "机关第二党支部"
Q1 = Period(2026, PeriodKind.QUARTER, 1)


@pytest.fixture
def first_branch_2026(demo):
    add(FIRST, ["party_assembly", "theme_day"], D(2026, 1, 10), topic="一季度党员大会暨1月主题党日")
    add(FIRST, ["branch_committee"], D(2026, 1, 20))
    add(FIRST, ["branch_committee"], D(2026, 2, 14))
    add(FIRST, ["party_lecture"], D(2026, 2, 10))
    add(FIRST, ["theme_day"], D(2026, 2, 20))
    add(FIRST, ["group_meeting"], D(2026, 3, 5))
    add(FIRST, ["branch_committee"], D(2026, 3, 6), status=RecordStatus.RETURNED)
    add(FIRST, ["branch_committee"], D(2025, 12, 20))
    return demo


def result_for(name, *, period=Q1, today=D(2026, 3, 15)):
    org = Organisation.objects.get(name=name)
    return compliance(organisations=[org], start=period.start, end=period.end, today=today)[0]


def table(result):
    """{(type name, period key): (required, held, status)}"""
    return {(c.record_type.name, c.period.key): (c.required, c.held, c.status) for c in result.checks}


def test_default_types_and_requirements_as_seeded(db):
    rows = {t.name: (t.code, t.period, t.required_count, sorted(t.applies_to), t.is_talk)
            for t in RecordType.objects.all()}
    everyone = sorted(["party_group", "party_committee", "organ_committee", "organ_discipline", "general_branch",
                       "branch"])
    assert rows == {
        "支部党员大会": ("party_assembly", "quarter", 1, ["branch"], False),
        "支委会": ("branch_committee", "month", 1, ["branch", "general_branch"], False),
        "党小组会": ("group_meeting", "month", 1, ["branch"], False),
        "党课": ("party_lecture", "quarter", 1, ["branch"], False),
        "主题党日": ("theme_day", "month", 1, ["branch"], False),
        "组织生活会": ("org_life_meeting", "year", 1, ["branch"], False),
        "民主评议党员": ("member_review", "year", 1, ["branch"], False),
        "谈心谈话": ("heart_talk", "year", 1, ["branch", "party_group"], True),
        "廉政谈话": ("integrity_talk", "year", 1, ["branch", "party_group"], True),
        "警示教育": ("warning_edu", "year", 1, everyone, False),
        "第一议题学习": ("first_topic", "month", 1, ["party_group"], False),
        "理论学习中心组学习": ("central_group", "quarter", 1, ["party_group"], False),
    }


def test_first_branch_in_the_first_quarter_on_demo_day(first_branch_2026):
    result = result_for(FIRST)
    assert table(result) == {
        ("支部党员大会", "2026Q1"): (1, 1, Status.MET),
        ("支委会", "2026-01"): (1, 1, Status.MET),
        ("支委会", "2026-02"): (1, 1, Status.MET),
        ("支委会", "2026-03"): (1, 0, Status.OPEN),  # the returned one does not count
        ("党小组会", "2026-01"): (1, 0, Status.MISSED),
        ("党小组会", "2026-02"): (1, 0, Status.MISSED),
        ("党小组会", "2026-03"): (1, 1, Status.MET),
        ("党课", "2026Q1"): (1, 1, Status.MET),
        ("主题党日", "2026-01"): (1, 1, Status.MET),  # the 党员大会 that was also the month's 主题党日
        ("主题党日", "2026-02"): (1, 1, Status.MET),
        ("主题党日", "2026-03"): (1, 0, Status.OPEN),
        ("组织生活会", "2026"): (1, 0, Status.OPEN),
        ("民主评议党员", "2026"): (1, 0, Status.OPEN),
        ("谈心谈话", "2026"): (1, 0, Status.OPEN),
        ("廉政谈话", "2026"): (1, 0, Status.OPEN),
        ("警示教育", "2026"): (1, 0, Status.OPEN),
    }
    assert result.messages() == [
        "本月还需召开支委会1次",
        "2026年1月少召开党小组会1次（应1次，实0次）",
        "2026年2月少召开党小组会1次（应1次，实0次）",
        "本月还需开展主题党日1次",
        "本年度还需召开组织生活会1次",
        "本年度还需开展民主评议党员1次",
        "本年度还需开展谈心谈话1次",
        "本年度还需开展廉政谈话1次",
        "本年度还需开展警示教育1次",
    ]


def test_one_meeting_counts_once_for_each_of_its_types(first_branch_2026):
    january = Period(2026, PeriodKind.MONTH, 1)
    checks = table(result_for(FIRST, period=january))
    assert checks[("支部党员大会", "2026Q1")] == (1, 1, Status.MET)
    assert checks[("主题党日", "2026-01")] == (1, 1, Status.MET)
    assert checks[("支委会", "2026-01")] == (1, 1, Status.MET)


def test_cells_summarise_a_quarter(first_branch_2026):
    cells = result_for(FIRST).cells()
    by_name = {t.name: cells[t.pk] for t in RecordType.objects.all() if t.pk in cells}
    assert (by_name["支委会"].text, by_name["支委会"].status) == ("2/3", Status.OPEN)
    assert (by_name["党小组会"].text, by_name["党小组会"].status) == ("1/3", Status.MISSED)
    assert (by_name["支部党员大会"].text, by_name["支部党员大会"].status) == ("1/1", Status.MET)
    assert (by_name["警示教育"].text, by_name["警示教育"].status) == ("0/1", Status.OPEN)


def test_a_quarter_with_none_while_it_runs_and_after_it_ended(demo):
    running = result_for(SECOND)
    assert running.messages()[:5] == [
        "本季度还需召开支部党员大会1次",
        "2026年1月少召开支委会1次（应1次，实0次）",
        "2026年2月少召开支委会1次（应1次，实0次）",
        "本月还需召开支委会1次",
        "2026年1月少召开党小组会1次（应1次，实0次）",
    ]
    assert len(running.checks) == 16 and all(c.held == 0 for c in running.checks)
    ended = result_for(SECOND, today=D(2026, 4, 2))
    assert table(ended)[("支部党员大会", "2026Q1")] == (1, 0, Status.MISSED)
    assert table(ended)[("党课", "2026Q1")] == (1, 0, Status.MISSED)
    assert table(ended)[("支委会", "2026-03")] == (1, 0, Status.MISSED)
    assert table(ended)[("组织生活会", "2026")] == (1, 0, Status.OPEN)  # the year still runs
    assert "2026年第一季度少召开支部党员大会1次（应1次，实0次）" in ended.messages()
    assert sum(1 for c in ended.checks if c.status == Status.MISSED) == 11


def test_periods_not_yet_begun_are_not_checked(demo):
    second_half = Period(2026, PeriodKind.HALF_YEAR, 2)
    # On 15 March no month or quarter of July–December has begun; only the year that contains them has.
    assert {c.period.key for c in result_for(SECOND, period=second_half).checks} == {"2026"}
    keys = {c.period.key for c in result_for(SECOND, period=Period(2026, PeriodKind.YEAR, 1)).checks}
    assert keys == {"2026Q1", "2026-01", "2026-02", "2026-03", "2026"}


def test_current_periods_of_each_kind(demo):
    org = Organisation.objects.get(name="中共示范市商务局党组")
    result = current_compliance(organisations=[org], today=D(2026, 3, 15))[0]
    assert {(c.record_type.name, c.period.key, c.status) for c in result.checks} == {
        ("第一议题学习", "2026-03", Status.OPEN), ("理论学习中心组学习", "2026Q1", Status.OPEN),
        ("谈心谈话", "2026", Status.OPEN), ("廉政谈话", "2026", Status.OPEN), ("警示教育", "2026", Status.OPEN)}
    assert {"本月还需开展第一议题学习1次", "本季度还需开展理论学习中心组学习1次"} < set(result.messages())


def test_what_each_kind_of_organisation_is_required(demo):
    rulebook = Rulebook()

    def required(name):
        return {req.record_type.name: (req.period, req.count) for req in
                rulebook.requirements(Organisation.objects.get(name=name))}

    assert required("市商务综合行政执法支队党总支") == {"支委会": ("month", 1), "警示教育": ("year", 1)}
    assert required("中共示范市商务局机关委员会") == {"警示教育": ("year", 1)}
    assert required("中共示范市商务局机关纪律检查委员会") == {"警示教育": ("year", 1)}
    assert required("市纪委监委派驻市商务局纪检监察组") == {}
    assert required("办公室") == {}
    assert len(required("离退休干部党支部")) == 10


def test_overrides_by_kind_and_by_organisation(demo):
    committee = RecordType.objects.get(code="branch_committee")
    group = RecordType.objects.get(code="group_meeting")
    lecture = RecordType.objects.get(code="party_lecture")
    RequirementOverride.objects.create(record_type=committee, org_kind="general_branch", period="quarter",
                                       required_count=1)
    RequirementOverride.objects.create(record_type=group, organisation=Organisation.objects.get(name="离退休干部党支部"),
                                       period="month", required_count=0, note="未设党小组")
    RequirementOverride.objects.create(record_type=lecture, org_kind="organ_committee", period="year", required_count=2)
    RequirementOverride.objects.create(record_type=lecture, org_kind="branch", period="half_year", required_count=2)
    RequirementOverride.objects.create(record_type=lecture, organisation=Organisation.objects.get(name=SECOND),
                                       period="month", required_count=1)
    rulebook = Rulebook()

    def requirement(org, code):
        org = Organisation.objects.get(name=org)
        return next(((r.period, r.count) for r in rulebook.requirements(org) if r.record_type.code == code), None)

    assert requirement("市商务综合行政执法支队党总支", "branch_committee") == ("quarter", 1)
    assert requirement("离退休干部党支部", "group_meeting") == ("month", 0)  # recordable, not required
    assert requirement("中共示范市商务局机关委员会", "party_lecture") == ("year", 2)  # the override adds the kind
    assert requirement(FIRST, "party_lecture") == ("half_year", 2)
    assert requirement(SECOND, "party_lecture") == ("month", 1)  # the organisation's own override wins
    retired = result_for("离退休干部党支部")
    assert not [c for c in retired.checks if c.record_type.code == "group_meeting"]
    lectures = {(c.period.key, c.required) for c in result_for(FIRST).checks if c.record_type.code == "party_lecture"}
    assert lectures == {("2026H1", 2)}


def test_inactive_types_are_neither_required_nor_recordable(demo):
    RecordType.objects.filter(code="group_meeting").update(is_active=False)
    assert "党小组会" not in {c.record_type.name for c in result_for(SECOND).checks}


def test_tracking_starts_with_the_setting_or_the_year_of_the_first_record(demo, settings):
    settings.ORGLIFE_TRACKED_FROM = ""
    assert tracked_from() is None
    nothing = result_for(SECOND)
    assert {c.status for c in nothing.checks} == {Status.UNTRACKED} and nothing.gaps == []
    add(FIRST, ["branch_committee"], D(2025, 6, 1))
    assert tracked_from() == D(2025, 1, 1)
    assert table(result_for(SECOND))[("支部党员大会", "2026Q1")] == (1, 0, Status.OPEN)
    settings.ORGLIFE_TRACKED_FROM = "2026-04-01"
    assert table(result_for(SECOND))[("支部党员大会", "2026Q1")] == (1, 0, Status.UNTRACKED)
    assert table(result_for(SECOND))[("组织生活会", "2026")] == (1, 0, Status.OPEN)  # ends after the start


def test_the_whole_agency_in_a_fixed_number_of_queries(first_branch_2026, django_assert_num_queries):
    organisations = list(Organisation.objects.all())
    with django_assert_num_queries(3):  # types, overrides, the month counts
        results = compliance(organisations=organisations, start=Q1.start, end=Q1.end, today=D(2026, 3, 15))
    # 8 党支部 × 16, the 党总支 4 (3 months of 支委会, 警示教育), the 党组 7, 机关党委 and 机关纪委 1 each
    assert sum(len(r.checks) for r in results) == 8 * 16 + 4 + 7 + 1 + 1
    assert sum(c.held for r in results for c in r.checks) == 7


def test_period_keys_labels_and_parsing():
    assert [p.key for p in Period.overlapping("month", D(2026, 2, 10), D(2026, 4, 1))] == ["2026-02", "2026-03",
                                                                                           "2026-04"]
    assert [p.label for p in Period.overlapping("quarter", D(2025, 12, 1), D(2026, 7, 1))] == [
        "2025年第四季度", "2026年第一季度", "2026年第二季度", "2026年第三季度"]
    assert Period.parse("2026H2").start == D(2026, 7, 1) and Period.parse("2026H2").end == D(2026, 12, 31)
    assert Period.parse("2024-02").end == D(2024, 2, 29)
    assert Period.parse("2026").label == "2026年度"
    for bad in ("2026Q5", "2026-13", "x", ""):
        with pytest.raises(ValueError):
            Period.parse(bad)
    assert Period.containing("quarter", datetime.date(2026, 3, 31)).relative_label(D(2026, 3, 31)) == "本季度"
