"""Export: the current dashboard view as a workbook whose figures are the page's; user text never becomes a formula."""
import re
from io import BytesIO
from urllib.parse import unquote

import openpyxl
from django.urls import reverse

from branches.models import Organisation
from responsibility.models import Item
from tests.oversight import dashboard_scenario as s
from tests.reports.helpers import at

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(client, demo, url, username="chengang", **params):
    with at(s.TODAY.year, s.TODAY.month, s.TODAY.day):
        demo.client_for(client, username)
        return client.get(url, {"year": 2022, "month": 5, **params})


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(BytesIO(response.content))


def figures_sheet(wb) -> dict:
    """指标 → 数值 from the 总览 sheet (the rows between the header and the blank line)."""
    ws = wb["总览"]
    rows = [tuple(c.value for c in row[:2]) for row in ws.iter_rows(min_row=4)]
    figures = {}
    for label, value in rows:
        if label is None:
            break
        figures[label] = value
    return figures


def categories_sheet(wb) -> list[tuple]:
    ws = wb["总览"]
    rows = [tuple(c.value for c in row[:4]) for row in ws.iter_rows()]
    start = rows.index(("责任类别", "本月事项", "已完成", "完成率(%)"))
    rest = rows[start + 1:]
    return rest[:rest.index((None,) * 4)] if (None,) * 4 in rest else rest  # the 督办问责 table follows


def page_number(text):
    return None if text == "—" else float(text.rstrip("%"))


def test_the_workbook_has_the_figures_of_the_page(demo, client):
    page = get(client, demo, reverse("dashboard:overview"))
    text, o = page.content.decode(), page.context["o"]
    response = get(client, demo, reverse("dashboard:export"))
    assert unquote(response["Content-Disposition"]).endswith("党建责任看板_中共示范市商务局党组_2022年5月.xlsx")
    wb = workbook(response)
    assert wb.sheetnames == ["总览", "月报报送一览", "排名"]
    assert wb["总览"]["A1"].value == "中共示范市商务局党组 2022年5月 党建责任落实情况"
    assert wb["总览"]["A2"].value == "统计日期：2022-06-20"
    f = figures_sheet(wb)

    # The figures as the page shows them.
    submitted, total = map(int, re.findall(r"\d+", s.kpi(text, "kpi-submission")[1]))
    on_time, late = map(int, re.findall(r"\d+", s.kpi(text, "kpi-on-time")[1]))
    closed, rated, measures = map(int, re.findall(r"\d+", s.kpi(text, "kpi-measures")[1]))
    expired = int(s.kpi(text, "kpi-terms")[0])
    expiring = int(re.findall(r"\d+", s.kpi(text, "kpi-terms")[1])[-1])
    alerts = s.alerts_shown(text)
    assert f == {
        "应报月报": total, "已报送": submitted, "报送率(%)": page_number(s.kpi(text, "kpi-submission")[0]),
        "按时报送": on_time, "按时率(%)": page_number(s.kpi(text, "kpi-on-time")[0]), "迟报": late,
        "未报送": int(s.kpi(text, "kpi-missing")[0]), "被驳回": int(s.kpi(text, "kpi-returned")[0]),
        "审核通过": o.reports.accepted, "整改措施总数": measures, "已销号": closed,
        "长期坚持": int(s.kpi(text, "kpi-long-term")[0]), "逾期": int(s.kpi(text, "kpi-overdue")[0]),
        "完成率(%，不含长期坚持)": page_number(s.kpi(text, "kpi-measures")[0]), "任期已届满": expired,
        "180天内届满": expiring, "红色预警": alerts["red"], "黄色预警": alerts["yellow"], "绿色提示": alerts["green"],
    }
    # … and the independent counts.
    expected = s.report_figures()
    assert (f["应报月报"], f["已报送"], f["按时报送"], f["迟报"], f["未报送"], f["被驳回"], f["审核通过"]) == (
        expected["total"], expected["submitted"], expected["on_time"], expected["late"], expected["missing"],
        expected["returned"], expected["accepted"])
    assert (f["报送率(%)"], f["按时率(%)"], f["完成率(%，不含长期坚持)"]) == (52.9, 29.4, 42.9)
    assert rated == measures - f["长期坚持"]
    assert categories_sheet(wb) == [(c["category"], c["total"], c["done"], c["rate"]) for c in o.categories]

    grid = get(client, demo, reverse("dashboard:grid"), year=2022).context
    assert [tuple(c.value for c in row) for row in wb["月报报送一览"].iter_rows(min_row=4)] == [
        (org.name, *[str(cell.label) if cell else None for cell in cells]) for org, cells in grid["rows"]]
    assert [tuple(c.value for c in row) for row in wb["排名"].iter_rows(min_row=4)] == [
        (i, r["organisation"].name, r["total"], r["on_time"], r["rate"], r["missing"], r["overdue_measures"])
        for i, r in enumerate(grid["ranking"], start=1)]


