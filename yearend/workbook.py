"""The year-end workbook (年度台账): a year's figures and ledgers for an organisation subtree, as agencies keep them.

One sheet per ledger, written by `common.xlsx` in openpyxl's write-only mode, rows streamed from the database, so
neither the workbook nor a year of report lines is ever held in memory."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from openpyxl import Workbook

from common.xlsx import SheetSpec, SheetWriter

from .assessment_sheet import SHEET_ASSESSMENT, assessment_sheet
from .figures import TermRow, YearFigures, term_rows_for, year_figures
from .ledgers import items_sheet, ledger_sheet
from .scope import YearScope
from .supervision_sheet import (SHEET_INSTRUCTIONS, SHEET_RECORDS, SHEET_TALKS, instruction_sheet, record_sheet,
                                supervision_figures, talk_sheet)
from .sheets import (SHEET_ITEMS, SHEET_LEDGER, SHEET_ORGLIFE, SHEET_REPORTS, SHEET_SUMMARY, SHEET_TERMS,
                     orglife_sheet, reports_sheet, summary_sheet, terms_sheet)

Progress = Callable[[int, str], None]


def sheets(ys: YearScope, figures: YearFigures, term_rows: list[TermRow]) -> Iterable[SheetSpec]:
    """The workbook's sheets in order; each is built (and queried) only when the writer reaches it."""
    yield summary_sheet(ys, figures)
    yield items_sheet(ys, figures)
    yield reports_sheet(ys, figures)
    yield ledger_sheet(ys, figures)
    yield terms_sheet(ys, figures, term_rows)
    life = orglife_sheet(ys, figures)
    if life is not None:
        yield life
    assessed = assessment_sheet(ys, figures)
    if assessed is not None:
        yield assessed
    supervised = supervision_figures(ys)
    for build in (instruction_sheet, talk_sheet, record_sheet):
        spec = build(ys, figures, supervised)
        if spec is not None:
            yield spec


# Share of the progress bar each stage takes, in order (the responsibility sheet is the big one).
STAGES = [("统计全年数据", 5), (SHEET_SUMMARY, 2), (SHEET_ITEMS, 55), (SHEET_REPORTS, 8), (SHEET_LEDGER, 15),
          (SHEET_TERMS, 3), (SHEET_ORGLIFE, 2), (SHEET_ASSESSMENT, 1),
          (SHEET_INSTRUCTIONS, 1), (SHEET_TALKS, 1), (SHEET_RECORDS, 1)]


class ProgressBands:
    """Turns (stage, rows done of expected) into one 0–100 figure for the progress bar."""

    def __init__(self, progress: Progress | None, end: int = 90):
        self.progress, self.scale = progress, end / sum(share for _name, share in STAGES)
        self.starts, start = {}, 0
        for name, share in STAGES:
            self.starts[name] = (start, share)
            start += share

    def report(self, stage: str, done: int = 0, expected: int = 0) -> None:
        if self.progress is None:
            return
        start, share = self.starts[stage]
        fraction = min(1.0, done / expected) if expected else 0.0
        self.progress(int((start + share * fraction) * self.scale), stage)


def write_workbook(ys: YearScope, out, *, progress: Progress | None = None,
                   figures: YearFigures | None = None) -> YearFigures:
    """Write the workbook to `out` (a path or binary file); returns the figures on its first sheet."""
    bands = ProgressBands(progress)
    bands.report("统计全年数据")
    term_rows = term_rows_for(ys)
    figures = figures or year_figures(ys, terms=term_rows)
    wb = Workbook(write_only=True)
    writer = SheetWriter(wb)
    for spec in sheets(ys, figures, term_rows):
        bands.report(spec.name)
        writer.write(spec, on_rows=lambda n, spec=spec: bands.report(spec.name, n, spec.expected_rows))
    if progress is not None:
        progress(90, "保存工作簿")
    wb.save(out)
    return figures
