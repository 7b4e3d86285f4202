"""The dashboard scenario and the independent counts the dashboard tests compare against.

Scenario (built once per module by tests/oversight/conftest.py): the demo agency (seeded as on DEMO_DAY), the
sample 2022 list published, the sample rectification ledger imported, and the 2022 reports of March to June:

- May 2022 (17 reports, due 2022-06-05), viewed on TODAY = 2022-06-20:
  - on time: 机关第一党支部, 办公室, 人事科, 机关第二党支部, 电子商务科 (06-03), 外资科 (06-05 23:30, the last evening);
  - late: 对外贸易科 (06-06 00:30, one day), 财务科, 市场运行科, 机关第三党支部 (06-08);
  - 人事科 returned on 06-06 (and left returned); 机关第三党支部 returned 06-09, sent again 06-12 (7 days late),
    accepted 06-15; 机关第一党支部 and 财务科 accepted 06-10; the others await review;
  - the other seven are drafts, two of them partly filled in.
- March: three sent in on time, the rest drafts. April: four on time, two late, the rest drafts.
- June (due 07-05): generated, all drafts — not yet due on TODAY, so not in the trend.

The counts below are made with plain Python over the model objects, never through oversight.dashboard or the
queryset helpers it uses (with_status, figures, expiring, OrgTree, the reminder rules).
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict

from django.utils import timezone

from branches.models import LEADING_POSTS, CommitteeTerm, Organisation, Post
from rectification.models import Measure
from reports.models import MonthlyReport, ReportLine
from reports.services import LineInput, monthly_report_accept, monthly_report_return, monthly_report_submit, \
    monthly_reports_generate
from tests.conftest import Demo
from tests.reports.helpers import at, fill, seed_with_main_list

TODAY = datetime.date(2022, 6, 20)
YEAR, MONTH = 2022, 5
ORGAN_COMMITTEE = "中共示范市商务局机关委员会"  # 机关党委

MAY_ON_TIME = ["机关第一党支部", "办公室", "机关第二党支部", "电子商务科", "外资科"]  # 人事科 was returned: open again
MAY_LATE = ["对外贸易科", "财务科", "市场运行科", "机关第三党支部"]
MAY_RETURNED = ["人事科"]
MAY_ACCEPTED = ["机关第一党支部", "财务科", "机关第三党支部"]


def leader_of(org):
    """The 书记/负责人 who fills in the organisation's reports."""
    post = (Post.objects.filter(organisation=org, kind__in=LEADING_POSTS).select_related("person__user")
            .order_by("sort_order", "id").first())
    return post.person.user


def month_report(name, month=MONTH):
    return MonthlyReport.objects.select_related("organisation").get(organisation__name=name, year=YEAR, month=month)


def send(report, when, *, in_progress=()):
    """Fill every line (done, or 推进中 at the 1-based positions given) and submit at local time `when`."""
    actor = leader_of(report.organisation)
    with at(*when):
        filled = fill(report, actor, **{f"line{n}": LineInput(status="in_progress") for n in in_progress})
        return monthly_report_submit(actor=actor, report=filled)


def build():
    seed_with_main_list()
    demo = Demo()
    wumin = demo.user("wumin")  # 党建办: imports the ledger and reviews reports (REPORT_REVIEWER = staff)
    from rectification.services import rectification_ledger_import
    from tests.rectification.conftest import sample_ledger

    with sample_ledger().open("rb") as handle:
        rectification_ledger_import(actor=wumin, source=handle, file_name="rectification_ledger_2022.xlsx")
    for month in (3, 4, 5, 6):
        with at(YEAR, month, 1):
            monthly_reports_generate(year=YEAR, month=month)

    # March (due 04-05): the first three on time, the rest drafts.
    march = list(MonthlyReport.objects.filter(year=YEAR, month=3).select_related("organisation")
                 .order_by("organisation__sort_order"))
    for report in march[:3]:
        send(report, (2022, 4, 1))
    # April (due 05-05): four on time, two late (05-09), the rest drafts.
    april = list(MonthlyReport.objects.filter(year=YEAR, month=4).select_related("organisation")
                 .order_by("organisation__sort_order"))
    for report in april[:4]:
        send(report, (2022, 5, 4))
    for report in april[4:6]:
        send(report, (2022, 5, 9))

    # May (due 06-05).
    for name in ["机关第一党支部", "办公室", "人事科", "电子商务科"]:
        send(month_report(name), (2022, 6, 3))
    send(month_report("机关第二党支部"), (2022, 6, 3), in_progress=[1])
    send(month_report("外资科"), (2022, 6, 5, 23, 30))
    send(month_report("对外贸易科"), (2022, 6, 6, 0, 30))
    send(month_report("财务科"), (2022, 6, 8), in_progress=[2])
    send(month_report("市场运行科"), (2022, 6, 8))
    send(month_report("机关第三党支部"), (2022, 6, 8), in_progress=[1, 2])
    with at(2022, 6, 6):
        monthly_report_return(actor=wumin, report=month_report("人事科"), reason="请补充佐证材料")
    with at(2022, 6, 9):
        monthly_report_return(actor=wumin, report=month_report("机关第三党支部"), reason="完成情况过于简略")
    send(month_report("机关第三党支部"), (2022, 6, 12), in_progress=[1])
    with at(2022, 6, 10):
        for name in ["机关第一党支部", "财务科"]:
            monthly_report_accept(actor=wumin, report=month_report(name))
    with at(2022, 6, 15):
        monthly_report_accept(actor=wumin, report=month_report("机关第三党支部"))
    # Two drafts partly filled in: 机关纪委 (its one line done), 离退休干部党支部 (the first of its two lines done).
    with at(2022, 6, 10):
        fill(month_report("中共示范市商务局机关纪律检查委员会"), leader_of(demo.org("中共示范市商务局机关纪律检查委员会")))
        fill(month_report("离退休干部党支部"), leader_of(demo.org("离退休干部党支部")), line2=LineInput())


