"""Open an uploaded table file whatever its format: read its bytes within the size limit, tell the format from the
content (not the name), and hand it to the reader for that format, which returns its pages as Grids."""
from __future__ import annotations

import io
import os
import zipfile
from typing import Any

from .delimited import read_csv
from .docx import read_docx
from .errors import ReadError
from .grid import Grid
from .limits import check_upload_size, limit
from .xls import read_ole
from .xlsx import read_xlsx

FORMATS = (".xlsx", ".xls", ".docx", ".csv")
ACCEPTED_NAMES = "Excel（.xlsx、.xls）、Word（.docx）或 CSV"
NOT_A_TABLE = f"文件不是有效的 {ACCEPTED_NAMES} 文件，请用 Excel、WPS 或 Word 另存为这些格式后重新上传"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(source: Any) -> bytes:
    """The file's bytes from a path, bytes or a binary file-like (an uploaded file), refusing oversized files
    without reading past the limit."""
    cap = limit("IMPORT_MAX_UPLOAD_BYTES")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            with open(path, "rb") as fh:
                data = fh.read(cap + 1)
        except FileNotFoundError:
            raise ReadError(f"找不到文件“{os.path.basename(path)}”") from None
        except OSError as exc:
            raise ReadError(f"无法打开文件“{os.path.basename(path)}”：{exc.strerror or exc}") from None
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        data = source.read(cap + 1)
        if isinstance(data, str):
            raise ReadError(NOT_A_TABLE)
        data = bytes(data)
    else:
        raise TypeError(f"read_table() needs a path or a binary file, not {type(source).__name__}")
    check_upload_size(len(data))
    return data


def _office_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return ""
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def sniff(data: bytes) -> str:
    """xlsx, docx, xls, ole (another or an encrypted Office file), csv, or '' for anything else."""
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if data.startswith(OLE_MAGIC):
        return "ole"
    if _looks_like_text(data):
        return "csv"
    return ""


def _looks_like_text(data: bytes) -> bool:
    head = data[:65536]
    if not head.strip() or b"\x00" in head:
        return False
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError as exc:
            if codec == "utf-8-sig" and exc.start > len(head) - 4:
                return True  # a character cut at the end of the sample
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
        return controls == 0
    return False


RENAMED = {
    ".xlsx": "Excel", ".xlsm": "Excel", ".xls": "Excel", ".docx": "Word",
}


def _suffix(source: Any) -> str:
    name = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", "")
    return os.path.splitext(os.fspath(name or ""))[1].lower() if isinstance(name, (str, os.PathLike)) else ""


def read_grids(source: Any, name: str = "") -> tuple[str, list[Grid]]:
    """(format, pages) of the file; raises ReadError with a Chinese message for a file that is not a table.

    The content decides the format (WPS saves .xlsx content under .xls names); only plain text under an Office
    name is refused, as a file renamed from another format."""
    data = read_bytes(source)
    if not data.strip():
        raise ReadError("文件是空的。")
    kind, suffix = sniff(data), _suffix(name or source)
    office = RENAMED.get(suffix)
    if kind == "csv" and suffix not in ("", ".csv", ".txt") and not office:
        raise ReadError(NOT_A_TABLE)
    if office and kind in ("csv", "", "zip"):
        raise ReadError(f"文件不是有效的 {office}（{suffix}）文件：内容与扩展名不符（可能是其他格式的文件改了扩展名），"
                        f"请用 {'Word' if office == 'Word' else 'Excel'} 或 WPS 另存后重新上传")
    if kind == "xlsx":
        return kind, read_xlsx(data)
    if kind == "docx":
        return kind, read_docx(data)
    if kind == "ole":
        return "xls", read_ole(data)
    if kind == "csv":
        return kind, read_csv(data)
    raise ReadError(NOT_A_TABLE)
