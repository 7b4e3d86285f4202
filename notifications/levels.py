"""三色预警 for the dashboards: how many objects stand at each colour today, counted in SQL with the same
thresholds the reminder rules apply (ReminderSettings). An object counts once, at its most urgent colour."""
from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import CommitteeTerm
from common import statements
from reports.models import EDITABLE, MonthlyReport, ReportStatus

from .models import Level, ReminderSettings


def _counts(queryset, levels: dict[str, Q]) -> dict[str, int]:
    return queryset.aggregate(**{level: Count("pk", filter=q) for level, q in levels.items()})


def report_levels(today: datetime.date, rules: ReminderSettings, org_ids) -> dict[str, int]:
    reports = MonthlyReport.objects.filter(status__in=EDITABLE, organisation__is_active=True)
    if org_ids is not None:
        reports = reports.filter(organisation__in=org_ids)
    unsent = Q(submitted_at__isnull=True) & ~Q(status=ReportStatus.RETURNED)
    waited_since = timezone.make_aware(datetime.datetime.combine(
        today - datetime.timedelta(days=rules.report_returned_days - 1), datetime.time.min))
    return _counts(reports, {
        Level.RED: unsent & Q(due_on__lt=today),
        Level.YELLOW: (unsent & Q(due_on=today)) | Q(status=ReportStatus.RETURNED, reviewed_at__lt=waited_since),
        Level.GREEN: unsent & Q(due_on__gt=today,
                                due_on__lte=today + datetime.timedelta(days=rules.report_due_soon_days)),
    })


def measure_levels(today: datetime.date, rules: ReminderSettings, org_ids) -> dict[str, int]:
    from rectification.models import Measure, MeasureKind, MeasureState, MeasureUnit

    measures = Measure.objects.filter(state__in=[MeasureState.OPEN, MeasureState.IN_PROGRESS],
                                      due_on__isnull=False).exclude(kind=MeasureKind.LONG_TERM)
    if org_ids is not None:
        measures = measures.filter(pk__in=MeasureUnit.objects.filter(organisation__in=org_ids).values("measure_id"))
    yellow_until = today + datetime.timedelta(days=rules.measure_yellow_days)
    return _counts(measures, {
        Level.RED: Q(due_on__lt=today),
        Level.YELLOW: Q(due_on__gte=today, due_on__lte=yellow_until),
        Level.GREEN: Q(due_on__gt=yellow_until, due_on__lte=today + datetime.timedelta(days=rules.measure_green_days)),
    })


def term_levels(today: datetime.date, rules: ReminderSettings, org_ids) -> dict[str, int]:
    windows = sorted(ReminderSettings.day_list(rules.term_days), reverse=True)
    terms = (CommitteeTerm.objects.current().filter(organisation__is_active=True)
             .annotate(ends=Coalesce(F("postponed_to"), F("expires_on"))))
    if org_ids is not None:
        terms = terms.filter(organisation__in=org_ids)
    if not windows:
        return _counts(terms, {Level.RED: Q(ends__lt=today)})
    outer = today + datetime.timedelta(days=windows[0])
    inner = today + datetime.timedelta(days=windows[1]) if len(windows) > 1 else None
    levels = {Level.RED: Q(ends__lt=today)}
    if inner is None:
        levels[Level.GREEN] = Q(ends__gte=today, ends__lte=outer)
    else:
        levels[Level.YELLOW] = Q(ends__gte=today, ends__lte=inner)
        levels[Level.GREEN] = Q(ends__gt=inner, ends__lte=outer)
    return _counts(terms, levels)


# Each counter runs one aggregate query that depends on its arguments only (the day, the thresholds, the
# organisations), so its statement is compiled once per distinct arguments (common.statements).
LEVEL_COUNTERS = [report_levels, measure_levels, term_levels]


# What each counter counts, for the dashboard's breakdown (a module registering a counter adds its label here).
COUNTER_LABELS = {"report_levels": _("月度报告"), "measure_levels": _("整改措施"), "term_levels": _("换届"),
                  "instruction_levels": _("督办交办")}


def _count(counter, today: datetime.date, rules: ReminderSettings, org_ids) -> dict[str, int]:
    thresholds = tuple(getattr(rules, f.attname) for f in ReminderSettings._meta.concrete_fields)
    key = ("levels", counter.__module__, counter.__qualname__, today, thresholds,
           None if org_ids is None else frozenset(org_ids))
    return statements.aggregate(key, lambda: counter(today, rules, org_ids))


def alert_breakdown(today: datetime.date, org_ids=None) -> list[dict]:
    """One row per kind of object (reports, measures, terms, instructions …) with its count at each colour; the
    rows add up to alert_levels()."""
    rules = ReminderSettings.load()
    rows = []
    for counter in LEVEL_COUNTERS:
        counts = {str(level): n or 0 for level, n in _count(counter, today, rules, org_ids).items()}
        rows.append({"key": counter.__name__, "label": COUNTER_LABELS.get(counter.__name__, counter.__name__),
                     **{level: counts.get(level, 0) for level in (Level.RED, Level.YELLOW, Level.GREEN)}})
    return rows


def alert_levels(today: datetime.date, org_ids=None) -> dict[str, int]:
    """Objects at each colour today, within `org_ids` (None: the whole agency)."""
    rules = ReminderSettings.load()
    total = {Level.GREEN.value: 0, Level.YELLOW.value: 0, Level.RED.value: 0}
    for counter in LEVEL_COUNTERS:
        for level, n in _count(counter, today, rules, org_ids).items():
            total[str(level)] += n or 0
    return total
