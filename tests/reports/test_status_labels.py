"""Small page defects: a generated report nobody touched reads 待填报; confirmations; the favicon."""
from django.urls import reverse

from reports.models import MonthlyReport
from reports.services import monthly_reports_generate
from tests.reports.helpers import at, fill, make_list


def test_untouched_report_reads_to_fill_and_a_saved_one_saved(demo, client):
    make_list(actor=demo.user("wumin"), organisations=[demo.org("机关第一党支部")], count=2)
    with at(2022, 5, 10):
        monthly_reports_generate(year=2022, month=5)
    report = MonthlyReport.objects.get(organisation=demo.org("机关第一党支部"), year=2022, month=5)
    assert report.status_label == "待填报"
    demo.client_for(client, "zhengwei")
    with at(2022, 5, 10):
        page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
        assert "待填报" in page
        fill(report, demo.user("zhengwei"))
        report.refresh_from_db()
        assert report.status_label == "已保存"


def test_favicon_ico_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
