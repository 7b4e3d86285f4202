"""我的责任 shows, next to each assignment, its line in the latest monthly report — for a 分管 leader too."""
import re

from django.urls import reverse

from reports.models import MonthlyReport
from reports.services import LineInput, monthly_reports_generate
from tests.reports.helpers import at, fill, make_list


def test_a_supervising_leader_sees_each_items_latest_report_status(demo, client, django_assert_max_num_queries):
    enforce, market = demo.org("执法一支部"), demo.org("市场运行科")
    make_list(actor=demo.user("wumin"), organisations=[enforce, market], count=2, prefix="最新状态事项")
    with at(2022, 6, 2):
        monthly_reports_generate(year=2022, month=4)
        monthly_reports_generate(year=2022, month=5)
    may = MonthlyReport.objects.get(organisation=enforce, year=2022, month=5)
    fill(may, demo.user("tangliang"), line2=LineInput(status="in_progress", next_steps="六月完成"))
    demo.client_for(client, "liming")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("my_responsibilities"))
    rows = [a for a in response.context["supervised"] if a.item.content.startswith("最新状态事项")]
    shown = {(a.organisation.name, a.item.content): (a.latest_line.report.month, a.latest_line.status)
             for a in rows}
    assert shown == {("执法一支部", "最新状态事项01"): (5, "done"), ("执法一支部", "最新状态事项02"): (5, "in_progress"),
                     ("市场运行科", "最新状态事项01"): (5, ""), ("市场运行科", "最新状态事项02"): (5, "")}
    page = response.content.decode()
    assert 'data-testid="my-assignments"' not in page  # 李明 runs no organisation himself
    items = re.findall(r'<li data-testid="supervised-item">(.*?)</li>', page, re.S)
    enforce_first = next(i for i in items if "最新状态事项01" in i and f"/reports/{may.pk}/" in i)
    assert "2022年5月" in enforce_first and "已完成" in enforce_first and "已保存" in enforce_first
    assert sum("未填报" in i and "待填报" in i for i in items if "最新状态事项" in i) == 2  # 市场运行科, untouched
