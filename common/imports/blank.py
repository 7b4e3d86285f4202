"""The blank template each import page offers: the expected headers (required ones marked ＊), an example row the
reader skips (its 序号 is “例”), a sheet of the values some columns allow, and how to fill it in."""
from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.tables import Column

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE = Font(italic=True, color="808080")


def _put(cell, value) -> None:
    cell.value = value
    if isinstance(value, str) and value[:1] in "=+-@":
        cell.data_type = "s"  # text, never a formula


def blank_workbook(*, title: str, columns: Sequence[Column], example: dict[str, str],
                   allowed: Sequence[tuple[str, Sequence[str]]] = (), note: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "导入模板"
    _put(ws.cell(1, 1), title)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    for c, column in enumerate(columns, start=1):
        cell = ws.cell(2, c)
        _put(cell, column.label + ("＊" if column.required else ""))
        cell.font, cell.fill = _BOLD, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        _put(ws.cell(3, c), "例" if c == 1 else example.get(column.key, ""))
        ws.cell(3, c).font = _EXAMPLE
        ws.column_dimensions[get_column_letter(c)].width = max(10, min(40, 2 * len(column.label) + 6))
    ws.freeze_panes = "A3"
    if allowed:
        values = wb.create_sheet("可选值")
        for c, (label, options) in enumerate(allowed, start=1):
            _put(values.cell(1, c), label)
            values.cell(1, c).font, values.cell(1, c).fill = _BOLD, _HEAD_FILL
            for r, option in enumerate(options, start=2):
                _put(values.cell(r, c), option)
            values.column_dimensions[get_column_letter(c)].width = 24
    if note:
        help_sheet = wb.create_sheet("填写说明")
        for r, line in enumerate(note.splitlines(), start=1):
            _put(help_sheet.cell(r, 1), line)
        help_sheet.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
