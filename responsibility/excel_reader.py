"""Read a table from an .xlsx file the way agencies lay it out (title rows, merged cells, notes), by its header names."""

from __future__ import annotations

import datetime
import io
import math
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable, Sequence

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

__all__ = ["Column", "ReadError", "SourceRow", "Table", "read_table", "HEADER_SCAN_ROWS"]

HEADER_SCAN_ROWS = 30  # the header must start within the first rows of a sheet
_MAX_COLUMNS = 200
_SHORT = 12  # header texts are short; longer lower-row texts are matched exactly only

NOT_XLSX_MESSAGE = "文件不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 格式后重新上传"


@dataclass(frozen=True)
class Column:
    """A column the caller needs: found by its label or one of its synonyms in the header."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.synonyms, tuple):
            object.__setattr__(self, "synonyms", tuple(self.synonyms))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


class ReadError(Exception):
    """The file cannot be read as the expected table. ``message`` is Chinese and meant for the user.

    ``row`` is the Excel row number and ``column`` the column letter when the error is about one cell;
    importers raise it too for cells they cannot accept.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None,
                 value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.value = value

    @property
    def location(self) -> str:
        """"第5行C列", "第5行", "C列" or ""."""
        return (f"第{self.row}行" if self.row is not None else "") + (f"{self.column}列" if self.column else "")

    def __str__(self) -> str:
        return self.message


@dataclass
class SourceRow:
    """One data row: ``values`` holds every requested key (None when blank or the column is absent)."""

    number: int  # the Excel row number
    values: dict[str, Any]
    columns: dict[str, str]  # key -> column letter, for the columns found
    section: str = ""  # the last full-width divider row above ("一、政治建设") when a table uses them

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def cell(self, key: str) -> str:
        """The cell reference of ``key`` in this row, e.g. "C5" ("" when the column was not found)."""
        letter = self.columns.get(key)
        return f"{letter}{self.number}" if letter else ""


@dataclass
class Table:
    sheet_name: str
    header_row: int  # the last header row (the header may span two rows)
    columns: dict[str, str]  # key -> column letter, for the columns found
    rows: list[SourceRow]
    headers: dict[str, str] = field(default_factory=dict)  # key -> header text as written
    first_header_row: int = 0  # the first header row (== header_row for a one-row header)


# ---------------------------------------------------------------- opening


