"""What users read in 问责: instructions and talks through the user's scope, the recipient matrix (figures: .figures)."""
from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.http import Http404

from branches.scope import scope_for

from .models import Instruction, Recipient, RecipientState, SpotCheck, SpotCheckItem, TalkRecord
from .models.instructions import OPEN_STATES
from .permissions import can_spot_check

INSTRUCTION_FILTERS = ("issued", "acked_on_time", "ack_late", "replied_on_time", "overdue", "open", "closed")


def instruction_get(*, user, pk) -> Instruction:
    try:
        return Instruction.objects.visible_to(user).select_related("issuing_org", "issued_by").get(pk=pk)
    except (Instruction.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def recipient_get(*, user, pk) -> Recipient:
    """A recipient row the user may see: the issuing side sees all, others only their scope's rows."""
    scope = scope_for(user)
    rows = scope.filter_by_organisation(Recipient.objects.all())
    try:
        return rows.select_related("instruction", "organisation").get(pk=pk)
    except (Recipient.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def recipients_for(*, user, instruction: Instruction) -> list[Recipient]:
    scope = scope_for(user)
    rows = scope.filter_by_organisation(instruction.recipients.all())
    return list(rows.select_related("organisation", "acknowledged_by", "replied_by", "closed_by")
                .prefetch_related("attachments"))


def recipient_rows(*, user, year: int | None = None, kind: str = "", which: str = "", today: datetime.date,
                   org_ids=None):
    """Recipient rows behind each figure (the drill-down), scoped to the user."""
    rows = scope_for(user).filter_by_organisation(Recipient.objects.all())
    if org_ids is not None:
        rows = rows.filter(organisation__in=org_ids)
    if year:
        rows = rows.filter(instruction__year=year)
    if kind:
        rows = rows.filter(instruction__kind=kind)
    rows = rows.exclude(instruction__status="withdrawn").with_timeliness()
    rows = {
        "acked_on_time": rows.filter(acked_on_time=True),
        "ack_late": rows.filter(Q(acknowledged_on__gt=F("ack_due_on"))
                                | Q(state=RecipientState.PENDING, ack_due_on__lt=today)),
        "replied_on_time": rows.filter(replied_on_time=True),
        "overdue": rows.filter(state__in=OPEN_STATES, instruction__due_on__lt=today),
        "open": rows.filter(state__in=OPEN_STATES + (RecipientState.REPLIED,)),
        "closed": rows.filter(state=RecipientState.CLOSED),
    }.get(which, rows)
    return rows.select_related("instruction", "organisation").order_by("-instruction__year", "-instruction__number",
                                                                       "organisation__sort_order")


def talks_for(*, user, year: int | None = None, kind: str = ""):
    talks = TalkRecord.objects.visible_to(user)
    if year:
        talks = talks.filter(held_on__year=year)
    if kind:
        talks = talks.filter(kind=kind)
    return talks.select_related("organisation").prefetch_related("talkers", "interviewees")


def talk_get(*, user, pk) -> TalkRecord:
    try:
        return talks_for(user=user).select_related("instruction", "created_by").get(pk=pk)
    except (TalkRecord.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def spot_checks_for(*, user):
    if not can_spot_check(user):
        return SpotCheck.objects.none()
    return SpotCheck.objects.select_related("organisation", "created_by").annotate(
        checked=Count("items", filter=~Q(items__verdict="pending")),
        untrue=Count("items", filter=Q(items__verdict="false")))


def spot_check_get(*, user, pk) -> SpotCheck:
    try:
        return spot_checks_for(user=user).get(pk=pk)
    except (SpotCheck.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def spot_item_get(*, user, pk) -> SpotCheckItem:
    if not can_spot_check(user):
        raise Http404
    try:
        return SpotCheckItem.objects.select_related("check_run").get(pk=pk)
    except (SpotCheckItem.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


def spot_items(check: SpotCheck) -> list[SpotCheckItem]:
    return list(check.items.select_related(
        "organisation", "measure__problem__batch", "report_line__report__organisation",
        "report_line__assignment__item", "checked_by", "instruction", "record"))
