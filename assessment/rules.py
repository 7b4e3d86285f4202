"""The scoring rules in one place: what each rule gives for a counted figure, and how it reads as 评分标准.

Every automatic figure is {"total": rows counted, "good": rows that met the rule, …breakdown}. A rule scores
either by rate (分值 × good / total) or by deduction (分值 − 每次扣分 × (total − good), never below 0).
A unit with nothing to count (total 0) keeps the full points: nothing was required of it."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    REPORTS_ON_TIME = "reports_on_time", _("月报按时报送")
    ITEMS_DONE = "items_done", _("清单事项完成")
    MEASURES_ON_TIME = "measures_on_time", _("整改措施按期销号")
    ORGLIFE = "orglife", _("组织生活按规定开展")
    TERMS = "terms", _("按期换届")
    INSTRUCTIONS_ON_TIME = "instructions_on_time", _("督办交办按时签收和反馈")
    MANUAL = "manual", _("评分")
    VOTES = "votes", _("述职评议")
    BONUS = "bonus", _("加分")
    VETO = "veto", _("一票否决")


CENT = Decimal("0.01")
ZERO = Decimal("0")

# What "good" and "bad" are for each automatic rule, in the words of the score sheet.
WORDS = {
    Rule.REPORTS_ON_TIME: ("应报月报", "按时报送", "迟报或未报"),
    Rule.ITEMS_DONE: ("报告事项", "已完成", "未完成"),
    Rule.MEASURES_ON_TIME: ("到期整改措施（不含长期坚持）", "按期销号", "未按期销号"),
    Rule.ORGLIFE: ("应开组织生活（已结束的周期）", "按规定开展", "未按规定开展"),
    Rule.TERMS: ("应换届党组织", "按期换届", "届满未换届"),
    Rule.INSTRUCTIONS_ON_TIME: ("到期督办交办（承办家次）", "按时签收并按时反馈", "未按时签收或反馈"),
}


def q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value) -> str:
    """15.00 → "15", 1.50 → "1.5": how 评分标准 write numbers."""
    text = f"{q(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe(indicator) -> str:
    rule, points = indicator.rule, fmt(indicator.points)
    if rule in WORDS:
        whole, good, bad = WORDS[rule]
        if indicator.deduction:
            return f"每{bad}一次扣{fmt(indicator.deduction)}分，扣完为止"
        return f"{good}率（{good}数 ÷ {whole}数）× {points}分"
    if rule == Rule.VOTES:
        s = indicator.scheme
        return (f"按测评票折算：好{fmt(s.weight_good)}、较好{fmt(s.weight_fairly_good)}、一般{fmt(s.weight_average)}、"
                f"差{fmt(s.weight_poor)}，加权平均 ÷ 100 × {points}分")
    if rule == Rule.MANUAL:
        return f"考核组评分，0～{points}分，须写明扣分理由"
    if rule == Rule.BONUS:
        return f"经认定加分，本项最多{points}分（加分合计不超过{fmt(indicator.scheme.bonus_cap)}分）"
    if rule == Rule.VETO:
        return f"触发后不得高于“{indicator.get_cap_grade_display()}”" if indicator.cap_grade else "触发后等次不受限制"
    return ""


def automatic_points(indicator, figure: dict) -> Decimal:
    total, good = figure.get("total", 0), figure.get("good", 0)
    points = Decimal(indicator.points)
    if indicator.deduction:
        return q(max(ZERO, points - Decimal(indicator.deduction) * (total - good)))
    if not total:
        return q(points)
    return q(points * good / total)


def vote_points(indicator, figure: dict, weights: dict[str, Decimal]) -> Decimal | None:
    cast = sum(figure.get(k, 0) for k in weights)
    if not figure or not cast:
        return None
    weighted = sum(Decimal(figure.get(k, 0)) * w for k, w in weights.items())
    return q(Decimal(indicator.points) * weighted / (cast * 100))


def explain(indicator, figure: dict) -> str:
    """The figure in words for the score sheet: 应报月报12份，按时报送10份，迟报或未报2份."""
    if indicator.rule in WORDS:
        whole, good, bad = WORDS[indicator.rule]
        total, ok = figure.get("total", 0), figure.get("good", 0)
        text = f"{whole}{total}，{good}{ok}，{bad}{total - ok}"
        if indicator.rule == Rule.REPORTS_ON_TIME and total:
            text += f"（迟报{figure.get('late', 0)}，未报{figure.get('missing', 0)}）"
        return text
    if indicator.rule == Rule.VOTES:
        if not figure:
            return "未录入测评票数"
        return (f"参评{figure['voters']}人：好{figure['good']}、较好{figure['fairly_good']}、一般{figure['average']}、"
                f"差{figure['poor']}")
    return ""
