"""Write an .xlsx sample again as .xls (xlwt), .docx (python-docx) and .csv, laid out the same way: title rows
above as a merged row (.xls, .csv) or as paragraphs (.docx), merged cells merged again, notes below kept."""
from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import docx
import openpyxl
import xlwt


def _sheet(path: Path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return ws.title, rows, merges


def to_xls(path: Path, out: Path) -> Path:
    title, rows, merges = _sheet(path)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    times = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r0, c0, r1, c1 in merges:
        sheet.write_merge(r0, r1, c0, c1, rows[r0][c0])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or (r, c) in covered:
                continue
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, times if isinstance(value, datetime.datetime) else dates)
            else:
                sheet.write(r, c, value)
    book.save(str(out))
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.time(0) else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_csv(path: Path, out: Path, encoding: str = "utf-8-sig") -> Path:
    """Values as Excel saves a sheet to CSV: a merged range's value in its top-left cell only."""
    _title, rows, _merges = _sheet(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_text(v) for v in row])
    out.write_bytes(buffer.getvalue().encode(encoding))
    return out


def _full_width(row, merges, r, width) -> bool:
    """A row whose only text is one cell merged across the table: a title or a note."""
    filled = [c for c, v in enumerate(row) if v not in (None, "")]
    return len(filled) == 1 and any(r0 == r and c1 - c0 + 1 >= width // 2 + 1 for r0, c0, r1, c1 in merges)


def to_docx(path: Path, out: Path) -> Path:
    """Title rows become paragraphs above the table, a note merged across the foot a paragraph below it."""
    _title, rows, merges = _sheet(path)
    width = max(len(r) for r in rows)
    first = next(r for r, row in enumerate(rows) if not _full_width(row, merges, r, width))
    last = max(r for r, row in enumerate(rows) if any(v not in (None, "") for v in row))
    if _full_width(rows[last], merges, last, width):
        last -= 1
    document = docx.Document()
    for r in range(first):
        document.add_paragraph(" ".join(_text(v) for v in rows[r] if v is not None))
    table = document.add_table(rows=last - first + 1, cols=width)
    for r in range(first, last + 1):
        for c, value in enumerate(rows[r]):
            if value is not None:
                table.cell(r - first, c).text = _text(value)
    for r0, c0, r1, c1 in merges:
        if first <= r0 and r1 <= last:
            table.cell(r0 - first, c0).merge(table.cell(r1 - first, c1))
    for r in range(last + 1, len(rows)):
        if any(v is not None for v in rows[r]):
            document.add_paragraph(" ".join(_text(v) for v in rows[r] if v is not None))
    document.save(str(out))
    return out


def every_format(path: Path, folder: Path) -> dict[str, Path]:
    """The sample and its copies: {"xlsx", "xls", "docx", "csv", "csv-gb18030"} → file."""
    stem = path.stem
    return {
        "xlsx": path,
        "xls": to_xls(path, folder / f"{stem}.xls"),
        "docx": to_docx(path, folder / f"{stem}.docx"),
        "csv": to_csv(path, folder / f"{stem}.csv"),
        "csv-gb18030": to_csv(path, folder / f"{stem}-gbk.csv", encoding="gb18030"),
    }
