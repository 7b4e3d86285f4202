"""The secretary's 本月待报, the reviewer queue, the year grid and the report form: content, order, query counts."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Evidence, MonthlyReport, ReportLine, ReportStatus
from reports.services import monthly_report_accept, monthly_report_return, monthly_reports_generate
from responsibility.models import Frequency
from tests.reports.helpers import SHANGHAI, at, make_list, submit_complete

BRANCH = "机关第一党支部"
OFFICE = "办公室"


def report_of(demo, org_name, year, month):
    return MonthlyReport.objects.get(organisation=demo.org(org_name), year=year, month=month)


# ---------------------------------------------------------------- 本月待报

@pytest.fixture
def april(demo):
    """On 8 April 2022: March's reports are due (5 April); the branch's was returned, the office's never sent."""
    with at(2022, 3, 1):
        monthly_reports_generate(year=2022, month=3)
    with at(2022, 4, 1):
        monthly_reports_generate(year=2022, month=4)
    with at(2022, 4, 2):
        submit_complete(report_of(demo, BRANCH, 2022, 3), demo.user("zhengwei"))
    with at(2022, 4, 6):
        monthly_report_return(actor=demo.user("wumin"), report=report_of(demo, BRANCH, 2022, 3),
                              reason="三会一课记录不全")
    return demo


def test_pending_page_lists_the_secretarys_open_reports_with_overdue_days_and_returns(april, client):
    april.client_for(client, "zhengwei")
    with at(2022, 4, 8):
        response = client.get(reverse("reports:pending"))

    rows = [(r.organisation.name, r.month, r.status, r.overdue, r.filled, r.line_count)
            for r in response.context["reports"]]
    assert rows == [
        (BRANCH, 3, ReportStatus.RETURNED, 3, 3, 3),  # returned reports are open again: 3 days past 5 April
        (OFFICE, 3, ReportStatus.DRAFT, 3, 0, 7),
        (BRANCH, 4, ReportStatus.DRAFT, 0, 0, 2),
        (OFFICE, 4, ReportStatus.DRAFT, 0, 0, 3),
    ]
    html = response.content.decode()
    assert html.count("已逾期 3 天") == 2
    assert "驳回原因：三会一课记录不全" in html
    assert "执法一支部" not in html


def test_pending_page_shows_once_and_yearly_items_coming_due(april, client):
    april.client_for(client, "zhengwei")
    with at(2022, 4, 8):
        response = client.get(reverse("reports:pending"))

    # 办公室's item 23 (2022年5月31日) is within two months; item 3 (31 March) is past.
    assert [(a.item.position, a.organisation.name, a.item.final_due_on) for a in response.context["upcoming"]] == [
        (23, OFFICE, datetime.date(2022, 5, 31))]
    html = response.content.decode()
    upcoming = html[html.index('data-testid="upcoming"'):]
    assert "2022-05-31 · 办公室 · <a href=" in upcoming and "开展廉政风险排查" in upcoming


def test_accepted_reports_leave_the_pending_list(april, client):
    with at(2022, 4, 9):
        submit_complete(report_of(april, BRANCH, 2022, 3), april.user("zhengwei"))
        monthly_report_accept(actor=april.user("wumin"), report=report_of(april, BRANCH, 2022, 3))
    april.client_for(client, "zhengwei")

    with at(2022, 4, 10):
        response = client.get(reverse("reports:pending"))

    assert (BRANCH, 3) not in [(r.organisation.name, r.month) for r in response.context["reports"]]
    assert [str(r) for r in response.context["recent"]] == ["机关第一党支部 2022年3月"]
    assert "迟报 4 天" in response.content.decode()


# ---------------------------------------------------------------- reviewer queue

def test_reviewer_queue_lists_submitted_reports_oldest_first(demo, client):
    with at(2022, 6, 1):
        monthly_reports_generate(year=2022, month=5)
    for org, username, day in ((OFFICE, "zhengwei", 3), (BRANCH, "zhengwei", 1), ("执法一支部", "tangliang", 2),
                               ("机关第二党支部", "gaofeng", 7)):
        with at(2022, 6, day):
            submit_complete(report_of(demo, org, 2022, 5), demo.user(username))
    with at(2022, 6, 8):
        monthly_report_return(actor=demo.user("wumin"), report=report_of(demo, "机关第二党支部", 2022, 5),
                              reason="请补充照片")
    demo.client_for(client, "wumin")

    response = client.get(reverse("reports:queue"))

    assert [r.organisation.name for r in response.context["waiting"]] == [BRANCH, "执法一支部", OFFICE]
    assert [r.organisation.name for r in response.context["returned"]] == ["机关第二党支部"]
    html = response.content.decode()
    assert html.index(BRANCH) < html.index("执法一支部") < html.index("<td>办公室</td>")
    assert "待审核 3 份" in html and "请补充照片" in html


