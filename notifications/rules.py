"""The reminder rules: for a date, the current stage of every due or overdue object and who hears of it.

Only the latest stage an object has reached is produced, so after an outage the next run sends what is
still relevant and skips the stages that were overtaken."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from branches.models import CommitteeTerm
from reports.models import EDITABLE, MonthlyReport, ReportStatus

from .models import Level, ReminderSettings
from .recipients import Directory


@dataclass
class Candidate:
    subject: object
    stage: str
    level: str
    title: str
    body: str
    link: str
    organisation_id: int | None
    recipients: list = field(default_factory=list)
    kind: str = ""  # a notifications.models.Kind value; empty: decided by the subject's model (KIND_BY_MODEL)


def _dedupe(users) -> list:
    seen, result = set(), []
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def link_maker(view_name: str):
    """reverse() once, then format: a scan builds thousands of links."""
    template = reverse(view_name, args=[999999999]).replace("999999999", "{}")
    return template.format


SUBJECT_FIELDS = ("id", "organisation_id")  # in MonthlyReport's field order


def report_candidates(today: datetime.date, rules: ReminderSettings, people: Directory):
    overdue_days = ReminderSettings.day_list(rules.report_overdue_days)
    # Only reports that can be at some stage today: due within the warning window, overdue, or returned.
    relevant = Q(status=ReportStatus.RETURNED) | Q(due_on__lte=today + datetime.timedelta(days=rules.report_due_soon_days))
    rows = (MonthlyReport.objects.filter(relevant, status__in=EDITABLE, organisation__is_active=True)
            .values_list("pk", "year", "month", "status", "due_on", "submitted_at", "reviewed_at", "return_reason",
                         "organisation_id", "organisation__name"))
    report_link = link_maker("reports:detail")
    for pk, year, month, status, due_on, submitted_at, reviewed_at, return_reason, org_id, org_name in rows:
        # The subject: only its identity is needed, built as a row read with two columns (no defaults worked out
        # for every other field, which at 26,000 reports cost a second).
        report = MonthlyReport.from_db(None, SUBJECT_FIELDS, (pk, org_id))
        link = report_link(pk)
        name = f"{org_name}{year}年{month}月完成情况报告"
        leaders = people.leaders(org_id)
        if status == ReportStatus.RETURNED and reviewed_at:
            waited = (today - timezone.localdate(reviewed_at)).days
            if waited >= rules.report_returned_days:
                yield Candidate(report, f"returned:{timezone.localtime(reviewed_at):%Y%m%d%H%M}", Level.YELLOW,
                                f"{name}被驳回{waited}天未重新提交", return_reason, link, org_id, leaders)
            continue
        if submitted_at:
            continue
        left = (due_on - today).days
        if 0 < left <= rules.report_due_soon_days:
            yield Candidate(report, "due_soon", Level.GREEN, f"{name}将于{due_on:%m月%d日}截止（还有{left}天）",
                            "", link, org_id, leaders)
        elif left == 0:
            yield Candidate(report, "due_today", Level.YELLOW, f"{name}今天截止", "", link, org_id, leaders)
        elif left < 0:
            late = -left
            reached = [d for d in overdue_days if d <= late]
            if reached:
                yield Candidate(report, f"overdue_{reached[-1]}", Level.RED, f"{name}已逾期{late}天未报送", "",
                                link, org_id, leaders)
            if late >= rules.report_escalate_days:
                escalate = [u for u in _dedupe(people.supervisors(org_id) + people.inspectors) if u not in leaders]
                yield Candidate(report, "escalated", Level.RED, f"【升级】{name}已逾期{late}天未报送",
                                "请督促报送。", link, org_id, escalate)


def term_candidates(today: datetime.date, rules: ReminderSettings, people: Directory):
    windows = sorted(ReminderSettings.day_list(rules.term_days), reverse=True)
    terms = CommitteeTerm.objects.current().filter(organisation__is_active=True).select_related("organisation")
    org_link = link_maker("branches:detail")
    for term in terms:
        left = term.days_left(today)
        org = term.organisation
        link = org_link(org.pk)
        recipients = _dedupe(people.leaders(org.pk) + people.staff)
        if left < 0:
            yield Candidate(term, "expired", Level.RED, f"{org.name}委员会任期已于{term.ends_on:%Y年%m月%d日}届满，请及时换届",
                            "", link, org.pk, recipients)
            continue
        inside = [d for d in windows if left <= d]
        if inside:
            window = inside[-1]
            level = Level.GREEN if window == windows[0] else Level.YELLOW
            yield Candidate(term, f"before_{window}", level,
                            f"{org.name}委员会任期将于{term.ends_on:%Y年%m月%d日}届满（还有{left}天），请做好换届准备",
                            "", link, org.pk, recipients)


def measure_candidates(today: datetime.date, rules: ReminderSettings, people: Directory):
    """整改措施 three colours: green to the person handling it, yellow also to the 分管 leader, red (overdue) also to
    the unit's head, its party head and the reviewers, repeated every `measure_repeat_days` while overdue."""
    from rectification.models import Measure, MeasureKind, MeasureState, MeasureUnit

    horizon = today + datetime.timedelta(days=rules.measure_green_days)
    measures = list(
        Measure.objects.filter(state__in=[MeasureState.OPEN, MeasureState.IN_PROGRESS], due_on__isnull=False,
                               due_on__lte=horizon)
        .exclude(kind=MeasureKind.LONG_TERM)
        .select_related("person__user", "leader__user", "problem__batch"))
    units: dict[int, list[tuple[int, bool]]] = {}
    for measure_id, org_id, is_lead in MeasureUnit.objects.filter(measure__in=[m.pk for m in measures]).values_list(
            "measure_id", "organisation_id", "is_lead").order_by("position"):
        units.setdefault(measure_id, []).append((org_id, is_lead))
    measure_link = link_maker("rectification:measure")
    for measure in measures:
        org_ids = [org_id for org_id, _lead in units.get(measure.pk, [])]
        lead_org = next((org_id for org_id, lead in units.get(measure.pk, []) if lead), org_ids[0] if org_ids else None)
        person = measure.person.user if measure.person and measure.person.user and measure.person.user.is_active \
            else None
        handlers = [person] if person else [u for org_id in org_ids for u in people.leaders(org_id)]
        left = (measure.due_on - today).days
        text = measure.text if len(measure.text) <= 40 else measure.text[:40] + "…"
        title_tail = f"（{measure.problem.batch.title}）"
        link = measure_link(measure.pk)
        if left > rules.measure_yellow_days:
            yield Candidate(measure, "green", Level.GREEN, f"整改措施“{text}”将于{measure.due_on:%m月%d日}到期（还有{left}天）"
                            f"{title_tail}", "", link, lead_org, _dedupe(handlers))
        elif left >= 0:
            leaders = [measure.leader.user] if measure.leader and measure.leader.user else []
            leaders += [u for org_id in org_ids for u in people.supervisors(org_id)]
            yield Candidate(measure, "yellow", Level.YELLOW, f"整改措施“{text}”将于{measure.due_on:%m月%d日}到期（还有{left}天）"
                            f"{title_tail}", "", link, lead_org, _dedupe(handlers + leaders))
        else:
            late = -left
            round_no = (late - 1) // max(1, rules.measure_repeat_days)  # a new stage each week while overdue
            heads = [u for org_id in org_ids for u in people.leaders(org_id) + people.party_heads(org_id)]
            yield Candidate(measure, f"red_{round_no}", Level.RED, f"整改措施“{text}”已逾期{late}天{title_tail}",
                            "请尽快完成整改并报送佐证材料。", link, lead_org,
                            _dedupe(handlers + heads + people.inspectors))


RULES = [report_candidates, term_candidates, measure_candidates]


def all_candidates(today: datetime.date) -> list[Candidate]:
    rules = ReminderSettings.load()
    people = Directory()
    found = []
    for rule in RULES:
        found.extend(c for c in rule(today, rules, people) if c.recipients)
    return found