def _read_bytes(source: Any) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            with open(path, "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise ReadError(f"找不到文件“{os.path.basename(path)}”") from None
        except OSError as exc:
            raise ReadError(f"无法打开文件“{os.path.basename(path)}”：{exc.strerror or exc}") from None
    if hasattr(source, "read"):  # a binary file-like, e.g. a Django UploadedFile
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        data = source.read()
        if isinstance(data, str):
            raise ReadError(NOT_XLSX_MESSAGE)
        return bytes(data)
    raise TypeError(f"read_table() needs a path or a binary file, not {type(source).__name__}")


def _open_workbook(source: Any):
    data = _read_bytes(source)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(NOT_XLSX_MESSAGE + "（这是旧版 .xls 格式或加密文件）")
    if data[:2] != b"PK":
        raise ReadError(NOT_XLSX_MESSAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise ReadError(NOT_XLSX_MESSAGE) from exc


# ---------------------------------------------------------------- normalising

_BRACKETED_RE = re.compile(r"[(\[【〔<《][^()\[\]【】〔〕<>《》]*[)\]】〕>》]")
_HEADER_JUNK_RE = re.compile(r"[\s*※★☆:]")
_SERIAL_NAMES = {"序号", "编号", "序", "no", "no.", "行号"}


def _norm(value: Any) -> str:
    """Header text for matching: half-width, no spaces, no '*' markers, no bracketed remarks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    stripped = _BRACKETED_RE.sub("", text)
    if _HEADER_JUNK_RE.sub("", stripped):
        text = stripped
    else:
        text = re.sub(r"[()\[\]【】〔〕<>《》]", "", text)
    return _HEADER_JUNK_RE.sub("", text).lower()


def _plain(value: Any) -> str:
    """Text for recognising example rows: half-width, no spaces, no brackets."""
    return re.sub(r"[\s()\[\]【】〔〕<>《》]", "", unicodedata.normalize("NFKC", str(value)))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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


# ---------------------------------------------------------------- sheet grid


class _Grid:
    """Cell values of one sheet, 0-based; ``filled`` gives every merged cell its top-left value."""

    def __init__(self, ws) -> None:
        self.title = ws.title
        nrows = ws.max_row or 0
        ncols = min(ws.max_column or 0, _MAX_COLUMNS)
        self.raw: list[list[Any]] = [
            list(r) for r in ws.iter_rows(min_row=1, max_row=nrows, max_col=ncols, values_only=True)
        ] if nrows and ncols else []
        self.nrows = len(self.raw)
        self.ncols = ncols
        self.filled = [list(r) for r in self.raw]
        self.span: dict[tuple[int, int], int] = {}  # top-left (r, c) -> merged width
        for rng in ws.merged_cells.ranges:
            r0, c0 = rng.min_row - 1, rng.min_col - 1
            if r0 >= self.nrows or c0 >= ncols:
                continue
            top_left = self.raw[r0][c0]
            self.span[(r0, c0)] = rng.max_col - rng.min_col + 1
            for r in range(r0, min(rng.max_row, self.nrows)):
                for c in range(c0, min(rng.max_col, ncols)):
                    if (r, c) != (r0, c0):
                        self.filled[r][c] = top_left


# ---------------------------------------------------------------- header matching


@dataclass
class _Header:
    grid: _Grid
    sheet_index: int
    top: int  # 0-based
    bottom: int
    assign: dict[str, tuple[int, int]]  # key -> (column index, tier)
    score: int


def _match(variants: list[list[tuple[int, str, bool]]], columns: Sequence[Column],
           names: list[set[str]]) -> tuple[dict[str, tuple[int, int]], int]:
    """Assign columns to header cells: exact matches first, then the longest contained name.

    ``variants[c]`` lists (tier, text, contains allowed) for column index ``c``; lower tiers win.
    """
    candidates = []
    for c, texts in enumerate(variants):
        for base, text, contains in texts:
            if not text:
                continue
            for i, _col in enumerate(columns):
                if text in names[i]:
                    candidates.append((base, 0, i, c))
                elif contains:
                    longest = max((len(n) for n in names[i] if len(n) >= 2 and n in text), default=0)
                    if longest:
                        candidates.append((3 + base, -longest, i, c))
    candidates.sort()
    assign: dict[str, tuple[int, int]] = {}
    used: set[int] = set()
    for tier, _, i, c in candidates:
        key = columns[i].key
        if key in assign or c in used:
            continue
        assign[key] = (c, tier)
        used.add(c)
    score = sum(2 if tier < 3 else 1 for _, tier in assign.values())
    return assign, score


def _find_header(grids: list[_Grid], columns: Sequence[Column]) -> _Header | None:
    names = [{_norm(n) for n in col.names} - {""} for col in columns]
    minimum = min(2, len(columns))
    best: _Header | None = None

    def consider(h: _Header) -> None:
        nonlocal best
        if len(h.assign) >= minimum and (best is None or h.score > best.score):
            best = h

    for index, grid in enumerate(grids):
        rows = min(HEADER_SCAN_ROWS + 1, grid.nrows)
        texts = [[_norm(v) for v in grid.filled[r]] for r in range(rows)]
        singles = []
        for r in range(rows):
            assign, score = _match([[(0, t, True)] for t in texts[r]], columns, names)
            singles.append((assign, score))
        for r in range(min(HEADER_SCAN_ROWS, rows)):
            assign, score = singles[r]
            consider(_Header(grid, index, r, r, assign, score))
            if r + 1 >= rows:
                continue
            # Two-row header: the upper row must itself look like a header (a title row does not),
            # the lower row must hold text only (not a data row) and name a column exactly, alone or
            # joined to the text above, and together they must match more than either row alone.
            upper_exact = any(tier < 3 for _, tier in assign.values())
            lower_values = [v for v in grid.filled[r + 1] if not _blank(v)]
            if not upper_exact or not lower_values or not all(isinstance(v, str) for v in lower_values):
                continue
            # Long lower-row texts only count when equal to a name, so a first data row made only of
            # text cannot pass for a sub-header by containing a column name somewhere.
            variants = []
            for up, low in zip(texts[r], texts[r + 1]):
                both = up + low if up and low and up != low else ""
                variants.append([(0, low, len(low) <= _SHORT), (1, both, len(both) <= _SHORT), (2, up, True)])
            assign2, score2 = _match(variants, columns, names)
            lower_exact = any(tier in (0, 1) for _, tier in assign2.values())
            if lower_exact and score2 > max(score, singles[r + 1][1]):
                consider(_Header(grid, index, r, r + 1, assign2, score2))
    return best


def _header_text(grid: _Grid, top: int, bottom: int, c: int) -> str:
    parts: list[str] = []
    for r in range(top, bottom + 1):
        value = grid.filled[r][c]
        if not _blank(value):
            text = re.sub(r"\s+", "", str(value))
            if text not in parts:
                parts.append(text)
    return "/".join(parts)


def _describe(columns: Sequence[Column]) -> str:
    return "、".join(f"“{col.label}”" + ("（必需）" if col.required else "") for col in columns)


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


def read_table(source: Any, columns: Sequence[Column], *, merged_fill: Iterable[str] = ()) -> Table:
    """Read the table whose header best matches ``columns`` from the workbook ``source``.

    ``source`` is a path or a binary file-like (an uploaded file). Cells of a merged range all take the
    range's value; keys in ``merged_fill`` also carry the last value down over blank cells.
    Raises ReadError (Chinese message) when the file is not an .xlsx, no header is found, or a
    required column is missing.
    """
    columns = list(columns)
    keys = [col.key for col in columns]
    if len(set(keys)) != len(keys):
        raise ValueError("column keys must be unique")
    merged_fill = set(merged_fill)
    if merged_fill - set(keys):
        raise ValueError(f"merged_fill names unknown keys: {sorted(merged_fill - set(keys))}")

    wb = _open_workbook(source)
    try:
        grids = [_Grid(ws) for ws in wb.worksheets]
    finally:
        wb.close()

    header = _find_header(grids, columns)
    if header is None:
        empty = all(not any(not _blank(v) for row in g.raw for v in row) for g in grids)
        raise ReadError(
            ("未找到表头：文件中没有内容。" if empty else
             f"未找到表头：各工作表前{HEADER_SCAN_ROWS}行中没有与所需列名相符的表头行。")
            + f"需要的列：{_describe(columns)}"
        )

    grid, top, bottom = header.grid, header.top, header.bottom
    # A header whose cells are merged down over one more row ends on that row.
    if bottom + 1 < grid.nrows:
        below = [(grid.raw[bottom + 1][c], grid.filled[bottom + 1][c]) for c, _ in header.assign.values()]
        if all(_blank(raw) for raw, _ in below) and any(not _blank(v) for _, v in below) and all(
                _blank(v) or v == grid.filled[bottom][c] for (_, v), (c, _) in zip(below, header.assign.values())):
            bottom += 1
    header_row = bottom + 1
    rows_label = f"第{top + 1}–{bottom + 1}行" if top != bottom else f"第{bottom + 1}行"
    missing = [col for col in columns if col.required and col.key not in header.assign]
    if missing:
        detail = "；".join(
            f"“{col.label}”" + (f"（也可写作：{'、'.join(col.synonyms)}）" if col.synonyms else "")
            for col in missing
        )
        raise ReadError(f"工作表“{grid.title}”{rows_label}的表头中缺少必需的列：{detail}",
                        row=header_row, value=tuple(col.label for col in missing))

    found = {key: c for key, (c, _) in header.assign.items()}
    letters = {key: get_column_letter(c + 1) for key, c in found.items()}
    headers = {key: _header_text(grid, top, bottom, c) for key, c in found.items()}

    # The table's width: the header's non-empty cells.
    used = [c for c in range(grid.ncols) if any(not _blank(grid.filled[r][c]) for r in range(top, bottom + 1))]
    lo, hi = (min(used), max(used)) if used else (0, grid.ncols - 1)
    width = hi - lo + 1
    wide = max(2, width // 2 + 1)

    by_key = {col.key: col for col in columns}
    serial_cols = {c for key, c in found.items()
                   if {_norm(n) for n in by_key[key].names} & _SERIAL_NAMES}
    serial_cols |= {c for c in range(lo, hi + 1)
                    if {_norm(grid.filled[r][c]) for r in range(top, bottom + 1)} & _SERIAL_NAMES}
    serial_keys = {key for key, c in found.items() if c in serial_cols}
    header_texts: dict[int, set[str]] = {}
    for key, c in found.items():
        texts = {_norm(grid.filled[r][c]) for r in range(top, bottom + 1)}
        texts |= {_norm(n) for n in by_key[key].names} | {_norm(headers[key])}
        header_texts[c] = texts - {""}
    repeat_needed = max(min(2, len(found)), (len(found) + 1) // 2)
    above = {_norm(v) for r in range(top) for v in grid.filled[r] if not _blank(v)}

    rows: list[SourceRow] = []
    carried: dict[str, Any] = {}
    section = ""
    for r in range(bottom + 1, grid.nrows):
        raw = grid.raw[r]
        own = [(c, raw[c]) for c in range(lo, hi + 1) if not _blank(raw[c])]
        if not own:
            continue  # blank, or only the continuation of merged cells
        first_c, first = own[0]
        first_text = _plain(first) if isinstance(first, str) else ""
        if first_text and _NOTE_RE.match(unicodedata.normalize("NFKC", first).strip()):
            break
        if len(own) == 1 and grid.span.get((r, first_c), 1) >= wide:
            if _norm(first) in above:
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
        if sum(1 for c in found.values() if _norm(grid.filled[r][c]) in header_texts[c]) >= repeat_needed:
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
                 headers=headers, first_header_row=top + 1)