def test_reviewer_queue_leaves_out_the_reviewers_own_organisations(demo):
    # 孙丽 is 专职副书记 of 机关党委 and staff: she reviews everyone's reports but 机关党委's own.
    from reports.selectors import review_queue

    with at(2022, 7, 1):
        monthly_reports_generate(year=2022, month=6)
        submit_complete(report_of(demo, "中共示范市商务局机关委员会", 2022, 6), demo.user("sunli"))
        submit_complete(report_of(demo, BRANCH, 2022, 6), demo.user("zhengwei"))

    waiting, _returned = review_queue(user=demo.user("sunli"))
    assert [r.organisation.name for r in waiting] == [BRANCH]
    assert review_queue(user=demo.user("zhengwei")) == ([], [])


# ---------------------------------------------------------------- year grid

def test_year_grid_shows_each_organisations_month_state(demo, client):
    with at(2022, 5, 1):
        monthly_reports_generate(year=2022, month=5)
    with at(2022, 6, 1):
        monthly_reports_generate(year=2022, month=6)
    with at(2022, 6, 3):
        submit_complete(report_of(demo, OFFICE, 2022, 5), demo.user("zhengwei"))
        monthly_report_return(actor=demo.user("wumin"), report=report_of(demo, OFFICE, 2022, 5), reason="补充")
    with at(2022, 6, 7):
        submit_complete(report_of(demo, BRANCH, 2022, 5), demo.user("zhengwei"))
        monthly_report_accept(actor=demo.user("wumin"), report=report_of(demo, BRANCH, 2022, 5))
    with at(2022, 7, 3):
        submit_complete(report_of(demo, BRANCH, 2022, 6), demo.user("zhengwei"))
    demo.client_for(client, "wumin")

    with at(2022, 7, 10):
        response = client.get(reverse("dashboard:grid"), {"year": 2022})

    rows = {org.name: [cell and cell.label for cell in cells] for org, cells in response.context["rows"]}
    none4 = [None] * 4
    assert rows[BRANCH] == none4 + ["审核通过（迟报2天）", "待审核"] + [None] * 6
    assert rows[OFFICE] == none4 + ["驳回（逾期35天）", "已保存（逾期5天）"] + [None] * 6
    assert rows["执法一支部"] == none4 + ["已保存（逾期35天）", "已保存（逾期5天）"] + [None] * 6
    assert "中共示范市商务局机关委员会" in rows  # June: item 2 due 2022年6月底前
    html = response.content.decode()
    for label in ("审核通过（迟报2天）", "驳回（逾期35天）", "已保存（逾期5天）", "待审核"):
        assert f">{label}</a>" in html


def test_year_grid_for_a_secretary_shows_only_their_reach(demo, client):
    monthly_reports_generate(year=2022, month=5)
    demo.client_for(client, "zhengwei")
    with at(2022, 5, 10):
        response = client.get(reverse("dashboard:grid"), {"year": 2022})
    # His branch and office, and 人事科 and 财务科 which his branch covers.
    assert [org.name for org, _ in response.context["rows"]] == [BRANCH, OFFICE, "人事科", "财务科"]


# ---------------------------------------------------------------- query counts: fixed, however much data

PENDING_QUERIES = 11
REPORT_QUERIES = 12
QUEUE_QUERIES = 8
# A reviewer's pages add the 纸上整改 signs (common.review_hints): the fingerprints of what is shown are brought up to
# date (new evidence, new text, at most one insert each) and looked up; a fixed number whatever the lines and files.
REVIEW_HINT_QUERIES = 7
GRID_QUERIES = 14  # the grid page pages its organisations and carries the ranking


