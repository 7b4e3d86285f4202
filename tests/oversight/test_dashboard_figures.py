"""Every overview figure equals an independent count (tests/oversight/dashboard_scenario.py), the drill-down behind
each figure lists exactly the rows counted, and the organisation subtree filter narrows all of them."""
import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import CommitteeTerm, Organisation
from rectification.models import Measure, MeasureState, Problem
from reports.models import MonthlyReport
from tests.oversight import dashboard_scenario as s
from tests.reports.helpers import at

INSPECTOR = "chengang"


def get(client, demo, url, *, user=INSPECTOR, day=s.TODAY, **params):
    """GET as `user` with the clock frozen on `day` (10:00 local)."""
    with at(day.year, day.month, day.day):
        demo.client_for(client, user)
        return client.get(url, params)


def overview(client, demo, *, day=s.TODAY, user=INSPECTOR, **params):
    response = get(client, demo, reverse("dashboard:overview"), user=user, day=day, year=s.YEAR, month=s.MONTH,
                   **params)
    assert response.status_code == 200
    return response, response.content.decode()


# ---------------------------------------------------------------- the scenario as the inspector sees it

def test_the_scenario_counts_are_what_the_scenario_says(demo):
    """The independent counts themselves, checked against the scenario as written (so they count the right thing)."""
    names = {r.pk: r.organisation.name
             for r in MonthlyReport.objects.filter(year=2022, month=5).select_related("organisation")}
    sets = {key: sorted(names[pk] for pk in value) for key, value in s.report_sets().items()}
    assert len(sets["all"]) == 17
    assert sets["on_time"] == sorted(s.MAY_ON_TIME)  # 外资科 at 23:30 on the due day is on time
    assert sets["late"] == sorted(s.MAY_LATE)  # 对外贸易科 at 00:30 the day after is late
    assert sets["returned"] == s.MAY_RETURNED and sets["accepted"] == sorted(s.MAY_ACCEPTED)
    assert len(sets["missing"]) == 7 and len(sets["awaiting"]) == 6
    assert s.measure_figures(s.TODAY) == {
        "total": 16, "closed": 6, "overdue": 2, "long_term": 2, "rated": 14, "awaiting_review": 1, "in_progress": 5,
        "not_started": 0, "completion_rate": 42.9}
    # Drafts of March (15), April (6) and May (7): red; 人事科 returned 14 days ago: yellow; measures due 06-30
    # (three): yellow; measures due 03-31 and 05-31: red. No term ends before 2026.
    assert s.alert_counts(s.TODAY) == {"red": 28 + 2, "yellow": 1 + 3, "green": 0}
    assert [row[3] for row in s.trend()[2:6]] == [16.7, 33.3, 29.4, None]  # June is not due on 06-20


def test_report_figures_equal_independent_counts(demo, client):
    response, text = overview(client, demo)
    expected = s.report_figures()
    figures = response.context["o"].reports
    for name in ("total", "submitted", "on_time", "late", "missing", "returned", "accepted", "awaiting"):
        assert getattr(figures, name) == expected[name], name
    assert (figures.submission_rate, figures.on_time_rate) == (expected["submission_rate"], expected["on_time_rate"])
    assert (expected["submission_rate"], expected["on_time_rate"]) == (52.9, 29.4)  # 9 and 5 of 17: 人事科's returned report is open again

    # As rendered.
    assert kpi_value(text, "kpi-submission") == "52.9%"
    assert s.kpi(text, "kpi-submission")[1] == f"已报 {expected['submitted']} / 应报 {expected['total']}"
    assert s.kpi(text, "kpi-on-time") == ("29.4%", f"按时 {expected['on_time']} · 迟报 {expected['late']}")
    assert kpi_value(text, "kpi-missing") == str(expected["missing"])
    assert kpi_value(text, "kpi-returned") == str(expected["returned"])


def kpi_value(text, testid):
    return s.kpi(text, testid)[0]


