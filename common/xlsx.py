"""The Excel writing layer every export shares: ledger sheets described as data (`SheetSpec`) and written in
openpyxl's write-only mode with styles built once per workbook, and `write_text`, which keeps user text as text.

A sheet is laid out as the 台账 agencies keep: a merged title row, an optional subtitle row, a bold header (one or
two levels) frozen and repeated on every printed page, borders, wrapping and dates, landscape A4 fitted to width.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import XML_NS, Element

FORMULA_PREFIXES = ("=", "+", "-", "@")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_text(cell, value):
    """Store user text as text: a leading = + - @ never becomes a formula, "#N/A" never an error value, and
    characters a workbook cannot hold are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or cell.data_type == "e"):
        cell.data_type = "s"


@dataclass
class Column:
    label: str
    width: float
    style: str = "text"  # text | center | date | int | rate


class Total(list):
    """A row written in bold (合计)."""


@dataclass
class SheetSpec:
    name: str
    heading: str
    subheading: str | None  # None: no subtitle row, the header follows the title
    columns: list[Column]
    rows: Iterable[list]
    expected_rows: int = 0
    # A second header level: (first column, last column, label), 1-based; other columns span both header rows.
    groups: list[tuple[int, int, str]] = field(default_factory=list)
    freeze_columns: int = 2
    # (first data row, column, last data row, column), 0-based data rows; filled while `rows` is consumed.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


class MergeRuns:
    """Merge equal cells down columns as rows go by, as published ledgers merge a problem over its measures.

    `cells(index, row, keys)` blanks the repeated cells of a run (only a merge's first cell holds a value)."""

    def __init__(self, spec: SheetSpec, columns: list[int]):
        self.spec, self.columns = spec, columns  # 1-based columns, each keyed by the same-position key
        self.start: dict[int, int] = {}
        self.key: dict[int, object] = {}

    def cells(self, index: int, row: list, keys: list) -> list:
        for col, key in zip(self.columns, keys):
            if col in self.key and self.key[col] == key:
                row[col - 1] = None
                continue
            self._close(col, index - 1)
            self.start[col], self.key[col] = index, key
        return row

    def _close(self, col: int, last: int) -> None:
        start = self.start.get(col)
        if start is not None and last > start:
            self.spec.merges.append((start, col, last, col))

    def finish(self, last: int) -> None:
        for col in self.columns:
            self._close(col, last)


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT, BOLD_FONT = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


class Styler:
    """Each style built once per workbook and copied onto cells by its index array.

    Assigning font, border and alignment objects cell by cell makes openpyxl look each one up again; at a few
    hundred thousand cells that costs more than the queries do."""

    def __init__(self, ws):
        def make(font=BODY_FONT, horizontal=None, number_format="General", border=BORDER, wrap=True):
            cell = Cell(ws)
            cell.font, cell.border = font, border
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
            cell.number_format = number_format
            return cell._style

        self.arrays = {
            "title": make(Font(name="黑体", size=16, bold=True), "center", border=Border(), wrap=False),
            "subtitle": make(Font(name="宋体", size=10), "left", border=Border(), wrap=False),
            "header": make(BOLD_FONT, "center"),
        }
        for bold, font in (("", BODY_FONT), ("_b", BOLD_FONT)):
            self.arrays.update({
                f"text{bold}": make(font), f"center{bold}": make(font, "center"),
                f"date{bold}": make(font, "center", DATE_FORMAT), f"int{bold}": make(font, "center", "0"),
                f"rate{bold}": make(font, "center", "0.0;-0.0;0"),
            })



XML_SPACE = f"{{{XML_NS}}}space"


