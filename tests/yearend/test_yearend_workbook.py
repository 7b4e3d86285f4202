"""The year-end workbook: every figure equals an independent count, the sheets read back, user text stays text."""
import io
import zipfile

import openpyxl
import pytest

from yearend.scope import year_scope_for_system
from yearend.workbook import write_workbook
from tests.yearend.conftest import HYPERLINK, ORGLIFE, TODAY, YEAR, build_workbook
from tests.yearend.yearend_counts import line_counts, list_counts, measure_counts, report_counts, term_counts

SHEETS = ["总体情况", "责任清单落实情况", "月报报送情况", "整改台账", "换届情况", "组织生活"]


@pytest.fixture(scope="module")
def _book(_seeded_year, django_db_blocker):
    """Built once for the module from the seeded data (tests that change data build their own)."""
    with django_db_blocker.unblock():
        data, figures = build_workbook(year_scope_for_system(year=YEAR, root=None, today=TODAY))
    return data, openpyxl.load_workbook(io.BytesIO(data)), figures


@pytest.fixture
def book(_book, demo):
    return _book


def summary(wb):
    return {row[2]: row[3] for row in wb["总体情况"].iter_rows(min_row=4, values_only=True)}


def header(ws, two_rows=True):
    """Column labels; under a two-level header a column spanning both rows has its label in the upper one."""
    if not two_rows:
        return [c.value for c in ws[3]]
    return [low.value or high.value for high, low in zip(ws[3], ws[4])]


def rows(ws, first):
    return list(ws.iter_rows(min_row=first, values_only=True))


def by_name(ws, first):
    """Rows keyed by the organisation column; the 合计 row (merged over 序号 and 组织) by 合计."""
    return {row[1] or row[0]: row for row in rows(ws, first)}


def test_workbook_reads_back_with_the_six_sheets_in_order(book):
    _data, wb, _figures = book
    assert wb.sheetnames == SHEETS


def test_summary_sheet_figures_equal_independent_counts(book, main_list):
    from reports.models import MonthlyReport

    _data, wb, _figures = book
    got = summary(wb)
    lists, reports, lines, measures, terms = (list_counts(main_list), report_counts(), line_counts(),
                                              measure_counts(), term_counts())
    title = f"《{main_list.title}》"
    assert (got[f"{title}责任类别（方面）"], got[f"{title}事项（具体任务）"], got[f"{title}任务分解"],
            got[f"{title}责任单位"]) == (lists["categories"], lists["items"], lists["assignments"], lists["units"])
    assert (lists["categories"], lists["items"], lists["assignments"]) == (5, 25, 66)  # samples/README.md

    assert (got["应报月报（份）"], got["按时报送"], got["迟报"], got["未报送"], got["被驳回"], got["审核通过"],
            got["未到截止日期"]) == (reports["due"], reports["on_time"], reports["late"], reports["missing"],
                                reports["returned"], reports["accepted"], reports["not_due"])
    # the seed's own story: 3 on time, 2 late, 1 returned (and not sent again), 1 accepted, the rest missing
    assert (reports["on_time"], reports["late"], reports["returned"], reports["accepted"]) == (3, 2, 1, 1)
    assert reports["due"] == MonthlyReport.objects.filter(year=YEAR).count()  # every deadline has passed
    assert got["按时报送率（%）"] == round(100 * reports["on_time"] / reports["due"], 1)

    assert (got["报告事项（项次）"], got["已完成"], got["推进中"], got["未开展"]) == (
        lines["total"], lines["done"], lines["in_progress"], lines["not_started"])
    assert got["完成率（%）"] == round(100 * lines["done"] / lines["total"], 1)

    assert (got["整改措施（项）"], got["已销号"], got["待审核销号"], got["逾期"], got["长期坚持"], got["整改中"],
            got["未启动"]) == (measures["total"], measures["closed"], measures["awaiting_review"], measures["overdue"],
                            measures["long_term"], measures["in_progress"], measures["not_started"])
    assert (measures["total"], measures["closed"], measures["long_term"], measures["awaiting_review"]) == (16, 6, 2, 1)
    assert got["整改完成率（%，不含长期坚持）"] == measures["rate"] == round(100 * 6 / 14, 1)
    assert (got["整改批次"], got["问题（个）"]) == (1, 8)

    assert (got["需换届的党组织（个）"], got["本年度完成换届"], got["按期换届"], got["逾期换届"], got["任期届满尚未换届"],
            got["无任期记录"]) == (terms["organisations"], terms["renewed"], terms["on_time"], terms["late"],
                              terms["expired"], terms["no_record"])
    assert (terms["renewed"], terms["on_time"], terms["late"], terms["expired"]) == (3, 2, 1, 1)


