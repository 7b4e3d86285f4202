"""Which lines a month's report carries (the due rules of Item.is_due_in), generation, and the due date.

The sample 2022 list (positions = 序号): monthly 1 (办公室), 11 and 12 (各党支部); ongoing 5, 16 (办公室) and
24 (机关纪委); quarterly 6, 17, 19 (办公室) and 15 (机关第一党支部 lead, 机关第二党支部 配合); half-yearly 8
(各党支部), 9 and 25 (办公室), 21, 22 (机关纪委); one-off 3 (2022-03-31, 机关党委 + 办公室 配合), 23 (2022-05-31,
every 科室), 2, 7, 10, 13, 4 (年底前) and yearly 14 (机关党委), 18, 20.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError

from reports.models import MonthlyReport, ReportEvent, ReportLine, ReportStatus, report_due_on
from reports.services import (LineInput, monthly_report_accept, monthly_report_open, monthly_report_return,
                              monthly_report_save, monthly_report_submit, monthly_reports_generate)
from responsibility.models import Frequency, ListKind

from tests.reports.helpers import at, make_list

BRANCH = "机关第一党支部"
OFFICE = "办公室"
ORGAN_COMMITTEE = "中共示范市商务局机关委员会"


def report_of(demo, org_name, year, month):
    return MonthlyReport.objects.get(organisation=demo.org(org_name), year=year, month=month)


def item_positions(report):
    """The list positions (序号) of the report's lines, in the order the form shows them."""
    return list(report.lines.order_by("position", "id").values_list("assignment__item__position", flat=True))


def generated(demo, org_name, year, month):
    monthly_reports_generate(year=year, month=month)
    return item_positions(report_of(demo, org_name, year, month))


def test_branch_may_report_has_only_the_monthly_branch_items(demo):
    assert generated(demo, BRANCH, 2022, 5) == [11, 12]


def test_branch_june_report_adds_the_quarterly_and_half_yearly_items(demo):
    assert generated(demo, BRANCH, 2022, 6) == [8, 11, 12, 15]


def test_quarterly_item_is_carried_by_the_supporting_organisation_too(demo):
    # Item 15 is led by 机关第一党支部 with 机关第二党支部 配合: both report on it in the quarter's last month.
    monthly_reports_generate(year=2022, month=9)
    assert item_positions(report_of(demo, "机关第二党支部", 2022, 9)) == [11, 12, 15]
    assert item_positions(report_of(demo, BRANCH, 2022, 9)) == [11, 12, 15]


def test_office_march_report_has_monthly_ongoing_quarterly_and_the_once_item_due_that_month(demo):
    # 1 monthly; 5, 16 长期坚持; 6, 17, 19 quarterly; 3 due 2022-03-31 (办公室 配合).
    assert generated(demo, OFFICE, 2022, 3) == [1, 3, 5, 6, 16, 17, 19]
    line = report_of(demo, OFFICE, 2022, 3).lines.get(assignment__item__position=3)
    assert line.assignment.is_lead is False


def test_office_once_item_appears_only_in_the_month_it_is_due(demo):
    assert generated(demo, OFFICE, 2022, 4) == [1, 5, 16]
    assert generated(demo, OFFICE, 2022, 5) == [1, 5, 16, 23]
    assert generated(demo, OFFICE, 2022, 6) == [1, 5, 6, 9, 16, 17, 19, 25]


def test_organ_committee_december_has_the_yearly_item_and_the_year_end_item(demo):
    assert generated(demo, ORGAN_COMMITTEE, 2022, 12) == [4, 14]


def test_organ_committee_gets_no_report_for_a_month_with_nothing_due(demo):
    monthly_reports_generate(year=2022, month=1)
    assert not MonthlyReport.objects.filter(organisation=demo.org(ORGAN_COMMITTEE), year=2022, month=1).exists()
    assert generated(demo, ORGAN_COMMITTEE, 2022, 11) == [10]


def test_ongoing_item_appears_every_month_of_the_list_year(demo):
    for month in range(1, 13):
        monthly_reports_generate(year=2022, month=month)
    for org_name, ongoing in ((OFFICE, 5), (OFFICE, 16), ("中共示范市商务局机关纪律检查委员会", 24)):
        months = sorted(ReportLine.objects.filter(report__organisation=demo.org(org_name), report__year=2022,
                                                  assignment__item__position=ongoing)
                        .values_list("report__month", flat=True))
        assert months == list(range(1, 13)), (org_name, ongoing)


def test_a_2022_list_puts_nothing_in_2023_reports(demo):
    assert monthly_reports_generate(year=2023, month=1) == 0
    assert not MonthlyReport.objects.filter(year=2023).exists()


def test_may_generation_creates_a_report_for_every_organisation_with_items_due(demo):
    created = monthly_reports_generate(year=2022, month=5)

    # 8 party branches (11, 12), 8 科室 (23; 办公室 also 1, 5, 16; 财务科 also 16), 机关纪委 (24).
    assert created == 17
    assert MonthlyReport.objects.filter(year=2022, month=5).count() == 17
    assert not MonthlyReport.objects.filter(organisation=demo.org(ORGAN_COMMITTEE)).exists()


