"""What a year-end export covers: a year and an organisation subtree, narrowed to what the requester may see."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from branches.models import TERM_YEARS, Organisation
from branches.scope import Subtree, subtree_for, subtree_of
from rectification.models import Measure
from reports.models import MonthlyReport, ReportLine


@dataclass
class YearScope:
    """A year and an organisation subtree, already narrowed to what the requester may see."""

    year: int
    today: datetime.date
    subtree: Subtree
    user: object = None  # None: the management command, which reads the whole agency (or --org's subtree)

    @property
    def root(self) -> Organisation | None:
        return self.subtree.root

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def as_of(self) -> datetime.date:
        """Terms are judged at the end of the year, or today while the year is still running."""
        return min(self.today, self.year_end)

    @property
    def label(self) -> str:
        """Whose workbook it is: the chosen organisation, else the agency's top organisation."""
        if self.root is not None:
            return self.root.name
        if self.subtree.org_ids is None:
            tops = Organisation.objects.filter(parent__isnull=True)
        else:  # the visible organisations whose parent is out of sight
            tops = Organisation.objects.filter(pk__in=self.subtree.org_ids).exclude(parent__in=self.subtree.org_ids)
        names = list(tops.order_by("sort_order", "id").values_list("name", flat=True))
        if not names:
            return "全局"
        return names[0] if len(names) == 1 else f"{names[0]}等{len(names)}个组织"

    def reports(self):
        return self.subtree.filter(MonthlyReport.objects.filter(year=self.year))

    def lines(self):
        return self.subtree.filter(ReportLine.objects.filter(report__year=self.year), "report__organisation")

    def measures(self):
        """Measures of feedback received up to the year's end, in the subtree (status as of today)."""
        measures = Measure.objects.all() if self.user is None else Measure.objects.visible_to(self.user)
        return measures.in_organisations(self.subtree.org_ids).filter(
            Q(problem__batch__feedback_on__lte=self.year_end) | Q(problem__batch__feedback_on__isnull=True))

    def term_organisations(self):
        return self.subtree.filter(Organisation.objects.active().filter(kind__in=list(TERM_YEARS)), "pk")


def year_scope_for_user(*, user, year: int, root: Organisation | None, today: datetime.date) -> YearScope:
    """What a signed-in user may export: their scope, narrowed to root's subtree when one is chosen."""
    return YearScope(year=year, today=today, subtree=subtree_for(user=user, root=root), user=user)


def year_scope_for_system(*, year: int, root: Organisation | None, today: datetime.date) -> YearScope:
    """The management command's view: the whole agency, or what one organisation reaches (as `subtree_for`)."""
    return YearScope(year=year, today=today, subtree=subtree_of(root))

