"""The year-end workbook's 考核结果 sheet: the year's assessment results in rank order, as the 考核结果汇总表."""
from __future__ import annotations

from assessment.models import Result, Scheme, SchemeStatus
from common.xlsx import Column, SheetSpec

from .figures import YearFigures
from .scope import YearScope
from .sheets import subheading

SHEET_ASSESSMENT = "考核结果"


def assessment_results(ys: YearScope):
    """The year's active results the workbook's reader may see, within its subtree; None without a scored scheme."""
    scheme = Scheme.objects.filter(year=ys.year).exclude(status=SchemeStatus.DRAFT).first()
    if scheme is None:
        return None, []
    results = Result.objects.filter(scheme=scheme, is_active=True)
    if ys.user is not None:
        results = results & Result.objects.visible_to(ys.user)
    if ys.subtree.org_ids is not None:
        results = results.filter(organisation__in=ys.subtree.org_ids)
    return scheme, list(results.select_related("organisation").order_by("rank", "organisation__sort_order", "pk"))


def assessment_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec | None:
    scheme, results = assessment_results(ys)
    if scheme is None or not results:
        return None
    columns = [Column("序号", 6, "center"), Column("单位", 28), Column("基本分", 9, "center"), Column("加分", 8, "center"),
               Column("扣分", 8, "center"), Column("总分", 9, "center"), Column("排名", 7, "int"), Column("等次", 8, "center"),
               Column("备注", 30)]
    state = scheme.get_status_display()
    return SheetSpec(
        name=SHEET_ASSESSMENT, heading=f"{scheme.title}考核结果",
        subheading=subheading(ys, figures) + f"　　考核状态：{state}", columns=columns,
        expected_rows=len(results),
        rows=[[n, r.organisation.name, f"{r.base_score:.2f}", f"{r.bonus:.2f}",
               f"{scheme.total_points - r.base_score:.2f}", f"{r.total:.2f}", r.rank, r.get_grade_display(),
               r.grade_note or None] for n, r in enumerate(results, start=1)])


def assessment_paragraphs(ys: YearScope) -> list[tuple[str, str]]:
    """The summary draft's paragraph on the year's assessment (考核结果运用), from the same results as the sheet."""
    from collections import Counter

    from assessment.models import GRADE_ORDER, Grade

    scheme, results = assessment_results(ys)
    if scheme is None or not results:
        return []
    grades = Counter(r.grade for r in results)
    spread = "、".join(f"{Grade(g).label}{grades[g]}个" for g in GRADE_ORDER if grades.get(g))
    state = {SchemeStatus.FINAL: "已定档", SchemeStatus.PUBLISHED: "正在公示"}.get(scheme.status, "尚未公示")
    top = "、".join(r.organisation.name for r in results if r.rank is not None and r.rank <= 3)
    text = (f"按照《{scheme.title}》，对{len(results)}个单位开展年度考核（考核结果{state}），{spread}"
            + (f"；{top}位列前三" if top else "") + "。充分发挥考核“指挥棒”作用，将考核结果与年度绩效、干部评价挂钩。")
    return [("subheading", "（考核评价）"), ("body", text)]
