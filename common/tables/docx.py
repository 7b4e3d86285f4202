"""Read the tables of a Word (.docx) document with python-docx: one Grid per table, cells merged across or down
given as merged ranges, and the paragraphs above each table kept as its title lines."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn

from .errors import ReadError
from .grid import Grid
from .limits import RowCounter, check_archive

NOT_DOCX = "文件不是有效的 Word（.docx）文件，请用 Word 或 WPS 另存为 .docx 格式后重新上传"
NO_TABLE = "Word 文件中没有表格：请把清单做成表格（表头一行、每项一行）后重新上传"


def _table_grid(table, title: str, lines_above: list[str]) -> Grid:
    counter = RowCounter(title)
    rows: list[list] = []
    merges: list[tuple[int, int, int, int]] = []
    origin: dict = {}  # a cell element (kept alive as the key) -> where it first appeared
    extent: dict = {}  # cell element -> [last row, last column]
    for r, row in enumerate(table.rows):
        values: list = [None] * (row.grid_cols_before or 0)
        for c, cell in enumerate(row.cells, start=len(values)):
            key = cell._tc
            if key in origin:
                values.append(None)  # the same cell again: merged across (gridSpan) or down (vMerge)
                extent[key][0], extent[key][1] = max(extent[key][0], r), max(extent[key][1], c)
            else:
                origin[key], extent[key] = (r, c), [r, c]
                values.append(cell.text)
        rows.append(counter.row(values))
    for key, (r0, c0) in origin.items():
        r1, c1 = extent[key]
        if (r1, c1) != (r0, c0):
            merges.append((r0, c0, r1, c1))
    return Grid(title, rows, merges, lines_above=lines_above)


def read_docx(data: bytes) -> list[Grid]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive, kind="Word ")
    except zipfile.BadZipFile as exc:
        raise ReadError(NOT_DOCX) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a package that is not a document
        raise ReadError(NOT_DOCX) from exc
    grids, lines = [], []
    try:
        for block in document.element.body.iterchildren():
            if block.tag == qn("w:p"):
                text = "".join(t.text or "" for t in block.iter(qn("w:t"))).strip()
                if text:
                    lines.append(text)
            elif block.tag == qn("w:tbl"):
                table = docx.table.Table(block, document)
                grids.append(_table_grid(table, f"表格{len(grids) + 1}", lines))
                lines = []
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(NOT_DOCX) from exc
    if not grids:
        raise ReadError(NO_TABLE)
    return grids
