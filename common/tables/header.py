"""Find a table's header among the first rows of each page: exact names first, then the longest contained name,
one row or two (a group header above its sub-headers)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .columns import Column
from .grid import Grid

HEADER_SCAN_ROWS = 30  # the header must start within the first rows of a page
_SHORT = 12  # header texts are short; longer lower-row texts are matched exactly only


# ---------------------------------------------------------------- normalising

_BRACKETED_RE = re.compile(r"[(\[【〔<《][^()\[\]【】〔〕<>《》]*[)\]】〕>》]")
_HEADER_JUNK_RE = re.compile(r"[\s*※★☆:]")
SERIAL_NAMES = {"序号", "编号", "序", "no", "no.", "行号"}


def norm(value: Any) -> str:
    """Header text for matching: half-width, no spaces, no '*' markers, no bracketed remarks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    stripped = _BRACKETED_RE.sub("", text)
    if _HEADER_JUNK_RE.sub("", stripped):
        text = stripped
    else:
        text = re.sub(r"[()\[\]【】〔〕<>《》]", "", text)
    return _HEADER_JUNK_RE.sub("", text).lower()


def plain(value: Any) -> str:
    """Text for recognising example rows: half-width, no spaces, no brackets."""
    return re.sub(r"[\s()\[\]【】〔〕<>《》]", "", unicodedata.normalize("NFKC", str(value)))


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Header:
    grid: Grid
    sheet_index: int
    top: int  # 0-based
    bottom: int
    assign: dict[str, tuple[int, int]]  # key -> (column index, tier)
    score: int


def _match(variants: list[list[tuple[int, str, bool]]], columns: Sequence[Column],
           names: list[set[str]]) -> tuple[dict[str, tuple[int, int]], int]:
    """Assign columns to header cells: exact matches first, then the longest contained name.

    ``variants[c]`` lists (tier, text, contains allowed) for column index ``c``; lower tiers win.
    """
    candidates = []
    for c, texts in enumerate(variants):
        for base, text, contains in texts:
            if not text:
                continue
            for i, _col in enumerate(columns):
                if text in names[i]:
                    candidates.append((base, 0, i, c))
                elif contains:
                    longest = max((len(n) for n in names[i] if len(n) >= 2 and n in text), default=0)
                    if longest:
                        candidates.append((3 + base, -longest, i, c))
    candidates.sort()
    assign: dict[str, tuple[int, int]] = {}
    used: set[int] = set()
    for tier, _, i, c in candidates:
        key = columns[i].key
        if key in assign or c in used:
            continue
        assign[key] = (c, tier)
        used.add(c)
    score = sum(2 if tier < 3 else 1 for _, tier in assign.values())
    return assign, score


def find_header(grids: list[Grid], columns: Sequence[Column], *, first_complete: bool = False) -> Header | None:
    """The best-matching header over all pages; with ``first_complete`` the first page whose header has every
    required column wins (a Word document's first recognisable table, whatever tables come after it)."""
    required = {col.key for col in columns if col.required}
    names = [{norm(n) for n in col.names} - {""} for col in columns]
    minimum = min(2, len(columns))
    best: Header | None = None

    def consider(h: Header) -> None:
        nonlocal best
        if len(h.assign) >= minimum and (best is None or h.score > best.score):
            best = h

    for index, grid in enumerate(grids):
        if first_complete and best is not None and required <= set(best.assign):
            return best
        rows = min(HEADER_SCAN_ROWS + 1, grid.nrows)
        texts = [[norm(v) for v in grid.filled[r]] for r in range(rows)]
        singles = []
        for r in range(rows):
            assign, score = _match([[(0, t, True)] for t in texts[r]], columns, names)
            singles.append((assign, score))
        for r in range(min(HEADER_SCAN_ROWS, rows)):
            assign, score = singles[r]
            consider(Header(grid, index, r, r, assign, score))
            if r + 1 >= rows:
                continue
            # Two-row header: the upper row must itself look like a header (a title row does not),
            # the lower row must hold text only (not a data row) and name a column exactly, alone or
            # joined to the text above, and together they must match more than either row alone.
            upper_exact = any(tier < 3 for _, tier in assign.values())
            lower_values = [v for v in grid.filled[r + 1] if not blank(v)]
            if not upper_exact or not lower_values or not all(isinstance(v, str) for v in lower_values):
                continue
            # Long lower-row texts only count when equal to a name, so a first data row made only of
            # text cannot pass for a sub-header by containing a column name somewhere.
            variants = []
            for up, low in zip(texts[r], texts[r + 1]):
                both = up + low if up and low and up != low else ""
                variants.append([(0, low, len(low) <= _SHORT), (1, both, len(both) <= _SHORT), (2, up, True)])
            assign2, score2 = _match(variants, columns, names)
            lower_exact = any(tier in (0, 1) for _, tier in assign2.values())
            if lower_exact and score2 > max(score, singles[r + 1][1]):
                consider(Header(grid, index, r, r + 1, assign2, score2))
    return best


def header_text(grid: Grid, top: int, bottom: int, c: int) -> str:
    parts: list[str] = []
    for r in range(top, bottom + 1):
        value = grid.filled[r][c]
        if not blank(value):
            text = re.sub(r"\s+", "", str(value))
            if text not in parts:
                parts.append(text)
    return "/".join(parts)


def describe(columns: Sequence[Column]) -> str:
    return "、".join(f"“{col.label}”" + ("（必需）" if col.required else "") for col in columns)


