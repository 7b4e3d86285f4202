"""Reminder rules for instructions and talk commitments, added to the agency's reminder scan
(notifications.rules.RULES) and three-colour counts (notifications.levels.LEVEL_COUNTERS).

Stages per recipient organisation: received (green), not acknowledged in time (yellow, the issuer hears too),
reply due within three days (green), due today (yellow), overdue (red, escalated to the issuer, the unit's 分管
leaders and its party heads). Each reminder is recorded once per (object, stage, recipient) by the scan."""
from __future__ import annotations

import datetime

from django.db.models import Q

from notifications.models import Level
from notifications.rules import Candidate, _dedupe, link_maker

from .models import Recipient, RecipientState, TalkRecord
from .models.instructions import OPEN_STATES

DUE_SOON_DAYS = 3


def instruction_candidates(today: datetime.date, rules, people):
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    recipients = (Recipient.objects.filter(state__in=OPEN_STATES, instruction__status="issued",
                                           organisation__is_active=True)
                  .filter(Q(state=RecipientState.PENDING) | Q(instruction__due_on__lte=soon))
                  .select_related("instruction__issued_by", "organisation"))
    link = link_maker("accountability:instruction")
    for r in recipients:
        ins = r.instruction
        name = f"{ins.code}“{ins.title[:30]}”"
        leaders = people.leaders(r.organisation_id)
        issuer = [ins.issued_by] if ins.issued_by.is_active else []
        url = link(ins.pk)
        left = (ins.due_on - today).days
        if left < 0:
            escalate = people.supervisors(r.organisation_id) + people.party_heads(r.organisation_id) + issuer
            yield Candidate(r, "overdue", Level.RED, f"{r.organisation.name}：{name}已逾期{-left}天未反馈",
                            "请尽快办理并反馈。", url, r.organisation_id, _dedupe(leaders + escalate))
        elif r.state == RecipientState.PENDING and r.ack_due_on < today:
            yield Candidate(r, "ack_late", Level.YELLOW, f"{r.organisation.name}：{name}未按时签收",
                            f"应于{r.ack_due_on:%m月%d日}前签收。", url, r.organisation_id, _dedupe(leaders + issuer))
        elif left == 0:
            yield Candidate(r, "due_today", Level.YELLOW, f"{name}今天到期，请反馈办理结果", "", url,
                            r.organisation_id, leaders)
        elif left <= DUE_SOON_DAYS and r.state != RecipientState.PENDING:
            yield Candidate(r, "due_soon", Level.GREEN, f"{name}将于{ins.due_on:%m月%d日}到期（还有{left}天）", "", url,
                            r.organisation_id, leaders)
        elif r.state == RecipientState.PENDING:
            yield Candidate(r, "received", Level.GREEN, f"收到{name}，请于{r.ack_due_on:%m月%d日}前签收",
                            f"办理时限：{ins.due_on:%Y年%m月%d日}。", url, r.organisation_id, leaders)


def talk_candidates(today: datetime.date, rules, people):
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    talks = (TalkRecord.objects.filter(followed_up_at__isnull=True, follow_up_on__isnull=False,
                                       follow_up_on__lte=soon)
             .select_related("created_by").prefetch_related("talkers__user"))
    link = link_maker("accountability:talk")
    for talk in talks:
        owners = [talk.created_by] + [p.user for p in talk.talkers.all() if p.user and p.user.is_active]
        title = f"{talk.held_on:%m月%d日}{talk.get_kind_display()}的整改承诺"
        left = (talk.follow_up_on - today).days
        if left < 0:
            yield Candidate(talk, "follow_up_overdue", Level.RED, f"{title}跟进已逾期{-left}天",
                            talk.commitments[:200], link(talk.pk), talk.organisation_id, _dedupe(owners))
        else:
            yield Candidate(talk, "follow_up_soon", Level.YELLOW if left == 0 else Level.GREEN,
                            f"{title}应于{talk.follow_up_on:%m月%d日}前跟进", talk.commitments[:200], link(talk.pk),
                            talk.organisation_id, _dedupe(owners))


def instruction_levels(today: datetime.date, rules, org_ids) -> dict[str, int]:
    """Open recipients at each colour, as Recipient.colour decides."""
    from django.db.models import Count

    open_rows = Recipient.objects.filter(state__in=OPEN_STATES, instruction__status="issued",
                                         organisation__is_active=True)
    if org_ids is not None:
        open_rows = open_rows.filter(organisation__in=org_ids)
    red = Q(instruction__due_on__lt=today)
    yellow = ~red & (Q(state=RecipientState.PENDING, ack_due_on__lt=today)
                     | Q(instruction__due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)))
    return open_rows.aggregate(**{Level.RED: Count("pk", filter=red), Level.YELLOW: Count("pk", filter=yellow),
                                  Level.GREEN: Count("pk", filter=~red & ~yellow)})


def register() -> None:
    from notifications import levels, rules

    for rule in (instruction_candidates, talk_candidates):
        if rule not in rules.RULES:
            rules.RULES.append(rule)
    if instruction_levels not in levels.LEVEL_COUNTERS:
        levels.LEVEL_COUNTERS.append(instruction_levels)
