"""The header search: finds organisations, list items, measures, problems and report lines within the user's scope."""
from django.urls import reverse

from reports.models import MonthlyReport
from reports.services import monthly_reports_generate
from tests.reports.helpers import at, fill, make_list


def found(client, query):
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code == 200
    return {section.label: [hit.title for hit in section.hits] for section in response.context["sections"]}


def test_secretary_finds_their_own_items_and_report_lines_but_not_another_branchs(demo, client):
    wumin = demo.user("wumin")
    make_list(actor=wumin, organisations=[demo.org("机关第一党支部")], count=1, prefix="廉政谈心谈话专项")
    make_list(actor=wumin, organisations=[demo.org("执法一支部")], count=1, prefix="执法案卷评查专项")
    with at(2022, 5, 10):
        monthly_reports_generate(year=2022, month=5)
        report = MonthlyReport.objects.get(organisation=demo.org("机关第一党支部"), year=2022, month=5)
        fill(report, demo.user("zhengwei"), text="召开廉政谈心谈话会议三次")
    demo.client_for(client, "zhengwei")
    mine = found(client, "廉政谈心谈话")
    assert mine["清单事项"] == ["廉政谈心谈话专项01"]
    assert mine["月度报告事项"] == ["廉政谈心谈话专项01"]
    assert found(client, "执法案卷评查") == {}  # another branch's item: not found, not hinted at
    assert found(client, "第一党支部")["组织"] == ["机关第一党支部"]

    demo.client_for(client, "chengang")  # inspectors search the whole agency
    assert found(client, "执法案卷评查")["清单事项"] == ["执法案卷评查专项01"]
    assert found(client, "廉政 三次")["月度报告事项"] == ["廉政谈心谈话专项01"]  # every word must match


def test_empty_or_overlong_queries_answer_without_error(demo, client):
    demo.client_for(client, "zhengwei")
    assert found(client, "") == {}
    response = client.get(reverse("search:search"), {"q": "字" * 500})
    assert response.status_code == 200 and "关键词不能超过100个字" in response.content.decode()
    demo.client_for(client, "auditadmin")  # 三员 search nothing: the page sends them to the admin site
    assert client.get(reverse("search:search"), {"q": "支部"}).url == reverse("admin:index")
