"""Read a CSV file (UTF-8 with or without BOM, or GB18030 as Excel and WPS save it on Chinese Windows)."""
from __future__ import annotations

import csv
import io

from .errors import ReadError
from .grid import Grid
from .limits import RowCounter

NOT_TEXT = "CSV 文件的编码无法识别，请另存为“CSV UTF-8（逗号分隔）”后重新上传"


def _decode(data: bytes) -> str:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ReadError(NOT_TEXT)


def read_csv(data: bytes) -> list[Grid]:
    text = _decode(data)
    sample = text[:8192]
    delimiter = max(",\t;", key=lambda mark: (sample.count(mark), mark == ","))
    counter = RowCounter("CSV 文件")
    rows = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(counter.row([v if v.strip() else None for v in values]))
    except csv.Error as exc:
        raise ReadError(f"CSV 文件格式有误：{exc}") from exc
    return [Grid("CSV", rows)]
