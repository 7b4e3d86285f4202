"""Bounds on what an uploaded table may cost before any parser sees it: bytes, unpacked bytes, rows, columns.

A crafted file (a zip bomb, an XML entity bomb, a sheet of a million rows) is refused from its declared sizes and
its XML prologues, so a refusal costs a read of the archive's directory, not the parse."""
from __future__ import annotations

import zipfile

from django.conf import settings

from .errors import ReadError

DEFAULTS = {
    "IMPORT_MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_UNPACKED_BYTES": 50 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 5000,
    "IMPORT_MAX_COLUMNS": 200,
    "IMPORT_MAX_ARCHIVE_MEMBERS": 2000,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:g}"


def check_upload_size(size: int) -> None:
    if size > limit("IMPORT_MAX_UPLOAD_BYTES"):
        raise ReadError(f"文件超过 {megabytes(limit('IMPORT_MAX_UPLOAD_BYTES'))} MB，不能导入。")


class RowCounter:
    """Counts the non-blank rows a reader yields and refuses the file once they pass the cap."""

    def __init__(self, where: str) -> None:
        self.where, self.rows, self.max_rows = where, 0, limit("IMPORT_MAX_ROWS")
        self.max_columns = limit("IMPORT_MAX_COLUMNS")

    def row(self, values: list) -> list:
        """The row trimmed of trailing blanks; raises ReadError when the file is too large."""
        while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
            values.pop()
        if values:
            self.rows += 1
            if self.rows > self.max_rows:
                raise ReadError(f"{self.where}超过 {self.max_rows} 行，不能导入；请拆分为多个文件后分别导入。")
            if len(values) > self.max_columns:
                raise ReadError(f"{self.where}超过 {self.max_columns} 列，不能导入；请删去表格右侧多余的列。")
        return values


_DTD_MARKS = tuple(mark.encode(codec) for mark in ("<!doctype", "<!entity") for codec in ("ascii", "utf-16-le"))


def _check_no_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Office XML never declares a DTD: a part that does (XXE, entity expansion) is refused before any parser runs.
    Markup inside text is escaped (&lt;!DOCTYPE), so a plain scan of the part cannot mistake a cell for a DTD."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 16):
            window = (tail + chunk).lower()
            if any(mark in window for mark in _DTD_MARKS):
                raise ReadError("文件中含有不安全的 XML 声明（DOCTYPE/ENTITY），已拒绝导入。")
            tail = window[-32:]


def check_archive(archive: zipfile.ZipFile, *, kind: str) -> None:
    """Refuse an Office archive whose members would unpack beyond the limit or whose XML declares a DTD."""
    members = archive.infolist()
    if len(members) > limit("IMPORT_MAX_ARCHIVE_MEMBERS"):
        raise ReadError(f"{kind}文件内部结构异常（包含 {len(members)} 个部件），已拒绝导入。")
    unpacked = sum(info.file_size for info in members)
    if unpacked > limit("IMPORT_MAX_UNPACKED_BYTES"):
        raise ReadError(f"{kind}文件解压后约 {unpacked / 1024 / 1024:.0f} MB，超过 {megabytes(limit('IMPORT_MAX_UNPACKED_BYTES'))}"
                        f" MB 的上限，不能导入；请删除多余的工作表、图片或拆分文件后重试。")
    for info in members:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReadError(f"{kind}文件使用了不支持的压缩方式，已拒绝导入。")
        if info.flag_bits & 0x1:
            raise ReadError(f"{kind}文件已加密，请先取消密码保护后再导入。")
    for info in members:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            _check_no_dtd(archive, info)