def test_the_workbook_follows_the_subtree_and_the_scope(demo, client):
    root = demo.org(s.ORGAN_COMMITTEE)
    org_ids = s.subtree_ids(root.pk)
    response = get(client, demo, reverse("dashboard:export"), org=root.pk)
    assert unquote(response["Content-Disposition"]).endswith(f"党建责任看板_{root.name}_2022年5月.xlsx")
    wb = workbook(response)
    f = figures_sheet(wb)
    expected, measures = s.report_figures(org_ids), s.measure_figures(s.TODAY, org_ids)
    assert (f["应报月报"], f["按时报送"], f["未报送"], f["整改措施总数"], f["逾期"]) == (
        expected["total"], expected["on_time"], expected["missing"], measures["total"], measures["overdue"])
    assert {row[0].value for row in wb["月报报送一览"].iter_rows(min_row=4)} <= set(
        Organisation.objects.filter(pk__in=org_ids).values_list("name", flat=True))

    # A secretary's workbook is his version.
    wb = workbook(get(client, demo, reverse("dashboard:export"), username="zhengwei"))
    assert figures_sheet(wb)["应报月报"] == 4
    assert {row[0].value for row in wb["月报报送一览"].iter_rows(min_row=4)} == {"机关第一党支部", "办公室", "人事科", "财务科"}


def test_user_text_starting_with_a_formula_sign_stays_text(demo, client):
    Item.objects.filter(category="三、组织建设").update(category="=1+2 组织建设")
    Item.objects.filter(category="四、作风建设").update(category="@SUM(A1) 作风建设")
    Organisation.objects.filter(name="人事科").update(name="=HYPERLINK(\"http://example.com\",\"人事科\")")
    root = demo.org(s.ORGAN_COMMITTEE)
    Organisation.objects.filter(pk=root.pk).update(name="-机关党委")

    wb = workbook(get(client, demo, reverse("dashboard:export")))
    cells = {c.value: c for row in wb["总览"].iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=1+2 组织建设", "@SUM(A1) 作风建设"):
        assert cells[text].data_type == "s", text
    grid_names = {row[0].value: row[0] for row in wb["月报报送一览"].iter_rows(min_row=4)}
    assert grid_names["=HYPERLINK(\"http://example.com\",\"人事科\")"].data_type == "s"
    rank_names = {row[1].value: row[1] for row in wb["排名"].iter_rows(min_row=4)}
    assert rank_names["=HYPERLINK(\"http://example.com\",\"人事科\")"].data_type == "s"
    assert rank_names["-机关党委"].data_type == "s"

    wb = workbook(get(client, demo, reverse("dashboard:export"), org=root.pk))
    assert wb["总览"]["A1"].value == "-机关党委 2022年5月 党建责任落实情况"
    assert wb["总览"]["A1"].data_type == "s"
    # The page shows the category as text too, and its drill-down finds the lines.
    page = get(client, demo, reverse("dashboard:overview")).content.decode()
    assert "<td>=1+2 组织建设</td>" in page
    lines = get(client, demo, reverse("dashboard:lines"), category="=1+2 组织建设").context["lines"]
    assert s.ids(lines) == s.category_lines()["=1+2 组织建设"]["all"]


def test_a_secretarys_export_is_titled_by_their_scope_not_a_bare_all(demo, client):
    response = get(client, demo, reverse("dashboard:export"), username="zhengwei")
    assert unquote(response["Content-Disposition"]).endswith("党建责任看板_本人查看范围_2022年5月.xlsx")
    assert workbook(response)["总览"]["A1"].value == "本人查看范围 2022年5月 党建责任落实情况"