def test_generation_is_idempotent(demo):
    assert monthly_reports_generate(year=2022, month=6) > 0
    reports = dict(MonthlyReport.objects.values_list("pk", "version"))
    lines = set(ReportLine.objects.values_list("pk", "report_id", "assignment_id", "position"))

    assert monthly_reports_generate(year=2022, month=6) == 0

    assert dict(MonthlyReport.objects.values_list("pk", "version")) == reports
    assert set(ReportLine.objects.values_list("pk", "report_id", "assignment_id", "position")) == lines
    assert ReportEvent.objects.filter(action=ReportEvent.Action.CREATED).count() == len(reports)


def test_opening_a_report_on_demand_is_the_same_report_the_monthly_run_makes(demo):
    zhengwei = demo.user("zhengwei")
    opened = monthly_report_open(actor=zhengwei, organisation=demo.org(BRANCH), year=2022, month=5)
    monthly_reports_generate(year=2022, month=5)

    assert report_of(demo, BRANCH, 2022, 5) == opened
    assert item_positions(opened) == [11, 12]
    with pytest.raises(ValidationError):  # nothing due for the branch in 2023
        monthly_report_open(actor=zhengwei, organisation=demo.org(BRANCH), year=2023, month=1)


def _complete(report, actor):
    report.refresh_from_db()
    monthly_report_save(actor=actor, report=report, version=report.version, lines={
        line.pk: LineInput(status="done", done_text="已按计划完成") for line in report.lines.all()})
    return monthly_report_submit(actor=actor, report=report)


def test_a_list_published_later_adds_lines_to_open_reports_only(demo):
    wumin = demo.user("wumin")
    with at(2022, 5, 1):
        monthly_reports_generate(year=2022, month=5)
    draft = report_of(demo, BRANCH, 2022, 5)
    submitted = _complete(report_of(demo, "机关第二党支部", 2022, 5), demo.user("gaofeng"))
    accepted = monthly_report_accept(actor=wumin, report=_complete(report_of(demo, "机关第三党支部", 2022, 5),
                                                                    demo.user("machao")))
    returned = monthly_report_return(actor=wumin, report=_complete(report_of(demo, "执法一支部", 2022, 5),
                                                                    demo.user("tangliang")), reason="请补充")
    branches = [demo.org(n) for n in (BRANCH, "机关第二党支部", "机关第三党支部", "执法一支部")]
    make_list(actor=wumin, organisations=branches, count=1, prefix="补充事项")

    assert monthly_reports_generate(year=2022, month=5) == 0

    assert draft.lines.count() == 3
    assert returned.lines.count() == 3
    assert submitted.lines.count() == 2
    assert accepted.lines.count() == 2
    assert list(MonthlyReport.objects.filter(pk__in=[submitted.pk, accepted.pk]).values_list("status", flat=True)
                .order_by("pk")) == [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]


@pytest.mark.parametrize(("year", "month", "due"), [
    (2022, 5, datetime.date(2022, 6, 5)),
    (2022, 11, datetime.date(2022, 12, 5)),
    (2022, 12, datetime.date(2023, 1, 5)),
])
def test_report_is_due_on_the_fifth_of_the_following_month(year, month, due):
    assert report_due_on(year, month) == due


def test_generated_december_report_is_due_in_january_of_the_next_year(demo):
    monthly_reports_generate(year=2022, month=12)
    assert report_of(demo, BRANCH, 2022, 12).due_on == datetime.date(2023, 1, 5)


def test_report_due_day_is_configurable(demo, settings):
    settings.REPORT_DUE_DAY = 10
    monthly_reports_generate(year=2022, month=5)
    assert report_of(demo, BRANCH, 2022, 5).due_on == datetime.date(2022, 6, 10)


@pytest.mark.parametrize(("month", "due"), [
    (1, datetime.date(2022, 2, 28)),
    (3, datetime.date(2022, 4, 30)),
    (12, datetime.date(2023, 1, 31)),
])
def test_a_due_day_past_the_end_of_a_short_month_falls_on_its_last_day(settings, month, due):
    settings.REPORT_DUE_DAY = 31
    assert report_due_on(2022, month) == due


def test_hand_built_lists_monthly_items_come_every_month_and_a_once_item_in_its_month(demo):
    wumin, org = demo.user("wumin"), demo.org("执法二支部")
    make_list(actor=wumin, organisations=[org], count=2, prefix="月度事项")
    make_list(actor=wumin, organisations=[org], count=1, frequency=Frequency.ONCE, prefix="限期事项",
              due_on=datetime.date(2022, 8, 15), kind=ListKind.SECRETARY)

    monthly_reports_generate(year=2022, month=7)
    monthly_reports_generate(year=2022, month=8)

    def lines(month):
        report = report_of(demo, "执法二支部", 2022, month)
        return list(report.lines.order_by("position", "id")
                    .values_list("assignment__item__responsibility_list__kind", "assignment__item__position"))

    # Lists in kind order (一岗双责, 主体责任, 支部书记), items in list order; main 11 and 12 are the sample's.
    assert lines(7) == [("dual", 1), ("dual", 2), ("main", 11), ("main", 12)]
    assert lines(8) == [("dual", 1), ("dual", 2), ("main", 11), ("main", 12), ("secretary", 1)]
