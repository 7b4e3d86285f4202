"""What every import plan has (the file, where its table was found, its errors) and the reading of its rows."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.tables import Column, ReadError, SourceRow, Table, read_table

from .rows import RowChecker, RowError

# Set by a background import (background.py): called with (rows checked, rows in all) as the plan reads the table.
row_progress: ContextVar[Callable[[int, int], None] | None] = ContextVar("import_row_progress", default=None)
PROGRESS_EVERY = 100  # rows between two reports

FORMAT_LABELS = {"xlsx": "Excel（.xlsx）", "xls": "Excel 97-2003（.xls）", "docx": "Word（.docx）", "csv": "CSV"}


@dataclass(kw_only=True)
class Plan:
    """The dry run of an import: everything it would create (``entries``) and every error; writes nothing."""

    file_name: str = ""
    sheet: str = ""
    header_row: int | None = None
    format: str = ""
    errors: list[RowError] = field(default_factory=list)

    @property
    def entries(self) -> list:
        raise NotImplementedError

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.entries)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, "")


def read_rows(plan: Plan, source, columns: Sequence[Column], *,
              merged_fill: Sequence[str] = ()) -> tuple[Table | None, Iterator[tuple[SourceRow, RowChecker]]]:
    """Read the table for ``plan`` and yield each data row with a checker that records its errors in the plan.
    A file that cannot be read leaves one whole-file error and no rows; a header with no rows below says so."""
    try:
        table = read_table(source, columns, merged_fill=merged_fill, name=plan.file_name)
    except ReadError as exc:
        plan.errors.append(RowError.from_read_error(exc))
        return None, iter(())
    plan.sheet, plan.header_row, plan.format = table.sheet_name, table.header_row, table.format
    labels = {c.key: c.label for c in columns}

    def rows():
        report, total = row_progress.get(), len(table.rows)
        for number, row in enumerate(table.rows):
            if report is not None and number % PROGRESS_EVERY == 0:
                report(number, total)
            yield row, RowChecker(plan.errors, row, table.headers, labels)
        if not table.rows and not plan.errors:
            plan.errors.append(RowError(table.header_row, "", "", "", _("表头下没有任何数据行")))

    return table, rows()
