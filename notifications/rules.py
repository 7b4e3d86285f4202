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


def report_candidates(today: datetime.date, rules: ReminderSettings, people: Directory):
    overdue_days = ReminderSettings.day_list(rules.report_overdue_days)
    # Only reports that can be at some stage today: due within the warning window, overdue, or returned.
    relevant = Q(status=ReportStatus.RETURNED) | Q(due_on__lte=today + datetime.timedelta(days=rules.report_due_soon_days))
    rows = (MonthlyReport.objects.filter(relevant, status__in=EDITABLE, organisation__is_active=True)
            .values_list("pk", "year", "month", "status", "due_on", "submitted_at", "reviewed_at", "return_reason",
                         "organisation_id", "organisation__name"))
    report_link = link_maker("reports:detail")
    for pk, year, month, status, due_on, submitted_at, reviewed_at, return_reason, org_id, org_name in rows:
        report = MonthlyReport(pk=pk, organisation_id=org_id)  # the subject: only its identity is needed
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


RULES = [report_candidates, term_candidates]


def all_candidates(today: datetime.date) -> list[Candidate]:
    rules = ReminderSettings.load()
    people = Directory()
    found = []
    for rule in RULES:
        found.extend(c for c in rule(today, rules, people) if c.recipients)
    return found
