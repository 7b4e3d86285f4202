"""Calendar periods a requirement is counted in: months, quarters, half-years and years."""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    HALF_YEAR = "half_year", _("每半年")
    YEAR = "year", _("每年")


MONTHS_PER = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}
_QUARTERS = (_("第一季度"), _("第二季度"), _("第三季度"), _("第四季度"))
_HALVES = (_("上半年"), _("下半年"))
THIS = {PeriodKind.MONTH: _("本月"), PeriodKind.QUARTER: _("本季度"), PeriodKind.HALF_YEAR: _("本半年"),
        PeriodKind.YEAR: _("本年度")}


@dataclass(frozen=True, order=True)
class Period:
    """One month (index 1–12), quarter (1–4), half-year (1–2) or year (1) of a calendar year."""

    year: int
    kind: str
    index: int

    @property
    def months(self) -> int:
        return MONTHS_PER[self.kind]

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.months + 1

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def key(self) -> str:
        """A short stable key: 2026-03, 2026Q1, 2026H1, 2026."""
        return {PeriodKind.MONTH: f"{self.year}-{self.index:02d}", PeriodKind.QUARTER: f"{self.year}Q{self.index}",
                PeriodKind.HALF_YEAR: f"{self.year}H{self.index}", PeriodKind.YEAR: f"{self.year}"}[self.kind]

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(year)s年%(month)s月") % {"year": self.year, "month": self.index}
        if self.kind == PeriodKind.YEAR:
            return _("%(year)s年度") % {"year": self.year}
        return _("%(year)s年%(part)s") % {"year": self.year, "part": self.short_label}

    @property
    def short_label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(m)s月") % {"m": self.index}
        if self.kind == PeriodKind.QUARTER:
            return str(_QUARTERS[self.index - 1])
        if self.kind == PeriodKind.HALF_YEAR:
            return str(_HALVES[self.index - 1])
        return str(_("全年"))

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def month_keys(self) -> list[tuple[int, int]]:
        return [(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def relative_label(self, today: datetime.date) -> str:
        """本月 / 本季度 … while the period runs, else its label."""
        return str(THIS[self.kind]) if self.contains(today) else self.label

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> Period:
        return cls(day.year, kind, (day.month - 1) // MONTHS_PER[kind] + 1)

    @classmethod
    def overlapping(cls, kind: str, start: datetime.date, end: datetime.date) -> list[Period]:
        """Every period of a kind that overlaps [start, end], in order."""
        found, period = [], cls.containing(kind, start)
        while period.start <= end:
            found.append(period)
            period = period.next()
        return found

    def next(self) -> Period:
        count = 12 // self.months
        return Period(self.year + 1, self.kind, 1) if self.index == count else Period(self.year, self.kind,
                                                                                      self.index + 1)

    @classmethod
    def parse(cls, key: str) -> Period:
        """The inverse of `key`; ValueError for anything else."""
        key = (key or "").strip().upper()
        if "Q" in key:
            year, index = key.split("Q")
            period = cls(int(year), PeriodKind.QUARTER, int(index))
        elif "H" in key:
            year, index = key.split("H")
            period = cls(int(year), PeriodKind.HALF_YEAR, int(index))
        elif "-" in key:
            year, index = key.split("-")
            period = cls(int(year), PeriodKind.MONTH, int(index))
        else:
            period = cls(int(key), PeriodKind.YEAR, 1)
        if not (2000 <= period.year <= 2100 and 1 <= period.index <= 12 // period.months):
            raise ValueError(key)
        return period
