"""What a reader is asked for (the columns, by their names) and what it returns (the rows, by column key)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    lines_above: list[str] = field(default_factory=list)  # title and note lines above the header, top to bottom
    format: str = ""  # xlsx, xls, docx or csv