def test_organisational_life_counts_equal_orglife_year_counts(book, demo):
    from orglife.compliance import year_counts

    _data, wb, _figures = book
    got = summary(wb)
    expected = year_counts(organisation=demo.org("中共示范市商务局党组"), year=YEAR)  # the whole tree
    from orglife.models import RecordType

    names = dict(RecordType.objects.values_list("code", "name"))
    assert {code: got[f"{names[code]}（次）"] for code in expected} == expected
    counted = {}
    for _org, codes, n, status in ORGLIFE:
        if status != "returned":
            for code in codes:
                counted[code] = counted.get(code, 0) + n
    assert {k: v for k, v in expected.items() if v} == counted

    ws = wb["组织生活"]
    labels = header(ws)
    table = {name: dict(zip(labels[2:], row[2:])) for name, row in by_name(ws, 5).items()}
    for org in ("机关第一党支部", "执法一支部", "中共示范市商务局党组"):
        mine = year_counts(organisation=demo.org(org), year=YEAR) if org != "中共示范市商务局党组" else None
        if mine:  # branches have no sub-branches with records: their subtree count is their own
            assert {names[c]: n for c, n in mine.items()} == {k: v for k, v in table[org].items() if k != "合计"}
    assert table["合计"]["合计"] == sum(expected.values())
    assert table["中共示范市商务局党组"]["第一议题学习"] == 11


def test_reports_sheet_cells_and_totals_equal_each_report(book, demo):
    from reports.models import MonthlyReport

    _data, wb, _figures = book
    ws = wb["月报报送情况"]
    table = by_name(ws, 5)
    for report in MonthlyReport.objects.filter(year=YEAR).select_related("organisation"):
        cell = table[report.organisation.name][1 + report.month]
        if report.status == "draft":
            expected = "未报" if report.due_on < TODAY else "未到期"
        elif report.status == "returned":
            expected = "驳回"
        else:
            expected = f"迟报{report.days_late}天" if report.days_late else "按时"
        assert cell == expected, (report, cell)
    assert table["机关第二党支部"][2] == "迟报5天" and table["机关第二党支部"][5] == "迟报15天"
    assert table["机关第一党支部"][3] == "驳回"
    counts = report_counts()
    assert table["合计"][14:19] == (counts["due"], counts["on_time"], counts["late"], counts["missing"],
                                   counts["returned"])
    first = report_counts({demo.org("机关第一党支部").pk})
    assert table["机关第一党支部"][14:20] == (first["due"], first["on_time"], first["late"], first["missing"],
                                           first["returned"], round(100 * first["on_time"] / first["due"], 1))


def test_items_sheet_has_a_row_per_assignment_with_monthly_states_and_the_last_report(book, main_list):
    from reports.models import ReportLine

    _data, wb, _figures = book
    ws = wb["责任清单落实情况"]
    labels = header(ws)
    months = [labels.index(f"{m}月") for m in range(1, 13)]
    data = rows(ws, 5)
    assert len(data) == list_counts(main_list)["assignments"] == 66
    cells = [row[i] for row in data for i in months]
    states = [c.removesuffix("（驳回）") for c in cells if c]  # a returned report's lines say so
    sent = ReportLine.objects.filter(report__year=YEAR, report__status__in=["submitted", "accepted"])
    returned = ReportLine.objects.filter(report__year=YEAR, report__status="returned")
    unsent = ReportLine.objects.filter(report__year=YEAR, report__status="draft")
    for status, label in (("done", "已完成"), ("in_progress", "推进中"), ("not_started", "未开展")):
        assert states.count(label) == sent.filter(status=status).count() + returned.filter(status=status).count()
    assert cells.count("未报送") == unsent.count()  # every unsent report is past its deadline on TODAY
    assert sum(1 for c in cells if c) == ReportLine.objects.filter(report__year=YEAR).count()
    assert sum(1 for c in cells if c and c.endswith("（驳回）")) == returned.count()
    finals = [row[labels.index("最终状态")] for row in data]
    reported = sent.values("assignment").distinct().count()
    assert len(finals) - finals.count("未报告") == reported


def test_ledger_sheet_lists_every_measure_with_status_and_merged_problems(book):
    from rectification.models import Measure, MeasureStatus

    _data, wb, _figures = book
    ws = wb["整改台账"]
    labels = header(ws, two_rows=False)
    assert labels[1:13] == ["序号", "问题类别", "问题描述", "整改措施", "责任领导", "责任部门", "责任人", "整改时限",
                            "整改完成标准", "整改进展", "是否完成整改", "是否销号"]
    data = rows(ws, 4)
    assert len(data) == Measure.objects.count() == 16
    by_text = {row[4]: row for row in data}
    for measure in Measure.objects.all():
        row = by_text[measure.text]
        assert row[labels.index("当前状态")] == MeasureStatus(measure.status_on(TODAY)).label
        assert row[labels.index("是否销号")] == ("是" if measure.state == "closed" else "否")
    assert sum(1 for row in data if row[3]) == 8  # one description per problem, merged over its measures
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "D4:D5" in merged and "A1:O1" in merged


