"""Independent counts for the year-end tests: plain Python over model rows, none of the export's queries."""
import datetime
from collections import Counter

from tests.yearend.conftest import TODAY, YEAR


def report_counts(org_ids=None, today=TODAY):
    """A returned report is open again (returned, not sent); a draft is missing once past its deadline."""
    from reports.models import MonthlyReport

    c = Counter()
    for r in MonthlyReport.objects.filter(year=YEAR):
        if org_ids is not None and r.organisation_id not in org_ids:
            continue
        if r.status in ("submitted", "accepted"):
            c["on_time" if r.days_late == 0 else "late"] += 1
        elif r.status == "returned":
            c["returned"] += 1
        elif r.due_on < today:
            c["missing"] += 1
        else:
            c["not_due"] += 1
        if r.status == "accepted":
            c["accepted"] += 1
    c["due"] = c["on_time"] + c["late"] + c["returned"] + c["missing"]
    return c


def line_counts(org_ids=None):
    """Lines of the reports sent in (submitted or accepted), by status."""
    from reports.models import ReportLine

    c = Counter()
    for line in ReportLine.objects.select_related("report").filter(report__year=YEAR):
        if org_ids is not None and line.report.organisation_id not in org_ids:
            continue
        if line.report.status in ("submitted", "accepted"):
            c["total"] += 1
            c[line.status] += 1
    return c


def measure_counts(today=TODAY):
    from rectification.models import Measure

    c = Counter(m.status_on(today) for m in Measure.objects.all())
    c["total"] = sum(c.values())
    rated = c["total"] - c["long_term"]
    c["rate"] = round(100 * c["closed"] / rated, 1) if rated else None
    return c


def list_counts(rlist):
    items = list(rlist.items.all())
    assignments = [a for item in items for a in item.assignments.all()]
    return {"items": len(items), "categories": len({i.category for i in items if i.category}),
            "assignments": len(assignments), "units": len({a.organisation_id for a in assignments})}


def term_counts(as_of=datetime.date(YEAR, 12, 31)):
    """Renewals held in the year (on time: elected by the previous term's end or postponement) and terms run out."""
    from branches.models import TERM_YEARS, CommitteeTerm, Organisation

    c = Counter()
    for org in Organisation.objects.filter(kind__in=list(TERM_YEARS), is_active=True):
        terms = sorted((t for t in CommitteeTerm.objects.filter(organisation=org) if t.elected_on <= as_of),
                       key=lambda t: t.elected_on)
        c["organisations"] += 1
        if not terms:
            c["no_record"] += 1
            continue
        for previous, new in zip(terms, terms[1:]):
            if new.elected_on.year == YEAR:
                c["renewed"] += 1
                end = previous.postponed_to or previous.expires_on
                c["on_time" if new.elected_on <= end else "late"] += 1
        last = terms[-1]
        if (last.postponed_to or last.expires_on) < as_of:
            c["expired"] += 1
    return c
