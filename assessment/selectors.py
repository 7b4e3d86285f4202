"""What users read of an assessment, already scoped: schemes, ranked results, a unit's score sheet, drill-downs."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django.http import Http404

from branches.scope import OrgTree, scope_for

from . import figures as data
from .models import GRADE_ORDER, Grade, Objection, Result, Rule, Scheme, Score, ScoreChange
from .rules import explain


def scheme_get(*, user, year) -> Scheme:
    scheme = Scheme.objects.visible_to(user).filter(year=year).first()
    if scheme is None or not (scope_for(user).sees_all or results(user=user, scheme=scheme).exists()):
        raise Http404
    return scheme


def schemes(*, user):
    visible = Scheme.objects.visible_to(user)
    if scope_for(user).sees_all:
        return visible
    return visible.filter(pk__in=Result.objects.visible_to(user).values("scheme"))


def results(*, user, scheme: Scheme):
    return (Result.objects.visible_to(user).filter(scheme=scheme, is_active=True)
            .select_related("organisation").order_by("rank", "organisation__sort_order", "pk"))


def result_get(*, user, pk) -> Result:
    result = (Result.objects.visible_to(user).filter(pk=pk, is_active=True)
              .select_related("scheme", "organisation", "scheme__finalised_by").first())
    if result is None:
        raise Http404
    return result


def score_get(*, user, pk) -> Score:
    score = Score.objects.filter(pk=pk, result__in=Result.objects.visible_to(user).filter(is_active=True)) \
        .select_related("indicator", "result__scheme", "result__organisation").first()
    if score is None:
        raise Http404
    return score


def objection_get(*, user, pk) -> Objection:
    objection = Objection.objects.filter(pk=pk, result__in=Result.objects.visible_to(user)) \
        .select_related("result__scheme").first()
    if objection is None:
        raise Http404
    return objection


@dataclass
class SheetRow:
    score: Score
    category_span: int  # rows the category cell spans (0: covered by the row above)

    @property
    def indicator(self):
        return self.score.indicator

    @property
    def explanation(self) -> str:
        return explain(self.score.indicator, self.score.figure)

    @property
    def drillable(self) -> bool:
        return self.score.indicator.rule in DRILL_TEMPLATES


def sheet(result: Result) -> list[SheetRow]:
    """The unit's scores in scheme order, with their reviewer history."""
    scores = list(Score.objects.filter(result=result).select_related("indicator__scheme")
                  .prefetch_related(Prefetch("changes", queryset=ScoreChange.objects.select_related("actor")))
                  .order_by("indicator__position", "indicator_id"))
    rows = []
    for i, score in enumerate(scores):
        if i and score.indicator.category == scores[i - 1].indicator.category:
            rows.append(SheetRow(score, 0))
            rows[next(j for j in range(i, -1, -1) if rows[j].category_span)].category_span += 1
        else:
            rows.append(SheetRow(score, 1))
    return rows


def grade_distribution(rows) -> list[tuple[str, int]]:
    counts = Counter(r.grade for r in rows)
    return [(Grade(g).label, counts.get(g, 0)) for g in GRADE_ORDER]


# ---------------------------------------------------------------- drill-down: the rows behind a figure

DRILL_TEMPLATES = {
    Rule.REPORTS_ON_TIME: "assessment/drill_reports.html",
    Rule.ITEMS_DONE: "assessment/drill_lines.html",
    Rule.MEASURES_ON_TIME: "assessment/drill_measures.html",
    Rule.TERMS: "assessment/drill_terms.html",
    Rule.ORGLIFE: "assessment/drill_orglife.html",
    Rule.INSTRUCTIONS_ON_TIME: "assessment/drill_instructions.html",
}


def unit_reach(result: Result) -> set[int]:
    tree = OrgTree.load()
    return tree.reach(result.organisation_id) & tree.active


def drill_rows(score: Score, *, bad_only: bool) -> list:
    """Exactly the rows the score counted (or those that lost points), as of the date the scores were computed."""
    result, scheme = score.result, score.result.scheme
    ids, year, as_of = sorted(unit_reach(result)), scheme.year, scheme.as_of
    rule = score.indicator.rule
    if rule == Rule.REPORTS_ON_TIME:
        rows = data.reports(ids, year, as_of)
        rows = rows.exclude(data.ON_TIME) if bad_only else rows
        return list(rows.select_related("organisation").order_by("month", "organisation__sort_order"))
    if rule == Rule.ITEMS_DONE:
        rows = data.lines(ids, year, as_of)
        rows = rows.exclude(status="done") if bad_only else rows
        return list(rows.select_related("report__organisation", "assignment__item")
                    .order_by("report__month", "report__organisation__sort_order", "position"))
    if rule == Rule.MEASURES_ON_TIME:
        rows = data.measures(ids, year, as_of)
        rows = rows.filter(on_time=False) if bad_only else rows
        return list(rows.select_related("problem__batch").prefetch_related("units__organisation")
                    .order_by("due_on", "pk"))
    if rule == Rule.TERMS:
        rows = data.terms(ids, as_of).select_related("organisation").order_by("organisation__sort_order")
        return [t for t in rows if not bad_only or t.ends < as_of]
    if rule == Rule.ORGLIFE:
        return [c for c in data.orglife_checks(ids, year, as_of) if not bad_only or c.status != "met"]
    if rule == Rule.INSTRUCTIONS_ON_TIME:
        rows = data.instruction_rows(ids, year, as_of).annotate(
            on_time=ExpressionWrapper(data.INSTRUCTION_ON_TIME, output_field=BooleanField()))
        rows = rows.filter(on_time=False) if bad_only else rows
        return list(rows.select_related("instruction", "organisation")
                    .order_by("instruction__due_on", "instruction__number", "organisation__sort_order"))
    raise Http404


def category_points(scheme: Scheme) -> tuple[list[str], dict]:
    """The base categories in scheme order, and {(result id, category): points} in one query."""
    from django.db.models import Sum

    from .models import BASE_RULES

    categories = []
    for category in scheme.indicators.base().order_by("position", "pk").values_list("category", flat=True):
        if category not in categories:
            categories.append(category)
    rows = (Score.objects.filter(result__scheme=scheme, indicator__rule__in=list(BASE_RULES))
            .values("result", "indicator__category").order_by().annotate(s=Sum("points")))
    return categories, {(r["result"], r["indicator__category"]): r["s"] for r in rows}


def dashboard_summary(*, user, year: int, org_ids=None, top: int = 10) -> dict | None:
    """The year's assessment on the dashboards: grade distribution and the leading units, within the user's scope
    and the dashboard's subtree (`org_ids` None: all the user sees). None when there is nothing to show."""
    scheme = Scheme.objects.visible_to(user).filter(year=year).exclude(status="draft").first()
    if scheme is None:
        return None
    rows = results(user=user, scheme=scheme)
    if org_ids is not None:
        rows = rows.filter(organisation__in=org_ids)
    grades = dict(rows.order_by().values_list("grade").annotate(n=models.Count("pk")).values_list("grade", "n"))
    if not grades:
        return None
    return {"scheme": scheme, "count": sum(grades.values()),
            "distribution": [(Grade(g).label, grades.get(g, 0)) for g in GRADE_ORDER], "top": list(rows[:top])}
