"""The demo agency's annual assessment: a realistic 100-point scheme for the eight 党支部 (作风纪律 15 = 10 by the
reviewers + 5 for 督办 acknowledged and answered on time), the 述职评议 votes from
the sample sheet, the reviewers' scores for the manual items, computed from the year's data (not yet 公示)."""
from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment.models import Indicator, Rule, Scheme, Score
from assessment.services import assessed_units, assessment_compute, score_set, votes_save
from assessment.votes import read_votes

VOTES_FILE = Path(__file__).resolve().parent / "files" / "assessment_votes_2026.xlsx"

# (category, name, content, points, rule, deduction, cap grade)
INDICATORS = [
    ("落实主体责任", "月报按时报送", "每月照单报告主体责任清单落实情况，按时报送", 15, Rule.REPORTS_ON_TIME, None, ""),
    ("落实主体责任", "清单事项完成", "主体责任清单、廉政风险防控清单事项按期完成", 15, Rule.ITEMS_DONE, None, ""),
    ("落实主体责任", "整改措施按期销号", "巡察反馈等问题整改措施按期完成并销号（长期坚持的除外）", 10,
     Rule.MEASURES_ON_TIME, None, ""),
    ("组织建设", "组织生活按规定开展", "三会一课、主题党日等按规定频次开展并记实", 15, Rule.ORGLIFE, None, ""),
    ("组织建设", "按期换届", "支部委员会任期届满按期换届", 5, Rule.TERMS, Decimal("5"), ""),
    ("组织建设", "党建工作台账资料", "查阅党建工作台账、会议记录、佐证资料是否齐全规范", 5, Rule.MANUAL, None, ""),
    ("述职评议", "书记抓基层党建述职评议", "支部书记述职，机关全体党员和局属单位负责人现场测评", 20, Rule.VOTES, None,
     ""),
    ("作风纪律", "落实中央八项规定精神和廉政风险防控", "实地检查、个别谈话，查看廉政风险防控措施落实", 10,
     Rule.MANUAL, None, ""),
    ("作风纪律", "督办事项按时签收反馈", "纪检监察组督办单、党建办交办事项按时签收、按期反馈办理结果", 5,
     Rule.INSTRUCTIONS_ON_TIME, None, ""),
    ("加分项", "获评先进基层党组织、四强党支部", "年度内获市级以上表彰", 3, Rule.BONUS, None, ""),
    ("加分项", "党建创新工作获上级推广", "经验做法被市级以上刊发推广", 2, Rule.BONUS, None, ""),
    ("否决项", "发生严重违纪违法案件", "党支部党员发生被立案审查的严重违纪违法案件", 0, Rule.VETO, None, "good"),
]
# The reviewers' scores, by 党支部 (台账资料 of 5, 作风纪律 of 10), with the reasons they wrote.
MANUAL = {
    "机关第一党支部": (5, 10), "机关第二党支部": (4.5, 9), "机关第三党支部": (4, 8.5), "离退休干部党支部": (4.5, 9.5),
    "执法一支部": (3.5, 8), "执法二支部": (4, 9), "市商务发展服务中心党支部": (4.5, 9), "市口岸服务中心党支部": (4, 8),
}
BONUS = {"机关第一党支部": ("获评先进基层党组织、四强党支部", 3, "获评2026年度市直机关“四强”党支部（市直机关工委通报）")}


def seed_demo_assessment(*, today: datetime.date) -> dict[str, int]:
    """Once per year: a second run finds the scheme and changes nothing."""
    year = today.year
    if Scheme.objects.filter(year=year).exists():
        return {"考核对象": Scheme.objects.get(year=year).results.filter(is_active=True).count()}
    staff = get_user_model().objects.get(username="wumin")
    with transaction.atomic():
        scheme = Scheme.objects.create(
            year=year, title=f"{year}年度党支部党建工作责任制考核方案", units_text="各党支部", objection_days=5,
            excellent_share=Decimal("30"), excellent_min=Decimal("85"), good_min=Decimal("75"),
            created_by=staff)
        Indicator.objects.bulk_create([
            Indicator(scheme=scheme, position=i, category=c, name=n, content=t, points=Decimal(p), rule=r,
                      deduction=d, cap_grade=g)
            for i, (c, n, t, p, r, d, g) in enumerate(INDICATORS, start=1)])
        allowed = {u.pk for u in assessed_units(scheme)}
        with VOTES_FILE.open("rb") as handle:
            plan = read_votes(handle, allowed_ids=allowed)
        votes_save(scheme=scheme, actor=staff, rows=plan.rows, source=VOTES_FILE.name)
        count = assessment_compute(scheme=scheme, actor=staff, as_of=min(today, datetime.date(year, 12, 31)))
        scores = Score.objects.filter(result__scheme=scheme).select_related("indicator", "result__organisation")
        for score in scores:
            name, ind = score.result.organisation.name, score.indicator
            if ind.rule == Rule.MANUAL:
                value = MANUAL.get(name, (4, 8))[0 if ind.name == "党建工作台账资料" else 1]
                lost = Decimal(str(value)) < ind.points
                reason = ("资料齐全规范" if ind.name == "党建工作台账资料" else "未发现问题") if not lost else (
                    "会议记录要素不全，部分佐证材料未归档" if ind.name == "党建工作台账资料"
                    else "廉政风险防控措施台账更新不及时")
                score_set(score=score, actor=staff, points=value, reason=reason)
            elif ind.rule == Rule.BONUS and name in BONUS and BONUS[name][0] == ind.name:
                score_set(score=score, actor=staff, points=BONUS[name][1], reason=BONUS[name][2])
    return {"考核对象": count}
