"""Row errors: where in the file (row, column letter, header as written), what the cell said, why it cannot be
imported, and the names it was probably meant to be."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from common.tables import ReadError, SourceRow


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.time(0) else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class RowError:
    row: int | None
    column: str  # the column letter ("" for the whole file or row)
    label: str  # the column's header as written
    value: str
    message: str
    suggestions: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        return (f"第{self.row}行" if self.row else "") + (f"{self.column}列" if self.column else "")

    def __str__(self):
        where = self.location + (f"“{self.label}”" if self.label else "")
        text = f"{where}：{self.message}" if where else self.message
        if self.suggestions:
            text += "（是否为：" + "、".join(self.suggestions) + "）"
        return text

    @classmethod
    def from_read_error(cls, exc: ReadError) -> RowError:
        return cls(exc.row, exc.column or "", "", cell_text(exc.value) if exc.value else "", exc.message)

    @classmethod
    def whole_file(cls, message: str, value: str = "") -> RowError:
        return cls(None, "", "", value, message)


class RowChecker:
    """Collects one row's errors into ``errors`` against its cells; ``failed`` says whether it had any."""

    def __init__(self, errors: list[RowError], row: SourceRow, headers: dict[str, str], labels: dict[str, str]):
        self.errors, self.row, self.headers, self.labels = errors, row, headers, labels
        self.failed = False

    def text(self, key: str) -> str:
        return cell_text(self.row.get(key))

    def error(self, key: str, message: str, suggestions=()) -> None:
        self.failed = True
        self.errors.append(RowError(
            row=self.row.number, column=self.row.columns.get(key, ""),
            label=self.headers.get(key) or self.labels.get(key, ""), value=self.text(key),
            message=message, suggestions=list(suggestions)))
