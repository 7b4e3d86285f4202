"""Print views: a monthly report and a measure with its timeline on an A4 sheet without navigation, in scope only."""
from django.urls import reverse

from rectification.services import rectification_ledger_import
from reports.models import MonthlyReport
from reports.services import monthly_report_submit, monthly_reports_generate
from tests.rectification.conftest import sample_ledger
from tests.reports.helpers import at, fill, make_list


def test_report_prints_its_lines_and_history_for_those_in_scope_only(demo, client):
    make_list(actor=demo.user("wumin"), organisations=[demo.org("机关第一党支部")], count=2, prefix="打印测试事项")
    with at(2022, 6, 2):
        monthly_reports_generate(year=2022, month=5)
        report = MonthlyReport.objects.get(organisation=demo.org("机关第一党支部"), year=2022, month=5)
        fill(report, demo.user("zhengwei"), text="按计划召开支委会")
        monthly_report_submit(actor=demo.user("zhengwei"), report=MonthlyReport.objects.get(pk=report.pk))
    demo.client_for(client, "chengang")
    page = client.get(reverse("reports:print", args=[report.pk])).content.decode()
    assert "机关第一党支部2022年5月党建工作责任落实情况报告" in page
    assert page.count("按计划召开支委会") == report.lines.count() >= 2 and "打印测试事项02" in page
    assert "@page { size: A4" in page and 'class="mainnav"' not in page
    demo.client_for(client, "tangliang")  # 执法一支部's secretary
    assert client.get(reverse("reports:print", args=[report.pk])).status_code == 404


def test_measure_prints_with_its_timeline(demo, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with sample_ledger().open("rb") as handle:
        batch = rectification_ledger_import(actor=demo.user("wumin"), source=handle, file_name="ledger.xlsx")
    measure = batch.problems.first().measures.first()
    demo.client_for(client, "chengang")
    page = client.get(reverse("rectification:measure_print", args=[measure.pk])).content.decode()
    assert "整改措施办理单" in page and measure.text in page and "导入" in page
    demo.client_for(client, "auditadmin")
    assert client.get(reverse("rectification:measure_print", args=[measure.pk])).status_code == 404