class RowWriter:
    """Writes a write-only sheet's rows as XML straight from (value, style) pairs, cell for cell what openpyxl
    writes for the same styled cells.

    openpyxl's own path costs, for every cell: a Cell object with its value bound through type checks, a failed
    conversion when `append` is handed the cell (a caught ValueError whose message formats the cell's repr), and
    its style looked up again by hashing. At the year-end workbook's half a million cells, most of them empty
    bordered cells, that was most of the export's time. Text, whole and decimal numbers and empty cells are
    written here; anything else (dates, booleans, Decimals) still goes through openpyxl's own cell.
    tests/common/test_xlsx_rows.py checks that both paths give the same workbook. The hooks are openpyxl 3.1's
    (pinned in requirements.txt): the sheet's row conversion and its writer's `write_row`."""

    def __init__(self, ws, styler: Styler):
        self.ws, self.styler = ws, styler
        self.cell_styles, self.sids = ws.parent._cell_styles, {}  # style ids numbered on first use, as openpyxl does
        self.letters = [""] + [get_column_letter(col) for col in range(1, 30)]
        ws._values_to_row = lambda values, row_idx: values  # rows arrive as (value, style) pairs
        ws._get_writer()
        ws._writer.write_row = self.write_row

    def write_row(self, xf, row, row_idx):
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        element, letters, sids = xf.element, self.letters, self.sids
        while len(letters) <= len(row):
            letters.append(get_column_letter(len(letters)))
        with element("row", attrs):
            for col, (value, style) in enumerate(row, 1):
                if style not in sids:
                    sids[style] = str(self.cell_styles.add(self.styler.arrays[style]))
                kind = type(value)
                if kind is str:
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]  # as write_text and openpyxl do
                    with element("c", {"r": f"{letters[col]}{row_idx}", "s": sids[style], "t": "inlineStr"}):
                        if value:
                            with element("is"):
                                text = Element("t", {XML_SPACE: "preserve"} if value != value.strip() else {})
                                text.text = value
                                xf.write(text)
                elif value is None:
                    with element("c", {"r": f"{letters[col]}{row_idx}", "s": sids[style], "t": "n"}):
                        pass
                elif kind is int or kind is float:
                    with element("c", {"r": f"{letters[col]}{row_idx}", "s": sids[style], "t": "n"}):
                        with element("v"):
                            xf.write(safe_string(value))
                else:
                    cell = Cell(self.ws, row=row_idx, column=col, style_array=self.styler.arrays[style])
                    write_text(cell, value)
                    write_cell(xf, self.ws, cell, cell.has_style)


def write_sheets(specs: Iterable[SheetSpec]) -> bytes:
    """A small workbook of the given sheets, as bytes (a download)."""
    wb = Workbook(write_only=True)
    writer = SheetWriter(wb)
    for spec in specs:
        writer.write(spec)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class SheetWriter:
    """Writes SheetSpecs into one write-only workbook, sharing the workbook's styles between sheets."""

    def __init__(self, wb: Workbook):
        self.wb, self.styler = wb, None

    def write(self, spec: SheetSpec, *, on_rows: Callable[[int], None] | None = None) -> int:
        """Write one sheet; returns the number of data rows. `on_rows(n)` is called every 500 rows."""
        ws = self.wb.create_sheet(spec.name)
        if self.styler is None:
            self.styler = Styler(ws)
        return _write_sheet(ws, self.styler, spec, on_rows)


def _write_sheet(ws, styler: Styler, spec: SheetSpec, on_rows) -> int:
    width = len(spec.columns)
    header_rows = 2 if spec.groups else 1
    header = 3 if spec.subheading is not None else 2  # after the title (and subtitle)
    first_data = header + header_rows
    for col, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = f"{get_column_letter(spec.freeze_columns + 1)}{first_data}"
    ws.print_title_rows = f"{header}:{first_data - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4

    RowWriter(ws, styler)
    ws.append([(spec.heading, "title")])
    ws.merged_cells.add(f"A1:{get_column_letter(width)}1")
    if spec.subheading is not None:
        ws.append([(spec.subheading, "subtitle")])
        ws.merged_cells.add(f"A2:{get_column_letter(width)}2")
    if spec.groups:
        grouped = {}
        for first, last, label in spec.groups:
            for col in range(first, last + 1):
                grouped[col] = (first, label)
            ws.merged_cells.add(f"{get_column_letter(first)}{header}:{get_column_letter(last)}{header}")
        top, bottom = [], []
        for col, column in enumerate(spec.columns, start=1):
            if col in grouped:
                first, label = grouped[col]
                top.append((label if col == first else None, "header"))
                bottom.append((column.label, "header"))
            else:
                top.append((column.label, "header"))
                bottom.append((None, "header"))
                ws.merged_cells.add(f"{get_column_letter(col)}{header}:{get_column_letter(col)}{header + 1}")
        ws.append(top)
        ws.append(bottom)
    else:
        ws.append([(column.label, "header") for column in spec.columns])

    styles = [column.style for column in spec.columns]
    bold = [f"{style}_b" for style in styles]
    n = 0
    for row in spec.rows:
        ws.append(list(zip(row, bold if isinstance(row, Total) else styles)))
        n += 1
        if on_rows is not None and n % 500 == 0:
            on_rows(n)
    # Straight into the range set: MultiCellRange.add checks each new range against every one before it, which
    # at thousands of merged problems is quadratic; these ranges never overlap by construction.
    ranges = ws.merged_cells.ranges
    for first, col, last, last_col in spec.merges:
        if last > first or last_col > col:
            ranges.add(CellRange(min_col=col, min_row=first_data + first, max_col=last_col, max_row=first_data + last))
    return n


