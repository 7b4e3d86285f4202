"""Scores from the year's data, and the totals, ranks and grades that follow from the scores.

The number of queries is fixed whatever the number of organisations: figures are aggregated per organisation in
SQL (assessment.figures), scores are written with one upsert, results with one bulk update."""
from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation
from branches.scope import OrgTree
from common.imports.names import UnitResolver, UnknownName

from . import figures as data
from .models import BASE_RULES, GRADE_ORDER, Grade, Result, Rule, Scheme, Score
from .rules import automatic_points, q, vote_points

ZERO = Decimal("0")
TIE_RULE = gettext_lazy("总分相同的，基本分（不含加分）高者在前；仍相同的并列同一名次，按组织顺序列出。")


def scheme_check(scheme: Scheme, indicators=None) -> None:
    """A scheme's base indicators must add up to its stated total; bad settings raise a Chinese error."""
    indicators = list(scheme.indicators.all()) if indicators is None else indicators
    problems = []
    base = sum((Decimal(i.points) for i in indicators if i.rule in BASE_RULES), ZERO)
    if q(base) != q(scheme.total_points):
        problems.append(_("各项指标分值合计 %(sum)s 分，与方案总分 %(total)s 分不符。")
                        % {"sum": q(base), "total": q(scheme.total_points)})
    for ind in indicators:
        if Decimal(ind.points) < 0:
            problems.append(_("指标“%(name)s”的分值不能为负数。") % {"name": ind.name})
        if ind.deduction is not None and (ind.deduction <= 0 or ind.deduction > ind.points):
            problems.append(_("指标“%(name)s”的每次扣分应大于 0 且不超过分值。") % {"name": ind.name})
        if ind.deduction and ind.rule not in data.FIGURES:
            problems.append(_("指标“%(name)s”不是自动计分指标，不能设置每次扣分。") % {"name": ind.name})
        if ind.rule == Rule.VETO and not ind.cap_grade:
            problems.append(_("一票否决指标“%(name)s”须设定触发后的最高等次。") % {"name": ind.name})
    for label, weight in ((_("好"), scheme.weight_good), (_("较好"), scheme.weight_fairly_good),
                          (_("一般"), scheme.weight_average), (_("差"), scheme.weight_poor)):
        if weight is None or not (0 <= weight <= 100):
            problems.append(_("“%(label)s”的折算分应在 0～100 之间。") % {"label": label})
    if scheme.excellent_share is not None and not (0 <= scheme.excellent_share <= 100):
        problems.append(_("优秀比例上限应在 0～100 之间。"))
    if not (scheme.fair_min <= scheme.good_min <= scheme.excellent_min <= scheme.total_points):
        problems.append(_("分数线应满足：一般 ≤ 良好 ≤ 优秀 ≤ 总分。"))
    if problems:
        raise ValidationError(problems)


def assessed_units(scheme: Scheme) -> list[Organisation]:
    """The organisations the scheme names, group names (各党支部, 局属各单位) expanded as for lists."""
    try:
        found = UnitResolver().resolve(scheme.units_text)
    except UnknownName as exc:
        raise ValidationError(_("考核对象“%(text)s”无法识别：%(error)s") % {"text": scheme.units_text,
                                                                       "error": exc.message}) from exc
    return sorted({org.pk: org for org, _lead in found}.values(), key=lambda o: (o.sort_order, o.pk))


