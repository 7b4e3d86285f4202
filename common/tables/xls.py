"""Read the worksheets of an Excel 97-2003 (.xls, also what WPS saves) workbook with xlrd, merged ranges included."""
from __future__ import annotations

import datetime

import xlrd

from .errors import ReadError
from .grid import Grid
from .limits import RowCounter, limit

NOT_XLS = "文件不是有效的 Excel 97-2003（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 格式后重新上传"
ENCRYPTED = "文件已加密（设置了打开密码），请先在 Excel 或 WPS 中取消密码保护后再导入"
WORD_OR_OTHER = "这是旧版 Word（.doc）或其他 Office 文件，不是表格；请另存为 .docx 或 .xlsx 后重新上传"


def _value(sheet, r: int, c: int, datemode: int):
    cell = sheet.cell(r, c)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
        return value.date() if value.time() == datetime.time(0) else value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def read_ole(data: bytes) -> list[Grid]:
    """A compound (OLE) file: an .xls workbook is read; encrypted workbooks and Word .doc files are refused."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
        raise ReadError(ENCRYPTED)  # an encrypted .xlsx/.docx travels inside an OLE container
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_Silent(), ragged_rows=True)
    except xlrd.biffh.XLRDError as exc:
        text = str(exc).lower()
        if "encrypt" in text:
            raise ReadError(ENCRYPTED) from exc
        if "workbook" in text and "not" in text or "can't find" in text:
            raise ReadError(WORD_OR_OTHER) from exc
        raise ReadError(NOT_XLS) from exc
    except Exception as exc:  # a damaged file
        raise ReadError(NOT_XLS) from exc
    grids = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            counter = RowCounter(f"工作表“{sheet.name}”")
            if sheet.ncols > limit("IMPORT_MAX_COLUMNS") * 4:
                raise ReadError(f"工作表“{sheet.name}”超过 {limit('IMPORT_MAX_COLUMNS')} 列，不能导入。")
            rows = [counter.row([_value(sheet, r, c, book.datemode) for c in range(sheet.row_len(r))])
                    for r in range(sheet.nrows)]
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            grids.append(Grid(sheet.name, rows, merges))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return grids


class _Silent:
    def write(self, *_args):
        pass