def _lots_of_reports(demo):
    """Every 2022 month generated, a list of 60 monthly items for the branch, 30 one-off items coming due."""
    wumin = demo.user("wumin")
    make_list(actor=wumin, organisations=[demo.org(BRANCH)], count=60, prefix="月度事项")
    make_list(actor=wumin, organisations=[demo.org(OFFICE)], count=30, frequency=Frequency.ONCE,
              due_on=datetime.date(2022, 5, 20), kind="secretary", prefix="限期事项")
    for month in range(1, 13):
        monthly_reports_generate(year=2022, month=month)
    lines = ReportLine.objects.filter(report__organisation=demo.org(BRANCH), report__year=2022, report__month=5)
    Evidence.objects.bulk_create([Evidence(line=line, file=f"2022/{line.report_id}/{line.pk}.pdf",
                                           original_name=f"佐证{line.pk}.pdf", size=1024, uploaded_by=wumin)
                                  for line in lines])
    return lines.count()


def _few_reports(demo):
    monthly_reports_generate(year=2022, month=5)
    line = ReportLine.objects.filter(report__organisation=demo.org(BRANCH), report__month=5).first()
    Evidence.objects.create(line=line, file="2022/1/1.pdf", original_name="佐证.pdf", size=1024,
                            uploaded_by=demo.user("wumin"))
    return 2


def _submit_many(demo, count):
    """Mark `count` reports submitted (oldest first) and a few returned, as a month-end queue looks."""
    zhengwei = demo.user("zhengwei")
    pks = list(MonthlyReport.objects.order_by("month", "organisation__sort_order").values_list("pk", flat=True))
    start = timezone.make_aware(datetime.datetime(2022, 12, 1, 9), SHANGHAI)
    for n, pk in enumerate(pks[:count]):
        MonthlyReport.objects.filter(pk=pk).update(status=ReportStatus.SUBMITTED, submitted_by=zhengwei,
                                                   submitted_at=start + datetime.timedelta(minutes=n),
                                                   days_late=n % 3)
    MonthlyReport.objects.filter(pk__in=pks[count:count + 10]).update(
        status=ReportStatus.RETURNED, submitted_at=start, reviewed_at=start, reviewed_by=demo.user("wumin"),
        return_reason="请补充")
    return count


@pytest.fixture(params=["few", "many"])
def data(request, demo):
    with at(2022, 5, 10):
        if request.param == "few":
            return {"lines": _few_reports(demo), "submitted": _submit_many(demo, 1), "demo": demo}
        return {"lines": _lots_of_reports(demo), "submitted": _submit_many(demo, 50), "demo": demo}


def test_pending_page_queries_are_bounded(data, client, django_assert_max_num_queries):
    data["demo"].client_for(client, "zhengwei")
    with at(2022, 5, 10), django_assert_max_num_queries(PENDING_QUERIES):
        response = client.get(reverse("reports:pending"))
    assert response.status_code == 200
    assert len(response.context["reports"]) >= 1


def test_report_page_queries_are_bounded_for_the_secretary_and_the_reviewer(data, client,
                                                                              django_assert_max_num_queries):
    demo = data["demo"]
    report = report_of(demo, BRANCH, 2022, 5)
    MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT)
    demo.client_for(client, "zhengwei")
    with at(2022, 5, 10), django_assert_max_num_queries(REPORT_QUERIES):
        response = client.get(reverse("reports:detail", args=[report.pk]))
    assert len(response.context["lines"]) == data["lines"]
    assert response.content.decode().count("<textarea") == 3 * data["lines"]

    MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    demo.client_for(client, "wumin")
    with at(2022, 5, 10), django_assert_max_num_queries(REPORT_QUERIES + REVIEW_HINT_QUERIES):
        response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.context["can_review"]
    assert response.content.decode().count("review_comment") == data["lines"]


def test_queue_queries_are_bounded(data, client, django_assert_max_num_queries):
    data["demo"].client_for(client, "wumin")
    with at(2022, 12, 10), django_assert_max_num_queries(QUEUE_QUERIES + REVIEW_HINT_QUERIES):
        response = client.get(reverse("reports:queue"))
    assert len(response.context["waiting"]) == data["submitted"]


def test_grid_queries_are_bounded(data, client, django_assert_max_num_queries):
    data["demo"].client_for(client, "wumin")
    with at(2022, 12, 10), django_assert_max_num_queries(GRID_QUERIES):
        response = client.get(reverse("dashboard:grid"), {"year": 2022})
    assert response.context["rows"]


def test_the_old_year_grid_address_leads_to_the_dashboard_grid(demo, client):
    demo.client_for(client, "wumin")
    response = client.get(reverse("reports:grid"), {"year": 2022, "org": 3})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:grid") + "?year=2022&org=3"
