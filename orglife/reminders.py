"""The reminder rule for organisational life: a requirement still short in the last days of its period.

Registered into notifications.rules.RULES by OrglifeConfig.ready(). A gap is reminded of once per organisation,
type and period (the stage key carries both), to the people running the organisation; a 班子成员 short of talks
with a supervised head hears of it once in the last days of the year.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse

from branches.models import Organisation
from notifications.models import Level
from notifications.rules import Candidate

from .compliance import Rulebook, Status, current_compliance, leader_talks, tracked_from
from .periods import Period, PeriodKind


def _in_last_days(period: Period, today: datetime.date) -> bool:
    return 0 <= (period.end - today).days < settings.ORGLIFE_REMINDER_DAYS


def orglife_candidates(today: datetime.date, rules, people):
    since = tracked_from()
    if since is None:
        return  # no records kept here yet: nothing to remind of
    rulebook = Rulebook()
    organisations = [org for org in Organisation.objects.active() if rulebook.requirements(org)]
    for result in current_compliance(organisations=organisations, today=today, rulebook=rulebook, since=since,
                                     every_organisation=True):
        org = result.organisation
        recipients = people.leaders(org.pk)
        if not recipients:
            continue
        link = reverse("orglife:organisation", args=[org.pk])
        for check in result.open_gaps:
            if not _in_last_days(check.period, today):
                continue
            t = check.record_type
            yield Candidate(
                org, f"orglife:{t.code}:{check.period.key}", Level.YELLOW,
                f"{org.name}{check.period.label}还需{t.verb}{t.name}{check.gap}次（{check.period.end:%m月%d日}前）",
                f"应{t.verb}{check.required}次，已记录{check.held}次。", link, org.pk, list(recipients))

    year = Period.containing(PeriodKind.YEAR, today)
    if not _in_last_days(year, today):
        return
    link = reverse("orglife:talks") + f"?year={today.year}"
    for row in leader_talks(year=today.year, today=today, since=since):
        short = [pair for pair in row.gaps if pair.status == Status.OPEN]
        user = row.leader.user
        if not short or user is None or not user.is_active:
            continue
        names = "、".join(f"{pair.unit.name}{pair.head.name}（已{pair.held}次）" for pair in short)
        yield Candidate(
            row.leader, f"orglife:talks:{today.year}", Level.YELLOW,
            f"{today.year}年还需与{len(short)}名分管科室负责人谈心谈话或廉政谈话",
            f"每年至少{short[0].required}次：{names}", link, None, [user])
