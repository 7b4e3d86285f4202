"""Labels said once: an overdue measure reads 逾期 N 天 (not 逾期 逾期 N 天); a monthly item reads 每月 once."""
import datetime
import re

from django.urls import reverse

from rectification.models import Measure
from responsibility.models import Item
from tests.rectification.conftest import travel
from tests.reports.helpers import make_list

DEMO_DAY = datetime.date(2026, 3, 15)


def test_an_overdue_measure_says_overdue_once_with_its_days(demo, client, ledger):
    demo.client_for(client, "chengang")
    with travel(DEMO_DAY):
        overdue = next(m for m in Measure.objects.with_status(DEMO_DAY) if m.status == "overdue")
        page = client.get(reverse("rectification:measure", args=[overdue.pk])).content.decode()
    head = page[page.index('<div class="page-head">'):page.index('data-testid="print-link"')]
    days = overdue.days_overdue(DEMO_DAY)
    assert re.sub(r"<[^>]+>", " ", head).split().count("逾期") == 1
    assert f"逾期 {days} 天" in head
    assert overdue.due_on_unless_written is None  # its wording (…年…月…) says the date already: not repeated
    assert overdue.due_on.isoformat() not in page.split("整改时限")[1].split("</dd>")[0]


def test_a_monthly_item_shows_its_frequency_once(demo, client):
    rlist = make_list(actor=demo.user("wumin"), organisations=[demo.org("办公室")], count=1, prefix="频次事项")
    item = Item.objects.get(responsibility_list=rlist)
    Item.objects.filter(pk=item.pk).update(deadline_text="每月")  # as agencies write it in the 完成时限 column
    item.refresh_from_db()
    assert item.deadline_text == item.get_frequency_display() == "每月"
    demo.client_for(client, "zhengwei")
    for url in (reverse("responsibility:detail", args=[rlist.pk]), reverse("responsibility:item", args=[item.pk]),
                reverse("my_responsibilities")):
        page = client.get(url).content.decode()
        assert '<span class="tag">每月</span>' not in page, url
