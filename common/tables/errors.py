"""The one exception the table readers raise: a Chinese message for the user, and where in the file it applies."""
from __future__ import annotations

from typing import Any


class ReadError(Exception):
    """The file cannot be read as the expected table. ``message`` is Chinese and meant for the user.

    ``row`` is the row number and ``column`` the column letter when the error is about one cell.
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
