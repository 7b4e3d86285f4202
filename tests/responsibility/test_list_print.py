"""Printing a list: every item the user may see (or one unit's part of it) on an A4 sheet without navigation."""
import re

from django.urls import reverse

from responsibility.models import Item


def printed_rows(page: str) -> int:
    tables = re.findall(r'<table data-testid="print-items">.*?</table>', page, flags=re.S)
    return sum(table.count("<tr><td>") for table in tables)


def test_staff_print_the_whole_list_on_a4_without_navigation(demo, client, main_list):
    demo.client_for(client, "wumin")
    page = client.get(reverse("responsibility:print", args=[main_list.pk])).content.decode()
    assert printed_rows(page) == main_list.items.count() == 25
    assert "@page { size: A4" in page and 'class="mainnav"' not in page
    assert "五、纪律建设和党风廉政建设" in page


def test_a_units_part_of_the_list_prints_with_its_name(demo, client, main_list):
    demo.client_for(client, "wumin")
    office = demo.org("办公室")
    page = client.get(reverse("responsibility:print", args=[main_list.pk]), {"organisation": office.pk})
    expected = Item.objects.filter(responsibility_list=main_list, units__organisation=office).distinct().count()
    assert printed_rows(page.content.decode()) == expected == 10
    assert "责任单位：办公室" in page.content.decode()


def test_a_secretary_prints_only_the_items_of_their_organisations(demo, client, main_list):
    demo.client_for(client, "tangliang")
    detail = client.get(reverse("responsibility:detail", args=[main_list.pk]))
    assert f'href="/lists/{main_list.pk}/print/"' in detail.content.decode()
    page = client.get(reverse("responsibility:print", args=[main_list.pk]),
                      {"organisation": demo.org("办公室").pk}).content.decode()
    visible = Item.objects.visible_to(demo.user("tangliang")).filter(responsibility_list=main_list).count()
    assert printed_rows(page) == visible == 3  # items 8, 11 and 12
    assert "责任单位：办公室" not in page


def test_a_list_outside_scope_or_unknown_is_a_404(demo, client, main_list):
    demo.client_for(client, "auditadmin")
    assert client.get(reverse("responsibility:print", args=[main_list.pk])).status_code == 404
    demo.client_for(client, "wumin")
    assert client.get(reverse("responsibility:print", args=[main_list.pk + 999])).status_code == 404