# ---------------------------------------------------------------- independent counts

def subtree_ids(root_id: int) -> set[int]:
    """The organisation and everything below it, by following parent links (no OrgTree), plus the 科室/单位 that
    any of them covers, with everything below those."""
    parent = dict(Organisation.objects.values_list("pk", "parent_id"))

    def below(root):
        found = set()
        for org_id in parent:
            node = org_id
            while node is not None:
                if node == root:
                    found.add(org_id)
                    break
                node = parent[node]
        return found

    found = below(root_id)
    covered = Organisation.covers.through.objects.filter(from_organisation__in=found).values_list(
        "to_organisation_id", flat=True)
    for unit in covered:
        found |= below(unit)
    return found


def _inside(org_id, org_ids):
    return org_ids is None or org_id in org_ids


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def report_sets(org_ids=None, year=YEAR, month=MONTH) -> dict[str, set[int]]:
    """The month's reports by set. 'Submitted' means sent in and not returned (a returned report is open again
    until it is sent in once more); on time / late compare the local date of the latest sending with the due date;
    'missing' is a draft never sent."""
    reports = [r for r in MonthlyReport.objects.filter(year=year, month=month) if _inside(r.organisation_id, org_ids)]
    sent = [r for r in reports if r.status in ("submitted", "accepted")]
    return {
        "all": {r.pk for r in reports},
        "submitted": {r.pk for r in sent},
        "on_time": {r.pk for r in sent if timezone.localtime(r.submitted_at).date() <= r.due_on},
        "late": {r.pk for r in sent if timezone.localtime(r.submitted_at).date() > r.due_on},
        "missing": {r.pk for r in reports if r.status == "draft"},
        "returned": {r.pk for r in reports if r.status == "returned"},
        "accepted": {r.pk for r in reports if r.status == "accepted"},
        "awaiting": {r.pk for r in reports if r.status == "submitted"},
    }


def report_figures(org_ids=None, year=YEAR, month=MONTH) -> dict:
    sets = report_sets(org_ids, year, month)
    counts = {name: len(ids) for name, ids in sets.items()}
    counts["total"] = counts.pop("all")
    counts["submission_rate"] = _rate(counts["submitted"], counts["total"])
    counts["on_time_rate"] = _rate(counts["on_time"], counts["total"])
    return counts


def category_lines(org_ids=None, year=YEAR, month=MONTH) -> dict[str, dict[str, set[int]]]:
    """The month's report lines by the item's category: all of them and those marked done."""
    found: dict[str, dict[str, set[int]]] = defaultdict(lambda: {"all": set(), "done": set()})
    for line in ReportLine.objects.select_related("report", "assignment__item"):
        if line.report.year == year and line.report.month == month and _inside(line.report.organisation_id, org_ids):
            entry = found[line.assignment.item.category]
            entry["all"].add(line.pk)
            if line.status == "done":
                entry["done"].add(line.pk)
    return dict(found)


def measure_status(measure, today) -> str:
    """As the ledger states it: 已销号, 待审核, 长期坚持 (never overdue), 逾期 (a date passed), 整改中, 未启动."""
    if measure.state == "closed":
        return "closed"
    if measure.state == "awaiting_review":
        return "awaiting_review"
    if measure.kind == "long_term":
        return "long_term"
    if measure.due_on is not None and measure.due_on < today:
        return "overdue"
    return "in_progress" if measure.state == "in_progress" else "not_started"


def measure_sets(today, org_ids=None) -> dict[str, set[int]]:
    """Measures with a responsible department in the organisations given, by status."""
    found: dict[str, set[int]] = defaultdict(set)
    for measure in Measure.objects.prefetch_related("units"):
        if org_ids is None or any(u.organisation_id in org_ids for u in measure.units.all()):
            found["all"].add(measure.pk)
            found[measure_status(measure, today)].add(measure.pk)
    found["rated"] = found["all"] - found["long_term"]
    return found