def compute_scores(scheme: Scheme, *, as_of: datetime.date, progress=None) -> int:
    """Create or refresh every unit's scores from the data; reviewer entries are kept. Returns the units scored."""
    def step(percent, stage):
        if progress:
            progress(percent, stage)

    indicators = list(scheme.indicators.all())
    scheme_check(scheme, indicators)
    units = assessed_units(scheme)
    step(10, _("统计考核对象"))
    tree = OrgTree.load()
    reach = {u.pk: tree.reach(u.pk) & tree.active for u in units}
    existing_results = {r.organisation_id: r for r in Result.objects.filter(scheme=scheme)}
    Result.objects.bulk_create([Result(scheme=scheme, organisation=u) for u in units if u.pk not in existing_results])
    # Units no longer named (or no longer active) keep their rows but leave the ranking.
    leaving = [r.pk for o, r in existing_results.items() if o not in reach and r.is_active]
    returning = [r.pk for o, r in existing_results.items() if o in reach and not r.is_active]
    if leaving:
        Result.objects.filter(pk__in=leaving).update(is_active=False)
    if returning:
        Result.objects.filter(pk__in=returning).update(is_active=True)
    results = {r.organisation_id: r for r in Result.objects.filter(scheme=scheme, is_active=True)}
    # 20–70 %: one stage per automatic rule (each a fixed number of queries over every unit's subtree).
    rules = [rule for rule in Rule if rule in {i.rule for i in indicators} and rule in data.FIGURES]
    all_ids = sorted(set().union(*reach.values())) if reach else []
    counted = {}
    for n, rule in enumerate(rules):
        stage = _("统计“%(rule)s”（%(n)s/%(total)s 项指标）") % {"rule": rule.label, "n": n + 1, "total": len(rules)}
        start, span = 20 + 50 * n // len(rules), 50 // len(rules)
        step(start, stage)
        if rule == Rule.ORGLIFE:  # worked out organisation by organisation: the slow stage of a large agency
            def tick(done, total, start=start, span=span, stage=stage):
                step(start + span * done // max(total, 1), _("%(stage)s：%(done)s/%(total)s 个组织") % {
                    "stage": stage, "done": done, "total": total})
            counted[rule] = data.orglife_figures(reach, all_ids, scheme.year, as_of, tick=tick)
        else:
            counted[rule] = data.FIGURES[rule](reach, all_ids, scheme.year, as_of)
    votes = {v.organisation_id: v for v in scheme.votes.all()}
    existing = {(s.result_id, s.indicator_id): s for s in Score.objects.filter(result__scheme=scheme)}
    rows = []
    # 70–85 %: the units' scores, reported every tenth of the units.
    every = max(1, len(results) // 10)
    for done, (org_id, result) in enumerate(results.items()):
        if done % every == 0:
            step(70 + 15 * done // len(results), _("计算各单位得分（%(done)s/%(total)s 个单位）") % {
                "done": done, "total": len(results)})
        for ind in indicators:
            old = existing.get((result.pk, ind.pk))
            entered = old.entered if old else None
            score = Score(result=result, indicator=ind, entered=entered, triggered=old.triggered if old else False,
                          reason=old.reason if old else "")
            if ind.rule in data.FIGURES:
                score.figure = counted[ind.rule][org_id]
                score.computed = automatic_points(ind, score.figure)
            elif ind.rule == Rule.VOTES:
                vote = votes.get(org_id)
                score.figure = ({"voters": vote.voters, "good": vote.good, "fairly_good": vote.fairly_good,
                                 "average": vote.average, "poor": vote.poor} if vote else {})
                score.computed = vote_points(ind, score.figure, scheme.weights)
            score.points = _effective(ind, score)
            rows.append(score)
    step(85, _("保存得分（%(n)s 项）") % {"n": len(rows)})
    Score.objects.bulk_create(rows, update_conflicts=True, unique_fields=["result", "indicator"],
                              update_fields=["figure", "computed", "points"])
    step(90, _("排名与评定等次"))
    results_refresh(scheme)
    return len(results)


def _effective(indicator, score: Score) -> Decimal:
    if indicator.rule == Rule.VETO:
        return ZERO
    value = score.entered if score.entered is not None else score.computed
    return q(value) if value is not None else ZERO


