"""Read the worksheets of an .xlsx workbook in openpyxl's streaming (read-only) mode, merged ranges included."""
from __future__ import annotations

import io
import warnings
import zipfile

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from .errors import ReadError
from .grid import Grid
from .limits import RowCounter, check_archive

NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 格式后重新上传"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _merges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (0-based, inclusive), streamed from its XML without building the cells."""
    ranges = []
    parser = etree.iterparse(archive.open(path.lstrip("/")), events=("end",), tag=f"{_MAIN}mergeCell",
                             resolve_entities=False, no_network=True, huge_tree=False)
    for _event, element in parser:
        ref = element.get("ref") or ""
        try:
            c0, r0, c1, r1 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None not in (c0, r0, c1, r1):
            ranges.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
        element.clear()
    return ranges


def _count_rows(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with a sheet over the row limit before openpyxl sizes it (which parses the whole sheet
    when the file does not declare its dimensions): rows holding a value are counted in one streaming pass."""
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        counter = RowCounter("工作表")
        for _event, row in etree.iterparse(archive.open(name), events=("end",), tag=f"{_MAIN}row",
                                           resolve_entities=False, no_network=True, huge_tree=False):
            if any(len(cell) for cell in row):
                counter.row([True])
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]


def read_xlsx(data: bytes) -> list[Grid]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError(NOT_XLSX) from exc
    with archive:
        check_archive(archive, kind="Excel ")
        try:
            _count_rows(archive)
        except etree.LxmlError as exc:
            raise ReadError(NOT_XLSX) from exc
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except ReadError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
            raise ReadError(NOT_XLSX) from exc
        grids = []
        try:
            for ws in wb.worksheets:
                if not hasattr(ws, "iter_rows"):
                    continue  # a chart sheet
                counter = RowCounter(f"工作表“{ws.title}”")
                rows = []
                for values in ws.iter_rows(values_only=True):
                    rows.append(counter.row(list(values)))
                while rows and not rows[-1]:
                    rows.pop()
                try:
                    merges = _merges(archive, ws._worksheet_path)
                except (KeyError, etree.LxmlError) as exc:
                    raise ReadError(NOT_XLSX) from exc
                grids.append(Grid(ws.title, rows, merges))
        except ReadError:
            raise
        except Exception as exc:
            raise ReadError(NOT_XLSX) from exc
        finally:
            wb.close()
    return grids