def measure_figures(today, org_ids=None) -> dict:
    sets = measure_sets(today, org_ids)
    return {"total": len(sets["all"]), "closed": len(sets["closed"]), "overdue": len(sets["overdue"]),
            "long_term": len(sets["long_term"]), "rated": len(sets["rated"]),
            "awaiting_review": len(sets["awaiting_review"]), "in_progress": len(sets["in_progress"]),
            "not_started": len(sets["not_started"]),
            "completion_rate": _rate(len(sets["closed"]), len(sets["rated"]))}


def current_terms(org_ids=None) -> list[CommitteeTerm]:
    """The latest term of each active organisation."""
    latest: dict[int, CommitteeTerm] = {}
    for term in CommitteeTerm.objects.select_related("organisation"):
        if term.organisation.is_active and _inside(term.organisation_id, org_ids):
            if term.organisation_id not in latest or term.elected_on > latest[term.organisation_id].elected_on:
                latest[term.organisation_id] = term
    return list(latest.values())


def term_sets(today, org_ids=None, window=180) -> dict[str, set[int]]:
    """Expired: the term (or its approved postponement) ended before today; expiring: it ends within `window` days."""
    expired, expiring = set(), set()
    for term in current_terms(org_ids):
        ends = term.postponed_to or term.expires_on
        if ends < today:
            expired.add(term.pk)
        elif ends <= today + datetime.timedelta(days=window):
            expiring.add(term.pk)
    return {"expired": expired, "expiring": expiring}


def alert_counts(today, org_ids=None) -> dict[str, int]:
    """三色预警: each report, measure and committee term counts once, at its colour today (default reminder
    settings; the thresholds of notifications/rules.py):

    - a report still open (draft or returned) of an active organisation: returned and not sent again for 3 days or
      more → yellow; never sent and overdue → red, due today → yellow, due in 1–3 days → green;
    - the current committee term of an active organisation, by its end (an approved postponement counts): ended →
      red; ending within 90 days → yellow; within 180 days → green;
    - an open dated measure that is not 长期坚持 (with a responsible department inside `org_ids`): past its date →
      red, 0–10 days before → yellow, 11–20 days before → green.
    An object counts whether or not anyone can be reminded of it.
    """
    counts = {"green": 0, "yellow": 0, "red": 0}
    active = set(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    for report in MonthlyReport.objects.filter(status__in=["draft", "returned"]):
        if report.organisation_id not in active or not _inside(report.organisation_id, org_ids):
            continue
        if report.status == "returned":
            if report.reviewed_at and (today - timezone.localtime(report.reviewed_at).date()).days >= 3:
                counts["yellow"] += 1
            continue
        left = (report.due_on - today).days
        if left < 0:
            counts["red"] += 1
        elif left == 0:
            counts["yellow"] += 1
        elif left <= 3:
            counts["green"] += 1
    for term in current_terms(org_ids):
        left = ((term.postponed_to or term.expires_on) - today).days
        if left < 0:
            counts["red"] += 1
        elif left <= 90:
            counts["yellow"] += 1
        elif left <= 180:
            counts["green"] += 1
    for measure in Measure.objects.prefetch_related("units"):
        if measure.state not in ("open", "in_progress") or measure.kind == "long_term" or measure.due_on is None:
            continue
        if org_ids is not None and not any(u.organisation_id in org_ids for u in measure.units.all()):
            continue
        left = (measure.due_on - today).days
        if left < 0:
            counts["red"] += 1
        elif left <= 10:
            counts["yellow"] += 1
        elif left <= 20:
            counts["green"] += 1
    return counts


def trend(org_ids=None, today=TODAY, year=YEAR) -> list[tuple[int, int, int, float | None]]:
    """(month, reports already due, of them sent on time, rate) for each month of the year."""
    rows = []
    for month in range(1, 13):
        due = [r for r in MonthlyReport.objects.filter(year=year, month=month)
               if r.due_on <= today and _inside(r.organisation_id, org_ids)]
        on_time = [r for r in due if r.status in ("submitted", "accepted")
                   and timezone.localtime(r.submitted_at).date() <= r.due_on]
        rows.append((month, len(due), len(on_time), _rate(len(on_time), len(due))))
    return rows


# ---------------------------------------------------------------- reading the page

def kpi(html: str, testid: str) -> tuple[str, str]:
    """(value, sub-line) of a KPI tile as rendered."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</a>', html, re.S)
    assert match, f"no KPI {testid}"
    tile = match.group(1)
    value = re.search(r'class="kpi-value">(.*?)</span>', tile, re.S).group(1)
    sub = re.search(r'class="kpi-sub">(.*?)</span>', tile, re.S)
    return value.strip(), (sub.group(1).strip() if sub else "")


def alerts_shown(html: str) -> dict[str, int]:
    section = re.search(r'data-testid="alerts".*?</section>', html, re.S).group(0)
    return {colour: int(re.search(rf'tag-{colour}">[^<]*?(\d+)</span>', section).group(1))
            for colour in ("red", "yellow", "green")}


def percent(rate) -> str:
    return "—" if rate is None else f"{rate}%"


def ids(objects) -> set[int]:
    return {o.pk for o in objects}
