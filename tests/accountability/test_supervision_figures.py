"""The 纪检 dashboard's 督办/约谈/问责 figures: counted by hand (supervision_scenario), each drillable to as many rows as
it shows, narrowed by scope and subtree, 问责 only for the roles that may read it (and the read is logged)."""
import re

import pytest
from django.urls import reverse

from accountability.models import AccessLog
from tests.accountability import supervision_scenario as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(demo, on_demo_day):
    return s.build(demo)


def _page(client, demo, username, **params):
    demo.client_for(client, username)
    response = client.get(reverse("dashboard:overview"), {"year": s.YEAR, "month": 2, **params})
    assert response.status_code == 200
    return response, response.content.decode()


def _rows(client, href):
    response = client.get(href.replace("&amp;", "&"))
    assert response.status_code == 200, href
    table = re.search(r'data-testid="drill-rows">(.*?)</table>', response.content.decode(), re.S).group(1)
    body = table.split("<tbody>")[1]
    return [row for row in re.findall(r"<tr>(.*?)</tr>", body, re.S) if "没有记录" not in row]


def _tiles(text):
    section = re.search(r'data-testid="supervision".*?</section>', text, re.S).group(0)
    tiles = re.findall(r'<a class="kpi[^"]*" data-testid="([^"]+)" href="([^"]+)"><span class="kpi-label">[^<]*</span>'
                       r'<span class="kpi-value">(\d+)</span>', section)
    forms = re.findall(r'data-testid="form-(\w+)" href="([^"]+)">[^<]* (\d+)</a>', section)
    return {t: (href, int(n)) for t, href, n in tiles}, {f: (href, int(n)) for f, href, n in forms}


def test_inspector_sees_the_years_supervision_figures_counted_by_hand(story, demo, client):
    response, text = _page(client, demo, "chengang")
    f = response.context["duban"]
    assert (f.supervise, f.assign, f.recipients, f.acked_on_time, f.replied_on_time, f.overdue, f.talks,
            f.talk_people, f.records, f.people_held) == tuple(s.ALL[k] for k in (
                "supervise", "assign", "recipients", "acked_on_time", "replied_on_time", "overdue", "talks",
                "talk_people", "records", "people_held"))
    assert f.by_form == {"first": 1, "second": 1, "third": 0, "fourth": 0}


def test_every_supervision_figure_drills_to_as_many_rows(story, demo, client):
    _response, text = _page(client, demo, "chengang")
    tiles, forms = _tiles(text)
    assert {k: n for k, (_h, n) in tiles.items()} == {
        "kpi-duban-issued": 1, "kpi-duban-acked": 2, "kpi-duban-replied": 1, "kpi-duban-overdue": 1,
        "kpi-talks": 3, "kpi-records": 2}
    for testid in ("kpi-duban-issued", "kpi-duban-acked", "kpi-duban-replied", "kpi-duban-overdue", "kpi-records"):
        href, n = tiles[testid]
        assert len(_rows(client, href)) == n, testid
    talk_rows = _rows(client, tiles["kpi-talks"][0])
    assert len(talk_rows) == s.ALL["talks"]
    assert {k: n for k, (_h, n) in forms.items()} == {"first": 1, "second": 1, "third": 0, "fourth": 0}
    for form, (href, n) in forms.items():
        assert len(_rows(client, href)) == n, form
    overdue = _rows(client, tiles["kpi-duban-overdue"][0])
    assert "执法一支部" in overdue[0] and "撤回的督办" not in "".join(overdue)


def test_a_secretary_sees_only_his_units_rows_and_no_accountability_records(story, demo, client):
    response, text = _page(client, demo, "tangliang")
    f = response.context["duban"]
    assert (f.supervise, f.assign, f.recipients, f.acked_on_time, f.replied_on_time, f.overdue, f.talk_people) == (
        1, 0, 1, 0, 0, 1, 3)
    tiles, forms = _tiles(text)
    assert "kpi-records" not in tiles and not forms and "问责" not in re.search(
        r'data-testid="supervision".*?</section>', text, re.S).group(0).replace("督办问责", "")
    assert len(_rows(client, tiles["kpi-duban-overdue"][0])) == 1
    assert client.get(reverse("dashboard:records"), {"year": s.YEAR}).status_code == 404
    assert client.get(reverse("dashboard:records"), {"year": s.YEAR, "form": "first"}).status_code == 404


def test_the_subtree_filter_narrows_the_supervision_figures(story, demo, client):
    branch = demo.org("执法一支部")
    response, text = _page(client, demo, "chengang", org=branch.pk)
    f = response.context["duban"]
    assert (f.supervise, f.assign, f.recipients, f.acked_on_time, f.overdue, f.talks, f.talk_people, f.records) == (
        tuple(s.BRANCH[k] for k in ("supervise", "assign", "recipients", "acked_on_time", "overdue", "talks",
                                    "talk_people", "records")))
    tiles, _forms = _tiles(text)
    assert len(_rows(client, tiles["kpi-duban-acked"][0])) == 0
    assert len(_rows(client, tiles["kpi-duban-overdue"][0])) == 1


