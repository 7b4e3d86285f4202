"""The dashboards' ranking: organisations by on-time rate of the year's due reports, then by overdue items (missing
reports and overdue measures), then in tree order, read a page at a time in SQL.

One statement with each aggregate computed once (reports per organisation, overdue measures per organisation)
and joined to the organisations: the same ranking through ORM annotations needed a correlated count of overdue
measures for every organisation, evaluated again for the filter and the order (about a second at 6,000
organisations). Written to run on PostgreSQL and SQLite alike."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection

from branches.models import Organisation
from branches.scope import Subtree, scope_for
from common import statements
from rectification.models import Measure, MeasureStatus, MeasureUnit
from reports.models import MonthlyReport, ReportStatus

_SQL = """
WITH due AS (
    SELECT organisation_id,
           COUNT(*) AS total,
           SUM(CASE WHEN status IN (%s, %s) AND days_late = 0 THEN 1 ELSE 0 END) AS on_time,
           SUM(CASE WHEN status IN (%s, %s) THEN 0 ELSE 1 END) AS missing
    FROM {report} WHERE year = %s AND due_on <= %s GROUP BY organisation_id
), od AS (
    SELECT organisation_id, COUNT(DISTINCT measure_id) AS n FROM {unit}
    WHERE measure_id IN ({overdue}) GROUP BY organisation_id
)
SELECT {columns}
FROM {org} o LEFT JOIN due ON due.organisation_id = o.id LEFT JOIN od ON od.organisation_id = o.id
WHERE (due.organisation_id IS NOT NULL OR od.organisation_id IS NOT NULL){subtree}
"""
_ROW = ("o.id, o.name, o.short_name, o.sort_order, COALESCE(due.total, 0), COALESCE(due.on_time, 0), "
        "COALESCE(due.missing, 0), COALESCE(od.n, 0)")
# No due report: after every rate (a rate of 0 included), as the rate None sorts.
_ORDER = (" ORDER BY CASE WHEN due.total IS NULL THEN 1 ELSE 0 END, due.on_time * 1.0 / due.total DESC, "
          "COALESCE(due.missing, 0) + COALESCE(od.n, 0), o.sort_order, o.id")
ORG_FIELDS = ("id", "name", "short_name", "sort_order")


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    """An organisation as the grid and the ranking show it: its id, names and place in the tree (a page of a hundred
    of these costs a fraction of a hundred model instances)."""

    pk: int
    name: str
    short_name: str
    sort_order: int

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


class Ranking:
    """What a Paginator pages: `count()` and slices, each one query; rows are dicts with the organisation and its
    figures (`total`, `on_time`, `rate`, `missing`, `overdue_measures`, `overdue`)."""

    def __init__(self, *, user, subtree: Subtree, year: int, today: datetime.date):
        qn = connection.ops.quote_name
        # Compiled once per day, user and scope (Measure.visible_to also reads the measures naming the user).
        overdue, overdue_params = statements.sql(
            ("ranking.overdue", today, user.pk, scope_for(user).key),
            lambda: Measure.objects.visible_to(user).in_status(MeasureStatus.OVERDUE, today).order_by().values("pk"))
        sent = [ReportStatus.SUBMITTED.value, ReportStatus.ACCEPTED.value]
        subtree_sql, subtree_params = "", []
        if subtree.org_ids is not None:
            ids = sorted(subtree.org_ids)
            subtree_sql = f" AND o.id IN ({', '.join(['%s'] * len(ids))})" if ids else " AND 1 = 0"
            subtree_params = ids
        self.sql = _SQL.format(report=qn(MonthlyReport._meta.db_table), unit=qn(MeasureUnit._meta.db_table),
                               org=qn(Organisation._meta.db_table), overdue=overdue, subtree=subtree_sql,
                               columns="{columns}")
        self.params = [*sent, *sent, year, connection.ops.adapt_datefield_value(today), *overdue_params,
                       *subtree_params]
        self._count = None

    def count(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({self.sql.format(columns='o.id')}) ranked", self.params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __getitem__(self, page: slice) -> list[dict]:
        start, stop = page.start or 0, page.stop
        limit = f" LIMIT {int(stop) - int(start)} OFFSET {int(start)}" if stop is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(self.sql.format(columns=_ROW) + _ORDER + limit, self.params)
            rows = cursor.fetchall()
        result = []
        for *org, total, on_time, missing, measures in rows:
            result.append({"organisation": OrganisationRow(*org), "total": total,
                           "on_time": on_time, "rate": _rate(on_time, total), "missing": missing,
                           "overdue_measures": measures, "overdue": missing + measures})
        return result

    def all(self) -> list[dict]:
        return self[0:None]
