"""Who sees which dashboard: inspectors and staff the whole agency, a 分管 leader the units they supervise, a
secretary their own organisations; another organisation's subtree is 404; malformed parameters do not break pages."""
import pytest
from django.urls import reverse

from branches.models import Organisation
from branches.scope import scope_for
from tests.oversight import dashboard_scenario as s
from tests.reports.helpers import at

PAGES = ["overview", "grid", "reports", "lines", "measures", "terms", "export"]
REPORT_KEYS = ("total", "submitted", "on_time", "late", "missing", "returned", "accepted", "awaiting")


def get(client, demo, username, url, **params):
    with at(s.TODAY.year, s.TODAY.month, s.TODAY.day):
        demo.client_for(client, username)
        return client.get(url, params)


def overview_as(client, demo, username, **params):
    params = {"year": 2022, "month": 5, **params}
    response = get(client, demo, username, reverse("dashboard:overview"), **params)
    assert response.status_code == 200
    return response.context["o"]


def assert_figures_over(o, org_ids):
    """Every overview figure equals the independent count over `org_ids` (None: the whole agency)."""
    expected = s.report_figures(org_ids)
    assert {key: getattr(o.reports, key) for key in REPORT_KEYS} == {key: expected[key] for key in REPORT_KEYS}
    assert (o.reports.submission_rate, o.reports.on_time_rate) == (
        expected["submission_rate"], expected["on_time_rate"])
    assert {c["category"]: (c["total"], c["done"]) for c in o.categories} == {
        name: (len(e["all"]), len(e["done"])) for name, e in s.category_lines(org_ids).items()}
    m = s.measure_figures(s.TODAY, org_ids)
    assert (o.measures.total, o.measures.closed, o.measures.overdue, o.measures.long_term,
            o.measures.completion_rate) == (m["total"], m["closed"], m["overdue"], m["long_term"], m["completion_rate"])
    terms = s.term_sets(s.TODAY, org_ids)
    assert (o.terms_expired, o.terms_expiring) == (len(terms["expired"]), len(terms["expiring"]))
    assert o.alerts == s.alert_counts(s.TODAY, org_ids)
    assert [(t["month"], t["total"], t["on_time"], t["rate"]) for t in o.trend] == s.trend(org_ids)


def names(org_ids):
    return set(Organisation.objects.filter(pk__in=org_ids).values_list("name", flat=True))


@pytest.mark.parametrize("username", ["chengang", "zhoutao", "wumin", "sunli"])
def test_inspectors_and_staff_see_the_whole_agency(demo, client, username):
    o = overview_as(client, demo, username)
    assert o.subtree.org_ids is None
    assert_figures_over(o, None)
    assert o.reports.total == 17


def test_a_leader_sees_the_units_he_supervises(demo, client):
    """李明 supervises 市场运行科, 电子商务科 and 执法支队: with the branches covering them and their subtrees."""
    scope = scope_for(demo.user("liming"))
    assert names(scope.org_ids) == {
        "中共示范市商务局党组",  # where his own post is (not its subtree)
        "市场运行科", "电子商务科", "市商务综合行政执法支队", "机关第二党支部", "市商务综合行政执法支队党总支",
        "执法一支部", "执法二支部"}
    o = overview_as(client, demo, "liming")
    assert o.subtree.org_ids == scope.org_ids
    assert_figures_over(o, scope.org_ids)
    assert (o.reports.total, o.reports.on_time, o.reports.late, o.reports.missing) == (5, 2, 1, 2)

    # His supervised branch with the two departments it covers.
    branch = demo.org("机关第二党支部")
    assert names(s.subtree_ids(branch.pk)) == {"机关第二党支部", "市场运行科", "电子商务科"}
    assert_figures_over(overview_as(client, demo, "liming", org=branch.pk), s.subtree_ids(branch.pk))
    # The drill-downs list his reports only.
    listed = get(client, demo, "liming", reverse("dashboard:reports"), year=2022, month=5).context["reports"]
    assert s.ids(listed) == s.report_sets(scope.org_ids)["all"]


def test_a_secretary_sees_his_own_organisations(demo, client):
    """郑伟: 机关第一党支部 (书记, with the 办公室, 人事科 and 财务科 it covers) and 办公室 (负责人)."""
    scope = scope_for(demo.user("zhengwei"))
    assert names(scope.org_ids) == {"机关第一党支部", "办公室", "人事科", "财务科"}
    o = overview_as(client, demo, "zhengwei")
    assert_figures_over(o, scope.org_ids)
    assert (o.reports.total, o.reports.returned, o.reports.accepted) == (4, 1, 2)
    assert o.measures.total == 9  # 办公室 4, 人事科 3, 财务科 1, and the one of every branch

    for name in ("reports", "lines", "measures", "terms"):
        response = get(client, demo, "zhengwei", reverse(f"dashboard:{name}"), year=2022, month=5)
        assert response.status_code == 200
    grid = get(client, demo, "zhengwei", reverse("dashboard:grid"), year=2022).context
    assert {org.name for org, _cells in grid["rows"]} == names(scope.org_ids)
    assert {row["organisation"].name for row in grid["ranking"]} <= names(scope.org_ids)
    # The scope picker lists no organisation in the page; its search offers his organisations only.
    text = get(client, demo, "zhengwei", reverse("dashboard:overview")).content.decode()
    assert 'name="org"' in text and "<option" not in text.split('data-org-picker')[1].split("</div>")[0]
    found = get(client, demo, "zhengwei", reverse("branches:search"), q="支部").json()["results"]
    assert [row["name"] for row in found] == ["机关第一党支部"]


