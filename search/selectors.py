"""One search box over list items, measures, problems, report lines and organisations, within the user's scope.

Matching is a case-insensitive substring on every word of the query, so "三会一课 支部" finds rows containing both:
LIKE on SQLite; on PostgreSQL the same match is served by trigram indexes (pg_trgm, search/migrations/0001) rather
than a read of every report line. Word-based full text would miss Chinese, which has no spaces between words. Each
kind returns at most LIMIT rows, newest or best-placed first."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import visible_organisations
from rectification.models import Measure, Problem
from reports.models import MonthlyReport, ReportLine
from responsibility.models import Item

LIMIT = 20
MAX_WORDS = 5


@dataclass
class Hit:
    title: str
    link: str
    context: str = ""


@dataclass
class Section:
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


def words_of(query: str) -> list[str]:
    return [w for w in query.split() if w][:MAX_WORDS]


def _matching(words, *fields) -> Q:
    """Every word in at least one of the fields."""
    return reduce(and_, [reduce(or_, [Q(**{f"{f}__icontains": w}) for f in fields]) for w in words])


def _short(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n] + "…"


def _section(label, rows, make) -> Section:
    rows = list(rows[:LIMIT + 1])
    return Section(label, [make(row) for row in rows[:LIMIT]], more=len(rows) > LIMIT)


def search(*, user, query: str) -> list[Section]:
    words = words_of(query)
    if not words:
        return []
    orgs = visible_organisations(user).filter(_matching(words, "name", "short_name")).order_by("sort_order", "id")
    items = (Item.objects.visible_to(user).filter(_matching(words, "content", "category", "seq"))
             .select_related("responsibility_list").order_by("-responsibility_list__year", "position"))
    measures = (Measure.objects.visible_to(user)
                .filter(_matching(words, "text", "units_text", "person_text", "leader_text", "progress_text"))
                .select_related("problem__batch").order_by("-problem__batch__feedback_on", "problem__position",
                                                           "position"))
    problems = (Problem.objects.filter(measures__in=Measure.objects.visible_to(user))
                .filter(_matching(words, "description", "category")).annotate(first_measure=Min("measures__pk"))
                .select_related("batch").order_by("-batch__feedback_on", "position"))
    lines = (ReportLine.objects.filter(report__in=MonthlyReport.objects.visible_to(user))
             .filter(_matching(words, "done_text", "problems", "next_steps", "assignment__item__content"))
             .select_related("report__organisation", "assignment__item")
             .order_by("-report__year", "-report__month", "report__organisation__sort_order", "position"))
    return [section for section in (
        _section(_("组织"), orgs, lambda o: Hit(o.name, reverse("branches:detail", args=[o.pk]), o.get_kind_display())),
        _section(_("清单事项"), items, lambda i: Hit(_short(i.content), reverse("responsibility:item", args=[i.pk]),
                                              f"{i.responsibility_list.title} · {i.category}")),
        _section(_("整改措施"), measures, lambda m: Hit(_short(m.text), reverse("rectification:measure", args=[m.pk]),
                                              f"{m.problem.batch.title} · {m.units_text}")),
        _section(_("整改问题"), problems, lambda p: Hit(
            _short(p.description), reverse("rectification:measure", args=[p.first_measure]), p.batch.title)),
        _section(_("月度报告事项"), lines, lambda r: Hit(
            _short(r.assignment.item.content), reverse("reports:detail", args=[r.report_id]),
            f"{r.report.organisation.name} {r.report.year}年{r.report.month}月 · "
            + _short(r.done_text or r.problems or r.next_steps, 40))),
    ) if section.hits]