def test_opening_the_accountability_drill_down_is_logged(story, demo, client):
    _page(client, demo, "chengang")
    before = AccessLog.objects.count()
    rows = _rows(client, reverse("dashboard:records") + f"?year={s.YEAR}&form=second")
    assert len(rows) == 1 and "组织调整" in rows[0]
    log = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.user.username, log.action) == ("chengang", "list") and "form=second" in log.detail


def test_a_malformed_drill_down_parameter_answers_with_every_row_not_an_error(story, demo, client):
    demo.client_for(client, "chengang")
    for url, params in ((reverse("dashboard:instructions"), {"which": "nonsense", "year": "x"}),
                        (reverse("dashboard:instructions"), {"which": "issued", "kind": "<x>", "year": s.YEAR}),
                        (reverse("dashboard:records"), {"form": "fifth", "year": s.YEAR})):
        assert client.get(url, params).status_code == 200
    assert len(_rows(client, reverse("dashboard:instructions") + f"?year={s.YEAR}&which=issued&kind=bad")) == 2


DRILL_QUERIES = 14


def test_drill_down_queries_do_not_grow_with_the_rows(story, demo, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accountability.helpers import issue

    demo.client_for(client, "chengang")
    urls = [reverse("dashboard:instructions") + f"?year={s.YEAR}&which=issued",
            reverse("dashboard:instructions") + f"?year={s.YEAR}&which=all",
            reverse("dashboard:talks") + f"?year={s.YEAR}", reverse("dashboard:records") + f"?year={s.YEAR}"]

    def counts():
        found = []
        for url in urls:
            client.get(url)  # warm the scope and content-type caches
            with django_assert_max_num_queries(DRILL_QUERIES), CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    few = counts()
    for _n in range(4):
        issue(demo, "chengang", ["办公室", "执法一支部", "机关第一党支部"])
    assert len(_rows(client, urls[1])) == s.ALL["recipients"] + 12
    assert counts() == few


@pytest.mark.parametrize("username", ["chengang", "tangliang"])
def test_the_accountability_overview_figures_open_as_many_rows(story, demo, client, username):
    demo.client_for(client, username)
    text = client.get(reverse("accountability:overview"), {"year": s.YEAR}).content.decode()
    tiles = re.findall(r'<a class="kpi[^"]*" data-testid="(kpi-[\w-]+)" href="([^"]+)"><span class="kpi-label">[^<]*'
                       r'</span><span class="kpi-value">(\d+)</span>', text)
    assert {t for t, _h, _n in tiles} >= {"kpi-issued", "kpi-acked", "kpi-replied", "kpi-overdue", "kpi-talks"}
    for testid, href, n in tiles:
        if testid == "kpi-talks":  # 人次: the drill-down lists the talks and totals the people
            page = client.get(href.replace("&amp;", "&")).content.decode()
            assert f"{n} 人次" in page, testid
        elif testid.startswith("kpi-form-"):
            continue  # the 问责 list page (logged) is tested in test_records_confidential
        else:
            href = href.replace("&amp;", "&")
            found = _rows(client, href) if "dashboard" in href else re.findall(
                r"<tr>\s*<td><a href=\"/accountability/instructions/", client.get(href).content.decode())
            assert len(found) == int(n), testid


def _export_block(client, demo, username):
    import io

    from openpyxl import load_workbook

    demo.client_for(client, username)
    response = client.get(reverse("dashboard:export"), {"year": s.YEAR, "month": 2})
    ws = load_workbook(io.BytesIO(response.content))["总览"]
    rows = [tuple(c.value for c in row[:2]) for row in ws.iter_rows()]
    start = rows.index((f"{s.YEAR}年督办问责", "数值"))
    return dict(rows[start + 1:])


def test_the_dashboard_export_carries_the_supervision_figures(story, demo, client):
    block = _export_block(client, demo, "chengang")
    assert block == {"督办单（份）": 1, "交办（件）": 1, "承办（家次）": 3, "按时签收（家次）": 2, "按时反馈（家次）": 1,
                     "逾期未反馈（家次）": 1, "约谈（人次）": 3, "约谈（次）": 2, "问责（起）": 2, "问责个人": 1,
                     "问责单位": 1, "问责·第一种形态": 1, "问责·第二种形态": 1, "问责·第三种形态": 0,
                     "问责·第四种形态": 0}
    secretary = _export_block(client, demo, "tangliang")
    assert not any(label.startswith("问责") for label in secretary)
    assert (secretary["承办（家次）"], secretary["逾期未反馈（家次）"]) == (1, 1)
