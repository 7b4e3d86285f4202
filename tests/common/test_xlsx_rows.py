"""The shared sheet writer writes rows as XML itself (common.xlsx.RowWriter): the workbook it gives is the very
workbook openpyxl gives for the same styled cells, member for member and byte for byte: values and their types,
styles, merged ranges, widths, frozen panes and print set-up."""
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell

from common import xlsx
from common.xlsx import Column, SheetSpec, SheetWriter, Total, write_text


class OpenpyxlRows:
    """The reference: every value a styled openpyxl Cell appended to the sheet, as the writer did before."""

    def __init__(self, ws, styler):
        append = ws.append

        def cells(pairs):
            row = []
            for value, style in pairs:
                cell = Cell(ws, row=1, column=1, style_array=styler.arrays[style])
                write_text(cell, value)
                row.append(cell)
            append(row)

        ws.append = cells


TEXTS = ["普通文本", "=SUM(A1:A2)", "+86 10", "-减号开头", "@提及", "#N/A", "  前后空格  ", "", "控制\x07字符",
         "换行\n第二行", "长" * 40000, "<标签> & \"引号\""]
VALUES = [None, 0, 7, -3, 12345678901234567, 2.5, 1 / 3, float("inf"), Decimal("98.50"), True, False,
          datetime.date(2025, 12, 31), datetime.datetime(2025, 6, 1, 9, 30)]


def specs():
    dates = [None, datetime.date(2025, 3, 1), datetime.datetime(2025, 6, 1, 9, 30), "长期坚持"]
    rows = [[f"第{i}行", TEXTS[i % len(TEXTS)], VALUES[i % len(VALUES)], dates[i % len(dates)], None]
            for i in range(60)]
    rows.insert(10, Total(["合计", None, 60, 12.5, "共计"]))
    columns = [Column("单位", 20), Column("内容", 40), Column("数值", 10, "int"), Column("日期", 14, "date"),
               Column("比率", 10, "rate")]
    grouped = SheetSpec(name="分组表头", heading="2025年度台账", subheading="统计日期：2026-01-20", columns=columns,
                        rows=rows, groups=[(3, 4, "数据")], freeze_columns=1, merges=[(0, 1, 3, 1), (5, 2, 6, 3)])
    plain = SheetSpec(name="无副标题", heading="汇总", subheading=None, rows=iter(rows[:20]),
                      columns=[Column("单位", 20, "center")] + columns[1:])
    return [grouped, plain]


def workbook(monkeypatch, rows_class) -> dict[str, bytes]:
    monkeypatch.setattr(xlsx, "RowWriter", rows_class)
    with time_machine.travel(datetime.datetime(2026, 1, 20, 9, 0), tick=False):
        wb = Workbook(write_only=True)
        writer = SheetWriter(wb)
        counts = [writer.write(spec) for spec in specs()]
        out = io.BytesIO()
        wb.save(out)
    assert counts == [61, 20]
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_rows_written_as_xml_give_the_workbook_openpyxl_gives(monkeypatch):
    ours = workbook(monkeypatch, xlsx.RowWriter)
    reference = workbook(monkeypatch, OpenpyxlRows)
    assert sorted(ours) == sorted(reference)
    for name in reference:
        assert ours[name] == reference[name], name


def test_the_workbook_reads_back_with_its_values_types_styles_and_merges(monkeypatch):
    members = workbook(monkeypatch, xlsx.RowWriter)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    ws = load_workbook(out)["分组表头"]
    assert ws["A1"].value == "2025年度台账" and ws["A1"].font.name == "黑体" and ws["A1"].font.bold
    assert [ws.cell(3, c).value for c in range(1, 6)] == ["单位", "内容", "数据", None, "比率"]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:E1", "A2:E2", "C3:D3", "A3:A4", "B3:B4", "E3:E4",
                                                         "A5:A8", "B10:C11"}
    first = 5  # the first data row
    assert ws.cell(first + 1, 2).value == "=SUM(A1:A2)" and ws.cell(first + 1, 2).data_type == "s"
    assert ws.cell(first + 5, 2).value == "#N/A" and ws.cell(first + 5, 2).data_type == "s"
    assert ws.cell(first + 8, 2).value == "控制字符"
    assert len(ws.cell(first + 11, 2).value) == 32767  # row 10 comes after the Total row
    assert ws.cell(first + 1, 3).value == 0 and ws.cell(first + 2, 3).value == 7
    assert ws.cell(first + 12, 3).value == datetime.datetime(2025, 12, 31)  # a date in a number column
    assert ws.cell(first + 1, 4).value == datetime.datetime(2025, 3, 1) and ws.cell(first + 3, 4).value == "长期坚持"
    total = ws.cell(first + 10, 1)  # the Total row inserted at index 10
    assert total.value == "合计" and total.font.bold and total.border.left.style == "thin"
    empty = ws.cell(first, 5)
    assert empty.value is None and empty.border.bottom.style == "thin" and empty.number_format == "0.0;-0.0;0"
    assert ws.freeze_panes == "B5" and ws.column_dimensions["B"].width == pytest.approx(40, abs=1)
    assert ws.page_setup.orientation == "landscape"
