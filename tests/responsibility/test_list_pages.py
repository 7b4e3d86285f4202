"""List pages: grouped by category, filtered, scoped, and within a fixed number of queries."""
from django.urls import reverse

from responsibility.models import Assignment, Item, ListKind, ResponsibilityList
from responsibility.services import responsibility_list_import
from tests.responsibility.conftest import sample


def test_staff_sees_list_grouped_by_category(demo, client, main_list):
    demo.client_for(client, "wumin")
    response = client.get(reverse("responsibility:detail", args=[main_list.pk]))
    assert response.status_code == 200
    assert len(response.context["items"]) == 25
    text = response.content.decode()
    for category in ("一、政治建设", "二、思想建设", "三、组织建设", "四、作风建设", "五、纪律建设和党风廉政建设"):
        assert category in text


def test_filters_by_organisation_category_frequency_and_leader(demo, client, main_list):
    demo.client_for(client, "wumin")
    url = reverse("responsibility:detail", args=[main_list.pk])
    office = demo.org("办公室")
    assert len(client.get(url, {"organisation": office.pk}).context["items"]) == Item.objects.filter(
        responsibility_list=main_list, units__organisation=office).count() == 10
    assert len(client.get(url, {"category": "二、思想建设"}).context["items"]) == 4
    assert len(client.get(url, {"frequency": "monthly"}).context["items"]) == 3
    zhao = demo.user("zhaoqiang").person
    items = client.get(url, {"leader": zhao.pk}).context["items"]
    assert {i.lead_leader_text for i in items} == {"赵强"} and len(items) == 10


def test_bad_filter_values_do_not_break_the_page(demo, client, main_list):
    demo.client_for(client, "wumin")
    url = reverse("responsibility:detail", args=[main_list.pk])
    for params in ({"organisation": "abc"}, {"frequency": "weekly"}, {"leader": "999999"}, {"category": "无此类别"}):
        assert client.get(url, params).status_code == 200


def test_secretary_sees_only_items_assigned_to_their_organisations(demo, client, main_list):
    demo.client_for(client, "tangliang")
    response = client.get(reverse("responsibility:detail", args=[main_list.pk]))
    items = response.context["items"]
    # 执法一支部 is one of 各党支部: items 8, 11 and 12.
    assert [i.seq for i in items] == ["8", "11", "12"]


def test_secretary_gets_404_for_item_of_another_organisation(demo, client, main_list):
    demo.client_for(client, "tangliang")
    office_only = Item.objects.get(responsibility_list=main_list, seq="1")
    assert client.get(reverse("responsibility:item", args=[office_only.pk])).status_code == 404
    own = Item.objects.get(responsibility_list=main_list, seq="8")
    assert client.get(reverse("responsibility:item", args=[own.pk])).status_code == 200


def test_item_page_shows_only_assignments_in_scope(demo, client, main_list):
    demo.client_for(client, "tangliang")
    item = Item.objects.get(responsibility_list=main_list, seq="8")
    response = client.get(reverse("responsibility:item", args=[item.pk]))
    assert [a.organisation.name for a in response.context["assignments"]] == ["执法一支部"]


def test_draft_lists_are_invisible_to_secretaries(demo, client, main_list, risk_list):
    with sample("responsibility_list_2022.xlsx").open("rb") as handle:
        draft = responsibility_list_import(actor=demo.user("wumin"), source=handle, year=2022, kind=ListKind.DUAL)
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("responsibility:detail", args=[draft.pk])).status_code == 404
    listed = client.get(reverse("responsibility:index")).context["lists"]
    assert draft not in listed and main_list in listed


def test_my_responsibilities_for_secretary(demo, client, main_list):
    demo.client_for(client, "zhengwei")
    response = client.get(reverse("my_responsibilities"))
    mine = response.context["assignments"]
    expected = Assignment.objects.filter(organisation__name__in=["机关第一党支部", "办公室"]).count()
    assert len(mine) == expected == 14  # 办公室 10 (1,3,5,6,9,16,17,19,23,25) + 支部 4 (8,11,12,15)
    assert {a.organisation.name for a in mine} == {"机关第一党支部", "办公室"}


def test_leader_view_shows_led_items_and_supervised_units(demo, client, main_list):
    demo.client_for(client, "liming")
    response = client.get(reverse("my_responsibilities"))
    assert [i.seq for i in response.context["led_items"]] == ["7", "15", "18"]
    orgs = {a.organisation.name for a in response.context["supervised"]}
    # Supervised units, the branches covering them and their sub-branches (执法支队党总支 has no item itself).
    assert orgs == {"市场运行科", "电子商务科", "机关第二党支部", "执法一支部", "执法二支部"}


def test_list_pages_stay_within_fixed_queries(demo, client, main_list, risk_list, django_assert_max_num_queries):
    demo.client_for(client, "wumin")
    with django_assert_max_num_queries(15):
        client.get(reverse("responsibility:detail", args=[main_list.pk]))
    with django_assert_max_num_queries(15):
        client.get(reverse("responsibility:detail", args=[risk_list.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("responsibility:index"))
    demo.client_for(client, "zhengwei")
    with django_assert_max_num_queries(15):
        client.get(reverse("my_responsibilities"))
    with django_assert_max_num_queries(15):
        client.get(reverse("responsibility:detail", args=[main_list.pk]))


def test_list_page_queries_do_not_grow_with_items(demo, client, django_assert_max_num_queries, tmp_path):
    from openpyxl import Workbook

    def build(n, year):
        wb = Workbook()
        ws = wb.active
        ws.append(["序号", "责任类别", "责任内容", "责任单位", "完成时限"])
        for i in range(n):
            ws.append([i + 1, f"类别{i % 7}", f"事项{i}", "各党支部、各科室", "每月"])
        path = tmp_path / f"{year}.xlsx"
        wb.save(path)
        with path.open("rb") as handle:
            return responsibility_list_import(actor=demo.user("wumin"), source=handle, year=year)

    small, large = build(5, 2023), build(120, 2024)
    demo.client_for(client, "wumin")
    counts = []
    for rlist in (small, large):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("responsibility:detail", args=[rlist.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert ResponsibilityList.objects.filter(kind=ListKind.MAIN).count() == 2