def test_terms_sheet_says_who_renewed_on_time(book):
    _data, wb, _figures = book
    ws = wb["换届情况"]
    table = {row[1]: dict(zip(header(ws, two_rows=False), row)) for row in rows(ws, 4)}
    assert table["机关第三党支部"]["是否按期换届"] == "是"
    assert table["执法一支部"]["是否按期换届"] == "否（逾期106天）"
    assert table["市口岸服务中心党支部"]["是否按期换届"] == "是"  # within its approved postponement
    assert table["执法二支部"]["任期状态"] == "已届满未换届（91天）"
    assert table["机关第三党支部"]["本届选举日期"].date().isoformat() == "2022-04-28"
    assert len(table) == term_counts()["organisations"]


def test_report_text_that_looks_like_a_formula_stays_text(book):
    data, wb, _figures = book
    ws = wb["责任清单落实情况"]
    found = [c for row in ws.iter_rows(min_row=5) for c in row if c.value == HYPERLINK]
    assert len(found) == 1
    assert found[0].data_type == "s"
    texts = {c.value: c.data_type for row in ws.iter_rows(min_row=5) for c in row if c.value in ("-待协调", "@下月完成")}
    assert texts == {"-待协调": "s", "@下月完成": "s"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name


def test_ledger_text_like_formulas_or_errors_stays_text(demo):
    from rectification.models import Measure

    Measure.objects.filter(pk=Measure.objects.order_by("pk")[0].pk).update(progress_text="+SUM(A1:A2)")
    Measure.objects.filter(pk=Measure.objects.order_by("pk")[1].pk).update(progress_text="#N/A")
    data, _figures = build_workbook(year_scope_for_system(year=YEAR, root=None, today=TODAY))
    ws = openpyxl.load_workbook(io.BytesIO(data))["整改台账"]
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=4) for c in row if c.value in ("+SUM(A1:A2)", "#N/A")}
    assert cells == {"+SUM(A1:A2)": "s", "#N/A": "s"}


def test_sheets_are_laid_out_like_an_agency_ledger(book):
    _data, wb, _figures = book
    for ws in wb.worksheets:
        width = ws.max_column
        last = openpyxl.utils.get_column_letter(width)
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert f"A1:{last}1" in merged, ws.title  # title row across the table
        assert ws["A1"].font.bold and ws["A1"].font.size == 16
        header_rows = 2 if ws.title in ("责任清单落实情况", "月报报送情况", "组织生活") else 1
        assert ws.print_title_rows == f"$3:${2 + header_rows}"
        assert ws.freeze_panes.endswith(str(3 + header_rows))
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        top_left = ws.cell(3, 1)
        assert top_left.font.bold and top_left.border.left.style == "thin"
        body = ws.cell(3 + header_rows, width)
        assert body.border.bottom.style == "thin" and body.alignment.wrap_text
        assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, width + 1))
    date_cell = next(c for row in wb["换届情况"].iter_rows(min_row=4) for c in row if c.is_date)
    assert date_cell.number_format == 'yyyy"年"m"月"d"日"'


def test_progress_runs_through_each_sheet_in_order(demo):
    seen = []
    write_workbook(year_scope_for_system(year=YEAR, root=None, today=TODAY), io.BytesIO(),
                   progress=lambda percent, stage: seen.append((percent, stage)))
    percents = [p for p, _s in seen]
    assert percents == sorted(percents) and percents[-1] == 90
    stages = list(dict.fromkeys(s for _p, s in seen))
    assert stages == ["统计全年数据"] + SHEETS + ["保存工作簿"]


def test_an_organisations_subtree_holds_only_its_organisations(demo):
    root = demo.org("市商务综合行政执法支队党总支")
    data, figures = build_workbook(year_scope_for_system(year=YEAR, root=root, today=TODAY))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = set(by_name(wb["月报报送情况"], 5)) - {"合计"}
    assert names == {"执法一支部", "执法二支部"}
    ids = {demo.org(n).pk for n in names}
    assert summary(wb)["应报月报（份）"] == report_counts(ids)["due"] == figures.reports.due
    assert {row[1] for row in rows(wb["换届情况"], 4)} == {"市商务综合行政执法支队党总支", "执法一支部", "执法二支部"}
    assert wb["总体情况"]["A1"].value.startswith("市商务综合行政执法支队党总支2022年度")

def test_without_organisational_life_records_the_sheet_is_left_out(demo):
    from django.apps import apps

    if apps.is_installed("orglife"):
        from orglife.models import Record

        Record.objects.filter(date__year=YEAR).delete()
    data, figures = build_workbook(year_scope_for_system(year=YEAR, root=None, today=TODAY))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == SHEETS[:-1] and figures.orglife is None
    assert not any(str(label).endswith("（次）") for label in summary(wb))
