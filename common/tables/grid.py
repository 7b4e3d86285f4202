"""One table-shaped page of an uploaded file (a worksheet, a Word table, a CSV file) as plain cell values."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Grid:
    """Cell values, 0-based. ``raw`` holds what each cell says; ``filled`` gives every cell of a merged range the
    value of its top-left cell; ``span`` maps a merged range's top-left (r, c) to its width. ``lines_above`` are
    texts a format keeps outside the grid (the paragraphs above a Word table)."""

    def __init__(self, title: str, rows: list[list[Any]], merges: Iterable[tuple[int, int, int, int]] = (),
                 lines_above: list[str] | None = None) -> None:
        self.title = title
        self.ncols = max((len(r) for r in rows), default=0)
        self.raw = [list(r) + [None] * (self.ncols - len(r)) for r in rows]
        self.nrows = len(self.raw)
        self.lines_above = list(lines_above or [])
        self.filled = [list(r) for r in self.raw]
        self.span: dict[tuple[int, int], int] = {}
        for r0, c0, r1, c1 in merges:  # inclusive bounds
            if r0 >= self.nrows or c0 >= self.ncols:
                continue
            top_left = self.raw[r0][c0]
            self.span[(r0, c0)] = c1 - c0 + 1
            for r in range(r0, min(r1 + 1, self.nrows)):
                for c in range(c0, min(c1 + 1, self.ncols)):
                    if (r, c) != (r0, c0):
                        self.filled[r][c] = top_left
