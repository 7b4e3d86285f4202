"""Read a table from an uploaded file the way agencies lay it out (title rows, merged cells, notes), by its header
names, whatever the file's format (.xlsx, .xls, .docx, .csv)."""
from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from .columns import Column, SourceRow, Table
from .errors import ReadError
from .grid import Grid
from .header import HEADER_SCAN_ROWS, SERIAL_NAMES, blank, describe, find_header, header_text, norm, plain
from .sources import read_grids


def _clean(value: Any, *, serial: bool = False) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip().strip("\u200b\ufeff").strip()
        return text or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return repr(value) if serial else value
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    return value


# ---------------------------------------------------------------- data rows

_NOTE_RE = re.compile(
    r"^(?:注|备注|附注|说明|填表说明|填报说明|附|附件)(?:\s|[:、.(]|\d|$)"
    r"|^(?:填表人|填报人|制表人|审核人|联系人|联系电话|填表日期|填报日期|单位负责人)(?:\s|:|$)"
)
_EXAMPLE_RE = re.compile(r"^(?:例|示例|举例|样例|范例)\d*(?::|$)")
_DIVIDER_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|第[一二三四五六七八九十]+[部分类项章节]|[(][一二三四五六七八九十]+[)])")


def _is_number_row(values: list[Any]) -> bool:
    """A row of column numbers (1, 2, 3, …) printed under some headers."""
    numbers = []
    for v in values:
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)) and float(v).is_integer():
            numbers.append(int(v))
        elif isinstance(v, str) and v.strip().isascii() and v.strip().isdecimal() and len(v.strip()) <= 6:
            numbers.append(int(v.strip()))
        else:
            return False
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def read_table(source: Any, columns: Sequence[Column], *, merged_fill: Iterable[str] = (), name: str = "") -> Table:
    """Read the table whose header best matches ``columns`` from the workbook ``source``.

    ``source`` is a path or a binary file-like (an uploaded file); ``name`` is the file's name as uploaded, when
    the source does not carry it. Cells of a merged range all take the
    range's value; keys in ``merged_fill`` also carry the last value down over blank cells.
    Raises ReadError (Chinese message) when the file is not a readable table, is too large, no header is found, or a
    required column is missing.
    """
    columns = list(columns)
    keys = [col.key for col in columns]
    if len(set(keys)) != len(keys):
        raise ValueError("column keys must be unique")
    merged_fill = set(merged_fill)
    if merged_fill - set(keys):
        raise ValueError(f"merged_fill names unknown keys: {sorted(merged_fill - set(keys))}")

    kind, grids = read_grids(source, name)
    header = find_header(grids, columns, first_complete=kind == "docx")
    if header is None:
        empty = all(not any(not blank(v) for row in g.raw for v in row) for g in grids)
        raise ReadError(
            ("未找到表头：文件中没有内容。" if empty else
             f"未找到表头：{_pages(kind)}前{HEADER_SCAN_ROWS}行中没有与所需列名相符的表头行。")
            + f"需要的列：{describe(columns)}"
        )

    grid, top, bottom = header.grid, header.top, header.bottom
    # A header whose cells are merged down over one more row ends on that row.
    if bottom + 1 < grid.nrows:
        below = [(grid.raw[bottom + 1][c], grid.filled[bottom + 1][c]) for c, _ in header.assign.values()]
        if all(blank(raw) for raw, _ in below) and any(not blank(v) for _, v in below) and all(
                blank(v) or v == grid.filled[bottom][c] for (_, v), (c, _) in zip(below, header.assign.values())):
            bottom += 1
    header_row = bottom + 1
    rows_label = f"第{top + 1}–{bottom + 1}行" if top != bottom else f"第{bottom + 1}行"
    missing = [col for col in columns if col.required and col.key not in header.assign]
    if missing:
        detail = "；".join(
            f"“{col.label}”" + (f"（也可写作：{'、'.join(col.synonyms)}）" if col.synonyms else "")
            for col in missing
        )
        raise ReadError(f"{_page(kind, grid)}{rows_label}的表头中缺少必需的列：{detail}",
                        row=header_row, value=tuple(col.label for col in missing))

    found = {key: c for key, (c, _) in header.assign.items()}
    letters = {key: get_column_letter(c + 1) for key, c in found.items()}
    headers = {key: header_text(grid, top, bottom, c) for key, c in found.items()}

    # The table's width: the header's non-empty cells.
    used = [c for c in range(grid.ncols) if any(not blank(grid.filled[r][c]) for r in range(top, bottom + 1))]
    lo, hi = (min(used), max(used)) if used else (0, grid.ncols - 1)
    width = hi - lo + 1
    wide = max(2, width // 2 + 1)

    by_key = {col.key: col for col in columns}
    serial_cols = {c for key, c in found.items()
                   if {norm(n) for n in by_key[key].names} & SERIAL_NAMES}
    serial_cols |= {c for c in range(lo, hi + 1)
                    if {norm(grid.filled[r][c]) for r in range(top, bottom + 1)} & SERIAL_NAMES}
    serial_keys = {key for key, c in found.items() if c in serial_cols}
    header_texts: dict[int, set[str]] = {}
    for key, c in found.items():
        texts = {norm(grid.filled[r][c]) for r in range(top, bottom + 1)}
        texts |= {norm(n) for n in by_key[key].names} | {norm(headers[key])}
        header_texts[c] = texts - {""}
    repeat_needed = max(min(2, len(found)), (len(found) + 1) // 2)
    above = {norm(v) for r in range(top) for v in grid.filled[r] if not blank(v)}

    rows: list[SourceRow] = []
    carried: dict[str, Any] = {}
    section = ""
    for r in range(bottom + 1, grid.nrows):
        raw = grid.raw[r]
        own = [(c, raw[c]) for c in range(lo, hi + 1) if not blank(raw[c])]
        if not own:
            continue  # blank, or only the continuation of merged cells
        first_c, first = own[0]
        first_text = plain(first) if isinstance(first, str) else ""
        if first_text and _NOTE_RE.match(unicodedata.normalize("NFKC", first).strip()):
            break
        if len(own) == 1 and grid.span.get((r, first_c), 1) >= wide:
            if norm(first) in above:
                continue  # the title printed again on a new page
            text = _clean(first)
            if isinstance(text, str) and _DIVIDER_RE.match(unicodedata.normalize("NFKC", text)) and "\n" not in text:
                section = text
                continue
            break  # a note merged across the table
        if first_text and _EXAMPLE_RE.match(first_text):
            continue
        if all(c in serial_cols for c, _ in own):
            continue  # numbered blank template row
        if sum(1 for c in found.values() if norm(grid.filled[r][c]) in header_texts[c]) >= repeat_needed:
            continue  # header printed again
        if _is_number_row([v for _, v in own]):
            continue
        if not any(c in found.values() for c, _ in own):
            continue

        values: dict[str, Any] = {}
        for key in keys:
            value = _clean(grid.filled[r][found[key]], serial=key in serial_keys) if key in found else None
            if key in merged_fill:
                if value is None:
                    value = carried.get(key)
                else:
                    carried[key] = value
            values[key] = value
        rows.append(SourceRow(number=r + 1, values=values, columns=dict(letters), section=section))

    return Table(sheet_name=grid.title, header_row=header_row, columns=letters, rows=rows,
                 headers=headers, first_header_row=top + 1, lines_above=_lines_above(grid, top), format=kind)


def _pages(kind: str) -> str:
    return {"docx": "各表格", "csv": "文件"}.get(kind, "各工作表")


def _page(kind: str, grid: Grid) -> str:
    return {"docx": f"{grid.title}", "csv": ""}.get(kind, f"工作表“{grid.title}”")


def _line_text(value: Any) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y年%m月%d日")
    text = _clean(value)
    return "" if text is None else str(text)


def _lines_above(grid: Grid, top: int) -> list[str]:
    """The texts above the header (title rows, 填报单位, 反馈时间 …), top to bottom, one line per row."""
    lines = list(grid.lines_above)
    for r in range(top):
        cells = [_line_text(v) for v in grid.raw[r] if not blank(v)]
        if cells := [c for c in cells if c]:
            lines.append(" ".join(cells))
    return lines