def results_refresh(scheme: Scheme) -> None:
    """Totals, ranks and grades of every active result from its scores, in a fixed number of queries."""
    results = list(Result.objects.filter(scheme=scheme, is_active=True).select_related("organisation"))
    sums = {(row["result"], row["indicator__rule"]): row["s"] for row in
            Score.objects.filter(result__scheme=scheme).values("result", "indicator__rule").order_by()
            .annotate(s=Sum("points"))}
    caps = {}
    for result_id, cap in (Score.objects.filter(result__scheme=scheme, triggered=True, indicator__rule=Rule.VETO)
                           .values_list("result", "indicator__cap_grade")):
        caps[result_id] = max(caps.get(result_id, Grade.EXCELLENT), cap, key=GRADE_ORDER.index)
    for r in results:
        r.base_score = q(sum((sums.get((r.pk, rule), ZERO) or ZERO for rule in BASE_RULES), ZERO))
        r.bonus = q(min(scheme.bonus_cap, sums.get((r.pk, Rule.BONUS), ZERO) or ZERO))
        r.total = q(r.base_score + r.bonus)
    rank_and_grade(scheme, results, caps)
    _write_results(results)


RESULT_FIELDS = ("base_score", "bonus", "total", "rank", "grade", "grade_note")


def _write_results(results: list[Result]) -> None:
    """One UPDATE … FROM for all results (Django's bulk_update builds a CASE per row and field, which takes
    seconds at a few thousand units). PostgreSQL gets the columns as arrays; SQLite rows of VALUES in chunks."""
    if not results:
        return
    table = Result._meta.db_table
    sets = ", ".join(f"{f} = v.{f}" for f in RESULT_FIELDS)
    columns = ", ".join(("id",) + RESULT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = [[r.pk for r in results]] + [[getattr(r, f) for r in results] for f in RESULT_FIELDS]
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM UNNEST(%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], "
                f"%s::integer[], %s::varchar[], %s::varchar[]) AS v({columns}) WHERE {table}.id = v.id", arrays)
            return
        for start in range(0, len(results), 1000):
            chunk = results[start:start + 1000]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = [x for r in chunk for x in (r.pk, *(_sqlite(getattr(r, f)) for f in RESULT_FIELDS))]
            cursor.execute(f"WITH v({columns}) AS (VALUES {values}) "
                           f"UPDATE {table} SET {sets} FROM v WHERE {table}.id = v.id", params)


def _sqlite(value):
    return str(value) if isinstance(value, Decimal) else value


def grade_for(scheme: Scheme, total: Decimal) -> str:
    if total >= scheme.excellent_min:
        return Grade.EXCELLENT
    if total >= scheme.good_min:
        return Grade.GOOD
    if total >= scheme.fair_min:
        return Grade.FAIR
    return Grade.POOR


def rank_and_grade(scheme: Scheme, results: list[Result], caps: dict[int, str]) -> None:
    """Rank by total, then base score (competition ranking: ties share a place); grade by the thresholds, then
    the veto caps, then the cap on the share of 优秀 — a tie at the cap is not split, so none of it gets 优秀."""
    results.sort(key=lambda r: (-r.total, -r.base_score, r.organisation.sort_order, r.organisation_id))
    previous = None
    for index, r in enumerate(results, start=1):
        key = (r.total, r.base_score)
        r.rank = previous.rank if previous is not None and (previous.total, previous.base_score) == key else index
        previous = r
        r.grade, notes = grade_for(scheme, r.total), []
        cap = caps.get(r.pk)
        if cap and GRADE_ORDER.index(r.grade) < GRADE_ORDER.index(cap):
            r.grade = cap
            notes.append(_("一票否决，最高评为%(grade)s") % {"grade": Grade(cap).label})
        r.grade_note = "；".join(str(n) for n in notes)
    if scheme.excellent_share is None:
        return
    allowed = int(len(results) * scheme.excellent_share / 100)
    granted, closed = 0, False
    note = _("优秀比例不超过%(share)s%%，按排名评为良好") % {"share": q(scheme.excellent_share).normalize()}
    for _rank, tied in groupby(results, key=lambda r: r.rank):
        group = [r for r in tied if r.grade == Grade.EXCELLENT]
        if not group:
            continue
        if closed or granted + len(group) > allowed:
            closed = True
            for r in group:
                r.grade = Grade.GOOD
                r.grade_note = "；".join(filter(None, [r.grade_note, str(note)]))
        else:
            granted += len(group)


def default_as_of(scheme: Scheme) -> datetime.date:
    return min(timezone.localdate(), datetime.date(scheme.year, 12, 31))
