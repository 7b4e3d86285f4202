"""The to-do inbox: per role, each row links to where to act, and the count equals the rows listed."""
from django.urls import reverse

from reports.models import MonthlyReport
from reports.services import monthly_report_return, monthly_report_submit
from tests.notifications.helpers import at
from tests.reports.helpers import fill, fresh


def rows(client):
    groups = client.get(reverse("todo:list")).context["groups"]
    return {(g.label, item.title) for g in groups for item in g.items}


def test_secretary_reviewer_and_returned_report_in_the_inbox(demo, client):
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    may = MonthlyReport.objects.get(organisation=demo.org("机关第一党支部"), year=2022, month=5)
    with at(2022, 6, 2):
        demo.client_for(client, "zhengwei")
        mine = rows(client)
        assert ("待填报的月度报告", "机关第一党支部 2022年5月完成情况报告") in mine
        assert ("待填报的月度报告", "办公室 2022年5月完成情况报告") in mine
        count = client.get(reverse("todo:count")).json()["count"]
        assert count == len(mine)

        fill(may, zhengwei)
        monthly_report_submit(actor=zhengwei, report=fresh(may))
        demo.client_for(client, "wumin")
        assert ("待审核的月度报告", "机关第一党支部 2022年5月完成情况报告") in rows(client)

        monthly_report_return(actor=wumin, report=fresh(may), reason="佐证材料不全")
        demo.client_for(client, "zhengwei")
        after = rows(client)
        assert ("被驳回待重新提交的月度报告", "机关第一党支部 2022年5月完成情况报告") in after
        assert ("待填报的月度报告", "机关第一党支部 2022年5月完成情况报告") not in after
        home = client.get(reverse("home"))
        assert home.context["todo_count"] == len(after) == client.get(reverse("todo:count")).json()["count"]
        demo.client_for(client, "wumin")
        assert ("待审核的月度报告", "机关第一党支部 2022年5月完成情况报告") not in rows(client)


def test_admins_and_outsiders_have_an_empty_inbox(demo, client):
    demo.client_for(client, "auditadmin")
    assert client.get(reverse("todo:count")).json() == {"count": 0}