def test_a_subtree_outside_the_scope_is_404(demo, client):
    outside = [demo.org("执法一支部").pk, demo.org(s.ORGAN_COMMITTEE).pk, 99999999]
    for page in PAGES:
        for org_id in outside:
            response = get(client, demo, "zhengwei", reverse(f"dashboard:{page}"), year=2022, month=5, org=org_id)
            assert response.status_code == 404, (page, org_id)
        assert get(client, demo, "zhengwei", reverse(f"dashboard:{page}"), year=2022, month=5,
                   org=demo.org("机关第一党支部").pk).status_code == 200


def test_a_leader_cannot_widen_his_view_with_a_root_above_it(demo, client):
    """李明 sees 局党组 itself (his post) but not its subtree: choosing it gives his scope, not the agency."""
    scope = scope_for(demo.user("liming"))
    o = overview_as(client, demo, "liming", org=demo.org("中共示范市商务局党组").pk)
    assert o.subtree.org_ids == scope.org_ids
    assert_figures_over(o, scope.org_ids)


def test_an_administrator_is_sent_to_the_admin_site_not_an_empty_dashboard(demo, client):
    """三员分立: the system administrator has no business figures, so the dashboard and its export send him to the
    admin site; their figures over his (empty) scope are all zero."""
    for page in ("overview", "grid", "export"):
        response = get(client, demo, "sysadmin", reverse(f"dashboard:{page}"), year=2022, month=5)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index"), page
    from oversight.dashboard import overview
    o = overview(user=demo.user("sysadmin"), year=2022, month=5, root=None, today=s.TODAY)
    assert (o.reports.total, o.measures.total, o.terms_expired, o.terms_expiring) == (0, 0, 0, 0)
    assert o.alerts == {"green": 0, "yellow": 0, "red": 0} and o.categories == []


MALFORMED = [
    {"year": "abc", "month": "xyz"}, {"year": "2022.5", "month": "5月"}, {"year": "99999", "month": "13"},
    {"year": "-1", "month": "0"}, {"year": "", "month": ""}, {"year": ["2022", "2021"], "month": "5"},
    {"year": "2022", "month": "5", "org": ""},
]
PAGE_PARAMS = {"reports": {"which": "nonsense"}, "measures": {"status": "nonsense"},
               "lines": {"done": "yes", "category": "没有这个类别"}}


def test_malformed_parameters_fall_back_to_defaults(demo, client):
    for params in MALFORMED:
        for page in ("overview", "export"):
            response = get(client, demo, "chengang", reverse(f"dashboard:{page}"), **params)
            assert response.status_code == 200, (page, params)
    for page in PAGES:
        params = {**MALFORMED[0], **PAGE_PARAMS.get(page, {})}
        response = get(client, demo, "chengang", reverse(f"dashboard:{page}"), **params)
        assert response.status_code == 200, (page, params)


def test_a_malformed_organisation_is_404_never_an_error(demo, client):
    for org in ["abc", "1.5", "1e3", "-1", "0", "99999999999999999999999999"]:
        response = get(client, demo, "chengang", reverse("dashboard:overview"), year=2022, month=5, org=org)
        assert response.status_code == 404, org
    for page in PAGES:
        response = get(client, demo, "chengang", reverse(f"dashboard:{page}"), year=2022, month=5, org="abc")
        assert response.status_code == 404, page


def test_the_default_month_is_the_last_one_due_malformed_or_not(demo, client):
    """With no month, or a malformed one, the overview shows the last month whose reports are due (May on 06-20)."""
    for params in ({}, {"year": "abc", "month": "xyz"}, {"year": "2022", "month": "13"}):
        response = get(client, demo, "chengang", reverse("dashboard:overview"), **params)
        o = response.context["o"]
        assert (o.year, o.month, o.today) == (2022, 5, s.TODAY), params
        assert o.reports.total == s.report_figures()["total"] == 17


def test_logged_out_visitors_are_sent_to_the_login_page(db, client):
    for page in PAGES:
        response = client.get(reverse(f"dashboard:{page}"))
        assert response.status_code == 302 and "/login" in response["Location"]


def test_before_the_deadline_the_dashboard_opens_on_the_month_before_and_marks_a_chosen_month_not_due(demo, client):
    """On 2022-06-03 May's reports are due on 06-05: the overview opens on April, and May, if chosen, says it is
    not due yet instead of counting every report as 未报送."""
    with at(2022, 6, 3):
        demo.client_for(client, "chengang")
        opened = client.get(reverse("dashboard:overview"))
        assert (opened.context["o"].year, opened.context["o"].month) == (2022, 4)
        assert opened.context["not_due"] is False and 'data-testid="not-due"' not in opened.content.decode()
        may = client.get(reverse("dashboard:overview"), {"year": 2022, "month": 5})
    page = may.content.decode()
    assert may.context["not_due"] is True
    assert "2022 年 5 月月报的截止日为 2022-06-05，未到截止日" in page and "尚未报送（未到截止日）" in page
    with at(2022, 6, 6):
        demo.client_for(client, "chengang")
        assert client.get(reverse("dashboard:overview")).context["o"].month == 5
