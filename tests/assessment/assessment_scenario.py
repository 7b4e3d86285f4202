"""The assessment scenario: the demo agency (seeded as on DEMO_DAY) with hand-made 2026 rows whose figures are
counted here by hand, never through assessment.figures, OrgTree or the querysets the scores use.

机关第一党支部 (covers 办公室, 人事科, 财务科), scored as of AS_OF = 2026-03-15:
- monthly reports due by 03-15 (January and February; March is due 04-05 and not counted):
  branch Jan accepted on time; branch Feb submitted 3 days late; 办公室 Jan returned; 办公室 Feb draft (missing);
  人事科 Jan accepted 2 days late → 5 counted, 1 on time, 2 late, 2 missing.
- report lines of those reports: 6, of which 4 已完成 (a done line on a March report is not counted).
- measures due in 2026 by 03-15, not 长期坚持, with a department in the subtree: m1 (办公室, struck off 02-28 23:30
  Shanghai, on time), m2 (财务科, struck off after its date), m3 (办公室 and 人事科, still open) → 3, 1 on time.
  Not counted: a 长期坚持 measure, one due in June, one due in 2025, one of 执法一支部 (counted there: 1 of 1).
- committee term: elected 2022-03-01 for 3 years, expired 2025-03-01, not renewed → 1 org, 0 on time.
- organisational life tracked from 2026-01-01: the monthly 支委会, 党小组会 and 主题党日 of January and February
  are 6 checks; records: Jan 支委会, Jan 党小组会 + 主题党日 (one record), Feb 支委会 → 4 met.
- votes (sample sheet): 42 voters, 好 30, 较好 9, 一般 3, 差 0.
执法一支部: no reports, one measure struck off on time, its demo term (not expired), votes 18/15/7/2 of 42.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from assessment.models import Indicator, Rule, Scheme
from branches.models import CommitteeTerm
from orglife.models import Record, RecordType
from rectification.models import Batch, Measure, MeasureKind, MeasureState, MeasureUnit, Problem, Source
from reports.models import LineStatus, MonthlyReport, ReportLine, ReportStatus
from responsibility.models import Assignment, Frequency, Item, ResponsibilityList

AS_OF = datetime.date(2026, 3, 15)
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date

# Scheme used by most tests: 100 points.
INDICATORS = [
    ("落实主体责任", "月报按时报送", 15, Rule.REPORTS_ON_TIME, None, ""),
    ("落实主体责任", "清单事项完成", 15, Rule.ITEMS_DONE, None, ""),
    ("落实主体责任", "整改按期销号", 10, Rule.MEASURES_ON_TIME, None, ""),
    ("组织建设", "按期换届", 5, Rule.TERMS, Decimal("5"), ""),
    ("组织建设", "组织生活", 10, Rule.ORGLIFE, None, ""),
    ("组织建设", "台账资料", 25, Rule.MANUAL, None, ""),
    ("述职评议", "述职评议", 20, Rule.VOTES, None, ""),
    ("加分项", "先进基层党组织", 3, Rule.BONUS, None, ""),
    ("加分项", "创新工作", 4, Rule.BONUS, None, ""),
    ("否决项", "严重违纪案件", 0, Rule.VETO, None, "good"),
]


def staff():
    return get_user_model().objects.get(username="wumin")


def make_scheme(year=2026, indicators=INDICATORS, **fields) -> Scheme:
    scheme = Scheme.objects.create(year=year, title=f"{year}年度党支部考核方案", units_text="各党支部", **fields)
    for i, (category, name, points, rule, deduction, cap) in enumerate(indicators, start=1):
        Indicator.objects.create(scheme=scheme, position=i, category=category, name=name, points=Decimal(points),
                                 rule=rule, deduction=deduction, cap_grade=cap)
    return scheme


def indicator(scheme, name) -> Indicator:
    return scheme.indicators.get(name=name)


def _report(org, month, status, days_late=0):
    due = D(2026, month + 1, 5)
    return MonthlyReport.objects.create(organisation=org, year=2026, month=month, due_on=due, status=status,
                                        days_late=days_late)


def build(demo) -> dict:
    branch, office, hr, finance = (demo.org(n) for n in ("机关第一党支部", "办公室", "人事科", "财务科"))
    enforce = demo.org("执法一支部")
    rlist = ResponsibilityList.objects.create(year=2026, title="2026年清单")
    items = [Item.objects.create(responsibility_list=rlist, position=i, content=f"事项{i}",
                                 frequency=Frequency.MONTHLY) for i in range(1, 4)]
    assign = {}
    for org in (branch, office, hr):
        for item in items:
            assign[(org.pk, item.pk)] = Assignment.objects.create(item=item, organisation=org)

    reports = {
        "branch_jan": _report(branch, 1, ReportStatus.ACCEPTED),
        "branch_feb": _report(branch, 2, ReportStatus.SUBMITTED, days_late=3),
        "office_jan": _report(office, 1, ReportStatus.RETURNED),
        "office_feb": _report(office, 2, ReportStatus.DRAFT),
        "hr_jan": _report(hr, 1, ReportStatus.ACCEPTED, days_late=2),
        "branch_mar": _report(branch, 3, ReportStatus.DRAFT),  # due 04-05: not counted
    }
    lines = [
        ("branch_jan", branch, 0, LineStatus.DONE), ("branch_jan", branch, 1, LineStatus.DONE),
        ("branch_feb", branch, 0, LineStatus.DONE), ("branch_feb", branch, 1, LineStatus.IN_PROGRESS),
        ("office_jan", office, 0, LineStatus.NOT_STARTED), ("hr_jan", hr, 0, LineStatus.DONE),
        ("branch_mar", branch, 0, LineStatus.DONE),
    ]
    ReportLine.objects.bulk_create([ReportLine(report=reports[key], assignment=assign[(org.pk, items[i].pk)],
                                               position=i, status=status) for key, org, i, status in lines])

    batch = Batch.objects.create(source=Source.PATROL, title="2026年巡察反馈", feedback_on=D(2026, 1, 10))
    problem = Problem.objects.create(batch=batch, position=1, description="问题一")

    def measure(n, units, due, kind=MeasureKind.DEADLINE, closed_at=None):
        m = Measure.objects.create(problem=problem, position=n, text=f"措施{n}", due_on=due, kind=kind,
                                   state=MeasureState.CLOSED if closed_at else MeasureState.IN_PROGRESS,
                                   closed_at=closed_at)
        for pos, org in enumerate(units):
            MeasureUnit.objects.create(measure=m, organisation=org, position=pos)
        return m

    shanghai = lambda *a: datetime.datetime(*a, tzinfo=SHANGHAI)  # noqa: E731
    measures = {
        "m1": measure(1, [office], D(2026, 2, 28), closed_at=shanghai(2026, 2, 28, 23, 30)),
        "m2": measure(2, [finance], D(2026, 2, 28), closed_at=shanghai(2026, 3, 1, 0, 30)),
        "m3": measure(3, [office, hr], D(2026, 3, 1)),
        "long": measure(4, [office], None, kind=MeasureKind.LONG_TERM),
        "june": measure(5, [office], D(2026, 6, 30)),
        "old": measure(6, [office], D(2025, 12, 31)),
        "enforce": measure(7, [enforce], D(2026, 3, 10), closed_at=shanghai(2026, 3, 9, 10)),
    }

    CommitteeTerm.objects.filter(organisation=branch).delete()
    CommitteeTerm.objects.create(organisation=branch, elected_on=D(2022, 3, 1), years=3)

    by = staff()
    kinds = {t.code: t for t in RecordType.objects.all()}
    for day, codes in ((D(2026, 1, 8), ["branch_committee"]), (D(2026, 1, 20), ["group_meeting", "theme_day"]),
                       (D(2026, 2, 10), ["branch_committee"])):
        record = Record.objects.create(organisation=branch, date=day, topic="会议", created_by=by)
        record.types.set([kinds[c] for c in codes])
    return {"reports": reports, "measures": measures, "branch": branch, "enforce": enforce}


# Independent expectations for 机关第一党支部 (AS_OF) on INDICATORS.
BRANCH_FIGURES = {
    "月报按时报送": {"total": 5, "good": 1, "late": 2, "missing": 2},
    "清单事项完成": {"total": 6, "good": 4},
    "整改按期销号": {"total": 3, "good": 1},
    "按期换届": {"total": 1, "good": 0},
    "组织生活": {"total": 6, "good": 4},
}
BRANCH_POINTS = {
    "月报按时报送": Decimal("3.00"),    # 15 × 1/5
    "清单事项完成": Decimal("10.00"),   # 15 × 4/6
    "整改按期销号": Decimal("3.33"),    # 10 × 1/3
    "按期换届": Decimal("0.00"),        # 5 − 5 × 1
    "组织生活": Decimal("6.67"),        # 10 × 4/6
    "述职评议": Decimal("18.57"),       # 20 × (30×100 + 9×80 + 3×60) / (42 × 100)
}