def test_category_figures_equal_independent_counts(demo, client):
    response, text = overview(client, demo)
    expected = s.category_lines()
    shown = {c["category"]: (c["total"], c["done"], c["rate"]) for c in response.context["o"].categories}
    assert shown == {name: (len(e["all"]), len(e["done"]),
                            round(100 * len(e["done"]) / len(e["all"]), 1)) for name, e in expected.items()}
    assert shown["三、组织建设"] == (16, 5, 31.2)  # eight branches × two lines; in-progress and unfilled lines not done
    # In list order (一、 before 三、 before 四、 before 五、).
    assert [c["category"] for c in response.context["o"].categories] == [
        "一、政治建设", "三、组织建设", "四、作风建设", "五、纪律建设和党风廉政建设"]
    section = re.search(r'data-testid="categories".*?</section>', text, re.S).group(0)
    assert "<td>三、组织建设</td>" in section and ">16</a>" in section and ">5</a>" in section


def test_measure_figures_equal_independent_counts(demo, client):
    response, text = overview(client, demo)
    expected = s.measure_figures(s.TODAY)
    m = response.context["o"].measures
    assert (m.total, m.closed, m.overdue, m.long_term, m.rated, m.awaiting_review, m.in_progress, m.not_started) == (
        expected["total"], expected["closed"], expected["overdue"], expected["long_term"], expected["rated"],
        expected["awaiting_review"], expected["in_progress"], expected["not_started"])
    assert m.completion_rate == expected["completion_rate"] == 42.9  # 6 of 14: 长期坚持 left out
    assert s.kpi(text, "kpi-measures") == ("42.9%", "已销号 6 / 14（共 16 项）")
    assert kpi_value(text, "kpi-overdue") == "2" and kpi_value(text, "kpi-long-term") == "2"


def test_alert_counts_equal_independent_counts(demo, client):
    response, text = overview(client, demo)
    expected = s.alert_counts(s.TODAY)
    assert response.context["o"].alerts == expected
    assert s.alerts_shown(text) == expected


