"""What users read in 问责: instructions and talks through the user's scope, the recipient matrix, the figures."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.http import Http404

from branches.scope import scope_for

from .models import (AccountabilityForm, AccountabilityRecord, Instruction, InstructionKind, Recipient,
                     RecipientState, SpotCheck, SpotCheckItem, TalkRecord)
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


@dataclass
class Figures:
    year: int
    supervise: int
    assign: int
    recipients: int
    acked_on_time: int
    replied_on_time: int
    overdue: int
    talks: int
    talk_people: int
    records: int
    by_form: dict[str, int]

    @property
    def issued(self) -> int:
        return self.supervise + self.assign


def figures(*, year: int, today: datetime.date, org_ids=None, with_records: bool = True) -> Figures:
    """The year's counts within `org_ids` (None: the whole agency). Talks count each person talked to (人次); a
    unit talk without named people counts one. 问责 counts the records by form (each names one person or unit)."""
    rows = Recipient.objects.filter(instruction__year=year).exclude(instruction__status="withdrawn")
    talks = TalkRecord.objects.filter(held_on__year=year)
    records = AccountabilityRecord.objects.filter(decided_on__year=year)
    if org_ids is not None:
        rows = rows.filter(organisation__in=org_ids)
        talks = talks.filter(organisation__in=org_ids)
        records = records.filter(organisation__in=org_ids)
    instructions = Instruction.objects.filter(pk__in=rows.values("instruction_id"))
    kinds = dict(instructions.values_list("kind").annotate(n=Count("pk")).order_by())
    counts = rows.with_timeliness().aggregate(
        total=Count("pk"), acked=Count("pk", filter=Q(acked_on_time=True)),
        replied=Count("pk", filter=Q(replied_on_time=True)),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, instruction__due_on__lt=today)))
    people = talks.annotate(n=Count("interviewees")).values_list("n", flat=True)
    by_form = {form.value: 0 for form in AccountabilityForm}
    if with_records:
        by_form.update(dict(records.values_list("form").annotate(n=Count("pk")).order_by()))
    return Figures(year=year, supervise=kinds.get(InstructionKind.SUPERVISE, 0),
                   assign=kinds.get(InstructionKind.ASSIGN, 0), recipients=counts["total"],
                   acked_on_time=counts["acked"], replied_on_time=counts["replied"], overdue=counts["overdue"],
                   talks=len(people), talk_people=sum(n or 1 for n in people),
                   records=sum(by_form.values()), by_form=by_form)


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
