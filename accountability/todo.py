"""督办/交办 in the to-do inbox and the calendar feed: 签收 and 反馈 for the recipient units, 办结 or 退回 for the
issuing office. A fixed number of queries whatever the number of instructions."""
from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Post
from branches.scope import scope_for
from common.todo import Deadline, Todo

from .models import InstructionKind, InstructionStatus, Recipient, RecipientState
from .permissions import ISSUING_ROLE


def _acting_side(user, scope) -> Q:
    """Where the user 签收 and 反馈 (as permissions.can_act_for): the units they lead or hold a post in (a
    subquery, so the inbox pays no query for it)."""
    posts = Post.objects.current().filter(person__user=user).values("organisation_id")
    return Q(organisation__in=scope.led_org_ids) | Q(organisation__in=posts)


def _issuer_side(user, scope) -> Q:
    """Instructions whose replies the user decides (as permissions.is_issuer_office)."""
    if user.is_superuser:
        return Q()
    mine = Q(instruction__issued_by=user)
    kinds = [kind for kind, role in ISSUING_ROLE.items() if scope.has_role(role)]
    if kinds:
        offices = Post.objects.current().filter(person__user=user).values("organisation_id")
        mine |= Q(instruction__issuing_org__in=offices, instruction__kind__in=kinds)
    return mine


def _name(recipient) -> str:
    return f"{recipient.instruction.code}“{recipient.instruction.title}”"


def _to_act(user, scope):
    """Live instructions the user's units must still 签收 or 反馈."""
    return Recipient.objects.filter(_acting_side(user, scope), instruction__status=InstructionStatus.ISSUED,
                                    state__in=(RecipientState.PENDING, RecipientState.ACKNOWLEDGED,
                                               RecipientState.RETURNED))


def _to_decide(user, scope):
    """Replies the user's office must 办结 or 退回. Replies are decided by the issuing side (inspectors for 督办, staff
    for 交办): no query for anyone else."""
    if not (user.is_superuser or scope.has_role(*ISSUING_ROLE.values())):
        return Recipient.objects.none()
    return Recipient.objects.filter(_issuer_side(user, scope), instruction__status=InstructionStatus.ISSUED,
                                    state=RecipientState.REPLIED)


def instruction_todos(user, today: datetime.date):
    scope = scope_for(user)
    own = _to_act(user, scope).select_related("instruction", "organisation")
    for r in own.order_by("instruction__due_on", "id"):
        link = reverse("accountability:instruction", args=[r.instruction_id])
        due = r.instruction.due_on
        if r.state == RecipientState.PENDING:
            yield Todo(_("待签收的督办交办"), r.organisation.name + _("：") + _name(r), link, order=30,
                       due_on=r.ack_due_on, overdue_days=max((today - r.ack_due_on).days, 0),
                       note=_("办理时限 %(date)s") % {"date": f"{due:%Y-%m-%d}"})
        else:
            note = (_("退回原因：%(reason)s") % {"reason": r.return_reason} if r.state == RecipientState.RETURNED
                    else _("已签收，请反馈办理结果"))
            yield Todo(_("待反馈的督办交办"), r.organisation.name + _("：") + _name(r), link, order=31, due_on=due,
                       overdue_days=max((today - due).days, 0), note=note)
    replies = _to_decide(user, scope).select_related("instruction", "organisation").order_by("replied_at", "id")
    for r in replies:
        yield Todo(_("待办结的督办交办反馈"), r.organisation.name + _("：") + _name(r),
                   reverse("accountability:instruction", args=[r.instruction_id]), order=32,
                   note=_("反馈于 %(date)s") % {"date": f"{r.replied_at:%Y-%m-%d}"} if r.replied_at else "")


def instruction_todo_count(user, today: datetime.date) -> int:
    scope = scope_for(user)
    return _to_act(user, scope).count() + _to_decide(user, scope).count()


def instruction_deadlines(user, start: datetime.date, end: datetime.date):
    """The reply deadline of every open instruction addressed to an organisation in the user's scope."""
    rows = (scope_for(user).filter_by_organisation(Recipient.objects.all())
            .filter(instruction__status=InstructionStatus.ISSUED, instruction__due_on__gte=start,
                    instruction__due_on__lte=end,
                    state__in=(RecipientState.PENDING, RecipientState.ACKNOWLEDGED, RecipientState.RETURNED))
            .select_related("instruction", "organisation").order_by("instruction__due_on", "id"))
    for r in rows:
        kind = _("督办") if r.instruction.kind == InstructionKind.SUPERVISE else _("交办")
        yield Deadline(f"instruction-{r.pk}", _("%(kind)s办理时限：%(org)s %(name)s") % {
            "kind": kind, "org": r.organisation.name, "name": _name(r)}, r.instruction.due_on,
            reverse("accountability:instruction", args=[r.instruction_id]), r.instruction.requirement)