def test_trend_equals_independent_rates(demo, client):
    response, text = overview(client, demo)
    assert [(t["month"], t["total"], t["on_time"], t["rate"]) for t in response.context["o"].trend] == s.trend()
    row = re.search(r"<th>按时率</th>(.*?)</tr>", text, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["—", "—", "17%", "33%", "29%"] + ["—"] * 7


def test_terms_at_demo_day_equal_independent_counts(demo, client):
    """On DEMO_DAY the demo has 离退休干部党支部 expired (2026-01-15) and 机关第二党支部 ending 2026-07-15."""
    response, text = overview(client, demo, day=demo.today)
    o = response.context["o"]
    expected = s.term_sets(demo.today)
    assert (o.terms_expired, o.terms_expiring) == (len(expected["expired"]), len(expected["expiring"])) == (1, 1)
    assert s.kpi(text, "kpi-terms") == ("1", "已届满 · 180 天内届满 1")
    assert o.alerts == s.alert_counts(demo.today)
    assert o.alerts["green"] == 1  # 机关第二党支部: 122 days left, inside the 180-day window only

    listed = get(client, demo, reverse("dashboard:terms"), day=demo.today).context["terms"]
    assert s.ids(listed) == expected["expired"] | expected["expiring"]


def test_a_postponed_term_counts_by_its_new_end(demo, client):
    """换届 postponed: 离退休 (ended 2026-01-15) postponed to 2026-05-01 is no longer expired but ends within 180 days;
    机关第二党支部 (ends 2026-07-15) postponed to 2027-01-10 ends 301 days away: neither expired nor expiring."""
    retired = CommitteeTerm.objects.filter(organisation=demo.org("离退休干部党支部")).latest("elected_on")
    second = CommitteeTerm.objects.filter(organisation=demo.org("机关第二党支部")).latest("elected_on")
    CommitteeTerm.objects.filter(pk=retired.pk).update(postponed_to=datetime.date(2026, 5, 1))
    CommitteeTerm.objects.filter(pk=second.pk).update(postponed_to=datetime.date(2027, 1, 10))
    expected = s.term_sets(demo.today)
    assert expected == {"expired": set(), "expiring": {retired.pk}}

    o = overview(client, demo, day=demo.today)[0].context["o"]
    assert (o.terms_expired, o.terms_expiring) == (0, 1)
    listed = get(client, demo, reverse("dashboard:terms"), day=demo.today).context["terms"]
    assert s.ids(listed) == {retired.pk}
    assert o.alerts == s.alert_counts(demo.today)


def test_an_overdue_report_counts_as_red_even_with_nobody_to_remind(demo, client):
    """A new branch whose secretary is not yet entered: its overdue May report is still a red alert, as the
    drill-down of missing reports lists it (the reminder rules drop a stage nobody can be told of)."""
    branch = Organisation.objects.create(name="机关第四党支部", kind="branch", parent=demo.org(s.ORGAN_COMMITTEE),
                                         sort_order=55)
    report = MonthlyReport.objects.create(organisation=branch, year=2022, month=5, due_on=datetime.date(2022, 6, 5))
    expected = s.alert_counts(s.TODAY)
    assert expected["red"] == 30 + 1
    o = overview(client, demo)[0].context["o"]
    assert o.alerts == expected
    assert report.pk in s.ids(get(client, demo, reverse("dashboard:reports"), year=2022, month=5,
                                  which="missing").context["reports"])


# ---------------------------------------------------------------- drill-downs: the rows behind each figure

REPORT_FIGURES = {"all": "total", "submitted": "submitted", "on_time": "on_time", "late": "late", "missing": "missing",
                  "returned": "returned", "accepted": "accepted", "awaiting": "awaiting"}


@pytest.mark.parametrize("org", [None, s.ORGAN_COMMITTEE])
def test_report_drill_downs_list_exactly_the_reports_counted(demo, client, org):
    root = demo.org(org) if org else None
    org_ids = s.subtree_ids(root.pk) if root else None
    params = {"org": root.pk} if root else {}
    expected = s.report_sets(org_ids)
    for which in REPORT_FIGURES:
        response = get(client, demo, reverse("dashboard:reports"), year=2022, month=5, which=which, **params)
        assert response.status_code == 200
        assert s.ids(response.context["reports"]) == expected[which], which
        assert f"共 {len(expected[which])} 份" in response.content.decode()


@pytest.mark.parametrize("org", [None, s.ORGAN_COMMITTEE])
def test_line_drill_downs_list_exactly_the_lines_counted(demo, client, org):
    root = demo.org(org) if org else None
    params = {"org": root.pk} if root else {}
    expected = s.category_lines(s.subtree_ids(root.pk) if root else None)
    for category, lines in expected.items():
        listed = get(client, demo, reverse("dashboard:lines"), year=2022, month=5, category=category, **params)
        assert s.ids(listed.context["lines"]) == lines["all"], category
        done = get(client, demo, reverse("dashboard:lines"), year=2022, month=5, category=category, done="1", **params)
        assert s.ids(done.context["lines"]) == lines["done"], category
    everything = get(client, demo, reverse("dashboard:lines"), year=2022, month=5, **params).context["lines"]
    assert s.ids(everything) == set().union(*(lines["all"] for lines in expected.values()))


@pytest.mark.parametrize("org", [None, s.ORGAN_COMMITTEE])
def test_measure_drill_downs_list_exactly_the_measures_counted(demo, client, org):
    root = demo.org(org) if org else None
    params = {"org": root.pk} if root else {}
    expected = s.measure_sets(s.TODAY, s.subtree_ids(root.pk) if root else None)
    for status, key in [("rated", "rated"), ("closed", "closed"), ("done", "closed"), ("overdue", "overdue"),
                        ("long_term", "long_term"), ("awaiting_review", "awaiting_review"),
                        ("in_progress", "in_progress"), ("not_started", "not_started")]:
        listed = get(client, demo, reverse("dashboard:measures"), status=status, **params).context["measures"]
        assert s.ids(listed) == expected[key], status
    assert s.ids(get(client, demo, reverse("dashboard:measures"), **params).context["measures"]) == expected["all"]


def drill(client, href):
    """The rows a drill-down link of the page lists."""
    with at(s.TODAY.year, s.TODAY.month, s.TODAY.day):
        response = client.get(html.unescape(href))
    assert response.status_code == 200, href
    return next(response.context[key] for key in ("reports", "lines", "measures", "terms") if key in response.context)


def test_every_figure_on_the_page_links_to_its_rows(demo, client):
    """Follow each link of the page: the list behind it has as many rows as the figure it stands for."""
    # A measure not yet started (state 未启动), so the progress chart has every kind of bar.
    Measure.objects.create(problem=Problem.objects.first(), position=99, text="新增整改措施",
                           due_on=datetime.date(2022, 12, 31), state=MeasureState.OPEN)
    r, m = s.report_figures(), s.measure_figures(s.TODAY)
    assert (m["not_started"], m["in_progress"]) == (1, 5)
    response, text = overview(client, demo)

    reports_part = text.split('data-testid="supervision"')[0]  # 督办问责 figures: tests/oversight/test_supervision_figures.py
    tiles = dict(re.findall(r'<a class="kpi[^"]*" data-testid="([^"]+)" href="([^"]+)"', reports_part))
    expected = {"kpi-submission": r["submitted"], "kpi-on-time": r["on_time"], "kpi-missing": r["missing"],
                "kpi-returned": r["returned"], "kpi-measures": m["rated"], "kpi-overdue": m["overdue"],
                "kpi-long-term": m["long_term"], "kpi-terms": 0}
    assert set(tiles) == set(expected)
    for testid, href in tiles.items():
        assert len(drill(client, href)) == expected[testid], testid

    legend = re.search(r'<ul class="legend">(.*?)</ul>', text, re.S).group(1)
    entries = re.findall(r'<a href="([^"]+)">(\S+) (\d+)</a>', legend)
    assert sum(int(n) for _href, _label, n in entries) == m["total"]
    for href, label, n in entries:
        assert len(drill(client, href)) == int(n), label

    section = re.search(r'data-testid="categories".*?</section>', text, re.S).group(0)
    cells = re.findall(r'<a href="([^"]+)">(\d+)</a>', section)
    assert len(cells) == 2 * len(s.category_lines())
    for href, n in cells:
        assert len(drill(client, href)) == int(n), href


# ---------------------------------------------------------------- the organisation subtree filter

def test_the_subtree_filter_narrows_every_figure(demo, client):
    root = demo.org(s.ORGAN_COMMITTEE)
    org_ids = s.subtree_ids(root.pk)
    assert {o.name for o in Organisation.objects.filter(pk__in=org_ids)} >= {"机关第一党支部", "执法一支部"}
    response, text = overview(client, demo, org=root.pk)
    o = response.context["o"]
    expected = s.report_figures(org_ids)
    assert expected["total"] == 16  # the eight branches' May reports and those of the eight 科室 they cover
    for name in ("total", "submitted", "on_time", "late", "missing", "returned", "accepted", "awaiting"):
        assert getattr(o.reports, name) == expected[name], name
    assert (o.reports.submission_rate, o.reports.on_time_rate) == (
        expected["submission_rate"], expected["on_time_rate"])
    assert {c["category"]: (c["total"], c["done"]) for c in o.categories} == {
        name: (len(e["all"]), len(e["done"])) for name, e in s.category_lines(org_ids).items()}
    m = s.measure_figures(s.TODAY, org_ids)
    assert (o.measures.total, o.measures.closed, o.measures.overdue, o.measures.long_term,
            o.measures.completion_rate) == (m["total"], m["closed"], m["overdue"], m["long_term"], m["completion_rate"])
    assert m["total"] == 14  # 机关党委 5, 各党支部 1, and the covered 办公室 4, 人事科 3, 财务科 1
    assert o.alerts == s.alert_counts(s.TODAY, org_ids)
    assert [(t["month"], t["total"], t["on_time"], t["rate"]) for t in o.trend] == s.trend(org_ids)
    assert f"监督看板 · {root.name}" in text

    on_demo_day = overview(client, demo, day=demo.today, org=root.pk)[0].context["o"]
    terms = s.term_sets(demo.today, org_ids)
    assert (on_demo_day.terms_expired, on_demo_day.terms_expiring) == (len(terms["expired"]), len(terms["expiring"]))
    assert on_demo_day.alerts == s.alert_counts(demo.today, org_ids)


def test_a_branch_subtree_is_the_branch_and_the_departments_it_covers(demo, client):
    branch = demo.org("机关第三党支部")
    org_ids = s.subtree_ids(branch.pk)
    assert {o.name for o in Organisation.objects.filter(pk__in=org_ids)} == {"机关第三党支部", "对外贸易科", "外资科",
                                                                            "法规科"}
    o = overview(client, demo, org=branch.pk)[0].context["o"]
    expected = s.report_figures(org_ids)
    assert (o.reports.total, o.reports.accepted, o.reports.late) == (expected["total"], expected["accepted"],
                                                                     expected["late"]) == (4, 1, 2)
    assert o.measures.total == len(s.measure_sets(s.TODAY, org_ids)["all"])


# ---------------------------------------------------------------- grid and ranking

def test_grid_cells_show_each_report_state_in_words(demo, client):
    response = get(client, demo, reverse("dashboard:grid"), year=2022)
    rows = {org.name: cells for org, cells in response.context["rows"]}
    assert sum(1 for cells in rows.values() for c in cells if c) == MonthlyReport.objects.filter(year=2022).count()
    assert rows["人事科"][4].label == "驳回（逾期15天）"  # returned: open again, overdue as of today
    assert rows["财务科"][4].label == "审核通过（迟报3天）"
    assert rows["外资科"][4].label == "待审核"
    assert rows["法规科"][4].label == "已保存（逾期15天）"
    assert rows["法规科"][5].label == "已保存"  # June: not yet due
    text = response.content.decode()
    assert "驳回（逾期15天）" in text and 'data-testid="grid"' in text
    # Each row leads to the organisation's page (its history), each cell to the report.
    hr = demo.org("人事科")
    assert f'href="{reverse("branches:detail", args=[hr.pk])}"' in text
    assert f'href="{reverse("reports:detail", args=[rows["人事科"][4].pk])}"' in text
    assert get(client, demo, reverse("branches:detail", args=[hr.pk])).status_code == 200


def test_ranking_equals_independent_counts(demo, client):
    ranking = get(client, demo, reverse("dashboard:grid"), year=2022).context["ranking"]
    due = [r for r in MonthlyReport.objects.filter(year=2022) if r.due_on <= s.TODAY]
    overdue = s.measure_sets(s.TODAY)["overdue"]
    per_org = {}
    for org in Organisation.objects.all():
        mine = [r for r in due if r.organisation_id == org.pk]
        sent = [r for r in mine if r.status in ("submitted", "accepted")]  # a returned report is open again
        on_time = [r for r in sent if timezone.localtime(r.submitted_at).date() <= r.due_on]
        measures = {m.pk for m in Measure.objects.filter(pk__in=overdue, units__organisation=org)}
        if mine or measures:
            per_org[org.name] = (len(mine), len(on_time), len(mine) - len(sent), len(measures))
    assert {row["organisation"].name: (row["total"], row["on_time"], row["missing"], row["overdue_measures"])
            for row in ranking} == per_org
    # By on-time rate, then by overdue items (missing reports and overdue measures), then in tree order.
    orgs = {o.name: o for o in Organisation.objects.all()}
    order = sorted(per_org, key=lambda name: (
        -(100 * per_org[name][1] / per_org[name][0] if per_org[name][0] else -1),
        per_org[name][2] + per_org[name][3], orgs[name].sort_order))
    assert [row["organisation"].name for row in ranking] == order


# ---------------------------------------------------------------- charts offline

def test_charts_are_inline_svg_with_no_external_urls(demo, client):
    response, text = overview(client, demo)
    assert text.count("<svg") >= 2
    chart = re.search(r"<svg[^>]*各月按时报送率.*?</svg>", text, re.S).group(0)
    assert len(re.findall(r"<circle", chart)) == 3  # March, April, May
    assert "<polyline" in chart
    bar = re.search(r"<svg[^>]*整改措施状态分布.*?</svg>", text, re.S).group(0)
    assert len(re.findall(r"<rect", bar)) == 5  # closed, awaiting review, in progress, overdue, long-term
    urls = re.findall(r'(?:src|href)\s*=\s*["\']?([^"\' >]+)', text, re.I)
    assert urls and not [u for u in urls if re.match(r"(https?:)?//", u, re.I)]
    # The charts need no script; the only ones are the scope picker's search and the header's to-do count, served
    # locally.
    assert re.findall(r"<script[^>]*>", text, re.I) == ['<script src="/static/js/orgpicker.js" defer>',
                                                        '<script src="/static/js/site.js" defer>']


def test_alerts_break_down_by_kind_and_the_red_measures_are_the_overdue_measures(demo, client):
    with at(s.TODAY.year, s.TODAY.month, s.TODAY.day):
        demo.client_for(client, "chengang")
        response = client.get(reverse("dashboard:overview"))
    o = response.context["o"]
    rows = {row["key"]: row for row in o.alert_rows}
    for colour in ("red", "yellow", "green"):
        assert sum(row[colour] for row in o.alert_rows) == o.alerts[colour] == s.alert_counts(s.TODAY)[colour]
    assert rows["measure_levels"]["red"] == o.measures.overdue > 0
    page = response.content.decode()
    assert "dashboard/measures/?" in page.split('data-kind="measure_levels"')[1].split("</tr>")[0]
    assert "因此大于上方“逾期整改措施”" in page
