"""Printing the ledger: a unit's measures (or the filtered ledger) on an A4 sheet for 巡察, within scope."""
import datetime
import re

from django.urls import reverse

from rectification.models import Measure, MeasureUnit
from tests.rectification.conftest import BRANCH_PLANS, travel

DEMO_DAY = datetime.date(2026, 3, 15)


def printed(client, **params):
    response = client.get(reverse("rectification:print"), params)
    assert response.status_code == 200
    page = response.content.decode()
    table = re.search(r'<table data-testid="print-measures">.*?</table>', page, flags=re.S).group(0)
    return page, table.count("data-status=")


def test_a_units_ledger_prints_its_measures_with_its_name(demo, client, ledger):
    demo.client_for(client, "chengang")
    hr = demo.org("人事科")
    with travel(DEMO_DAY):
        page, rows = printed(client, department=hr.pk)
    expected = Measure.objects.filter(pk__in=MeasureUnit.objects.filter(organisation=hr).values("measure_id")).count()
    assert rows == expected == 3
    assert "人事科整改台账" in page and "整改措施 3 项" in page
    assert "@page { size: A4" in page and 'class="mainnav"' not in page


def test_the_ledger_page_links_to_the_print_with_its_filters(demo, client, ledger):
    demo.client_for(client, "chengang")
    hr = demo.org("人事科")
    page = client.get(reverse("rectification:ledger"), {"department": hr.pk}).content.decode()
    assert f'href="/rectification/print/?department={hr.pk}"' in page
    with travel(DEMO_DAY):
        _page, rows = printed(client, status="overdue")
    assert rows == 7


def test_a_secretary_prints_only_their_measures_and_another_unit_is_a_404(demo, client, ledger):
    demo.client_for(client, "tangliang")
    page, rows = printed(client)
    assert rows == 1 and BRANCH_PLANS in page
    assert client.get(reverse("rectification:print"), {"department": demo.org("人事科").pk}).status_code == 404
    assert client.get(reverse("rectification:print"), {"department": "abc"}).status_code == 200


def test_the_ledger_shows_a_deadline_once_and_the_parsed_date_only_when_the_wording_lacks_it(demo, client, ledger):
    written = Measure.objects.filter(deadline_text__contains="年", due_on__isnull=False).first()
    assert written.due_on_unless_written is None
    demo.client_for(client, "chengang")
    page = client.get(reverse("rectification:ledger")).content.decode()
    assert f"<td>{written.deadline_text}</td>" in page
    assert f"<td>{written.deadline_text}<br>" not in page
    written.deadline_text = "巡察组反馈后三个月内"
    assert written.due_on_unless_written == written.due_on
