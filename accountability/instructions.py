"""What people do with 督办/交办: issue, 签收, 反馈, 办结 or 退回, withdraw. One function per action.

Every transition claims its row with a conditional UPDATE (two concurrent clicks make one transition) and writes
a timeline row in the same transaction."""
from __future__ import annotations

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from common.audit import audit_transition
from common.files import validate_evidence

from . import notices
from .models import (Instruction, InstructionAttachment, InstructionEvent, InstructionKind, InstructionStatus,
                     Recipient, RecipientState)
from .models.instructions import OPEN_STATES, REPLYABLE
from .permissions import can_act_for, can_issue, is_issuer_office, issuing_orgs
from .sources import SourceRef

MAX_ACK_DAYS = 30


def _digest(upload) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _attach(actor, instruction, recipient, files) -> None:
    for upload in files:
        sha = _digest(upload)
        InstructionAttachment.objects.create(instruction=instruction, recipient=recipient, file=upload,
                                             name=upload.name[:200], size=upload.size, sha256=sha, uploaded_by=actor)


def _record(instruction, action, actor, recipient=None, comment="", at=None) -> InstructionEvent:
    return InstructionEvent.objects.create(instruction_id=instruction.pk, recipient=recipient, action=action,
                                           actor=actor, at=at or timezone.now(), comment=comment)


def _next_number(kind: str, year: int) -> int:
    return (Instruction.objects.filter(kind=kind, year=year).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def instruction_issue(*, actor, kind: str, title: str, requirement: str, organisations, due_on: datetime.date,
                      ack_days: int = 2, issuing_org: Organisation | None = None, source: SourceRef | None = None,
                      files=()) -> Instruction:
    """下发: number it per kind and year (督办〔2026〕3号) and address it to every organisation at once."""
    if kind not in InstructionKind.values:
        raise ValidationError(_("无效的类型。"))
    if not can_issue(actor, kind):
        raise PermissionDenied(_("督办单由纪检监察人员下发，交办事项由党务工作人员下发。") if kind ==
                               InstructionKind.SUPERVISE else _("交办事项由党务工作人员下发。"))
    offices = issuing_orgs(actor, kind)
    if issuing_org is None:
        issuing_org = offices[0] if offices else None
    if issuing_org is None or issuing_org.pk not in {o.pk for o in offices}:
        raise PermissionDenied(_("您不在可以下发%(kind)s的单位任职。") % {"kind": InstructionKind(kind).label})
    title, requirement = (title or "").strip(), (requirement or "").strip()
    organisations = list({o.pk: o for o in organisations}.values())
    today = timezone.localdate()
    errors = []
    if not title:
        errors.append(_("请填写督办事项。"))
    if not requirement:
        errors.append(_("请填写督办要求。"))
    if not organisations:
        errors.append(_("请至少选择一个承办单位。"))
    if any(not o.is_active for o in organisations):
        errors.append(_("承办单位中有已撤销的组织。"))
    if due_on is None or due_on < today:
        errors.append(_("办理时限不能早于今天。"))
    if ack_days is None or not 0 <= ack_days <= MAX_ACK_DAYS:
        errors.append(_("签收时限应为 0 到 %(n)s 天。") % {"n": MAX_ACK_DAYS})
    elif due_on is not None and today + datetime.timedelta(days=ack_days) > due_on:
        errors.append(_("签收时限不能晚于办理时限。"))
    if errors:
        raise ValidationError(errors)
    for upload in files:
        validate_evidence(upload)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: two issuers may take the same number at the same moment
                instruction = Instruction.objects.create(
                    kind=kind, year=today.year, number=_next_number(kind, today.year), title=title[:200],
                    requirement=requirement, issuing_org=issuing_org, issued_by=actor, issued_at=now,
                    ack_days=ack_days, due_on=due_on,
                    source_type=ContentType.objects.get_for_model(type(source.obj)) if source else None,
                    source_id=source.obj.pk if source else None,
                    source_label=source.label[:300] if source else "", source_link=source.link if source else "")
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError(_("编号冲突，请重试。"))
    ack_due = today + datetime.timedelta(days=ack_days)
    recipients = Recipient.objects.bulk_create([Recipient(instruction=instruction, organisation=o, ack_due_on=ack_due)
                                                for o in organisations])
    _attach(actor, instruction, None, files)
    event = _record(instruction, InstructionEvent.Action.ISSUED, actor, comment=_("承办单位：%(orgs)s") % {
        "orgs": "、".join(o.name for o in organisations)}, at=now)
    notices.instruction_issued(instruction, recipients, event, actor)
    return instruction


def _locked_recipient(recipient: Recipient) -> Recipient:
    return Recipient.objects.select_related("instruction", "organisation").get(pk=recipient.pk)


def _ensure_recipient_side(actor, recipient):
    if not can_act_for(actor, recipient.organisation_id):
        raise PermissionDenied(_("只有承办单位的负责人或工作人员可以签收和反馈。"))


def _ensure_open(instruction):
    if instruction.status == InstructionStatus.WITHDRAWN:
        raise ValidationError(_("该%(kind)s已撤回，无需办理。") % {"kind": instruction.get_kind_display()})
    if instruction.status == InstructionStatus.CLOSED:
        raise ValidationError(_("该%(kind)s已办结。") % {"kind": instruction.get_kind_display()})


def _claimable(pk, from_states):
    """The row to UPDATE, with no join: a join makes Django UPDATE through `id IN (subquery)`, which PostgreSQL does
    not re-check against the row a concurrent transaction just changed, so two clicks would both pass."""
    issued = Instruction.objects.filter(status=InstructionStatus.ISSUED).values("pk")
    return Recipient.objects.filter(pk=pk, state__in=from_states, instruction_id__in=issued)


def _claim(recipient, from_states, **changes) -> None:
    claimed = _claimable(recipient.pk, from_states).update(**changes)
    if claimed != 1:
        current = Recipient.objects.select_related("instruction").get(pk=recipient.pk)
        _ensure_open(current.instruction)
        raise ValidationError(_("办理状态已变为“%(state)s”，请刷新页面。") % {"state": current.get_state_display()})


@transaction.atomic
def recipient_acknowledge(*, actor, recipient: Recipient) -> Recipient:
    """签收: the recipient organisation confirms it received the instruction; two clicks record one."""
    recipient = _locked_recipient(recipient)
    _ensure_recipient_side(actor, recipient)
    _ensure_open(recipient.instruction)
    if recipient.state != RecipientState.PENDING:
        raise ValidationError(_("已签收，请勿重复签收。"))
    now = timezone.now()
    claimed = _claimable(recipient.pk, [RecipientState.PENDING]).update(
        state=RecipientState.ACKNOWLEDGED, acknowledged_at=now, acknowledged_on=timezone.localdate(now),
        acknowledged_by=actor)
    if claimed != 1:
        raise ValidationError(_("已签收，请勿重复签收。"))
    late = (timezone.localdate(now) - recipient.ack_due_on).days
    comment = _("逾期%(n)s天签收") % {"n": late} if late > 0 else ""
    _record(recipient.instruction, InstructionEvent.Action.ACKNOWLEDGED, actor, recipient, comment, at=now)
    audit_transition(recipient, actor=actor, field="state", before=RecipientState.PENDING,
                     after=RecipientState.ACKNOWLEDGED, comment=comment)
    return Recipient.objects.get(pk=recipient.pk)


@transaction.atomic
def recipient_reply(*, actor, recipient: Recipient, text: str, files=()) -> Recipient:
    """反馈: the result with its evidence; after a return the recipient replies again."""
    recipient = _locked_recipient(recipient)
    _ensure_recipient_side(actor, recipient)
    _ensure_open(recipient.instruction)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写办理结果。"))
    if recipient.state == RecipientState.PENDING:
        raise ValidationError(_("请先签收，再反馈办理结果。"))
    if recipient.state not in REPLYABLE:
        raise ValidationError(_("办理状态为“%(state)s”，不能反馈。") % {"state": recipient.get_state_display()})
    for upload in files:
        validate_evidence(upload)
    now = timezone.now()
    _claim(recipient, REPLYABLE, state=RecipientState.REPLIED, reply_text=text, replied_at=now, replied_by=actor,
           first_replied_on=recipient.first_replied_on or timezone.localdate(now))
    _attach(actor, recipient.instruction, recipient, files)
    late = (timezone.localdate(now) - recipient.instruction.due_on).days
    event = _record(recipient.instruction, InstructionEvent.Action.REPLIED, actor, recipient,
                    text + (_("（逾期%(n)s天）") % {"n": late} if late > 0 else ""), at=now)
    notices.recipient_replied(recipient, event, actor)
    audit_transition(recipient, actor=actor, field="state", before=recipient.state, after=RecipientState.REPLIED,
                     comment=text)
    return Recipient.objects.get(pk=recipient.pk)


def _ensure_issuer(actor, instruction):
    if not is_issuer_office(actor, instruction):
        raise PermissionDenied(_("只有发文单位可以办结或退回。"))


@transaction.atomic
def recipient_accept(*, actor, recipient: Recipient, comment: str = "") -> Recipient:
    """办结: the issuing office accepts the reply; the instruction is closed when every recipient is."""
    recipient = _locked_recipient(recipient)
    _ensure_issuer(actor, recipient.instruction)
    _ensure_open(recipient.instruction)
    if recipient.state != RecipientState.REPLIED:
        raise ValidationError(_("只有已反馈的事项可以办结。"))
    now = timezone.now()
    _claim(recipient, [RecipientState.REPLIED], state=RecipientState.CLOSED, closed_at=now, closed_by=actor)
    event = _record(recipient.instruction, InstructionEvent.Action.CLOSED, actor, recipient, (comment or "").strip(),
                    at=now)
    notices.recipient_decided(recipient, event, actor, returned=False)
    audit_transition(recipient, actor=actor, field="state", before=RecipientState.REPLIED,
                     after=RecipientState.CLOSED, comment=(comment or "").strip())
    if not recipient.instruction.recipients.exclude(state=RecipientState.CLOSED).exists():
        if Instruction.objects.filter(pk=recipient.instruction_id, status=InstructionStatus.ISSUED).update(
                status=InstructionStatus.CLOSED):
            audit_transition(recipient.instruction, actor=actor, before=InstructionStatus.ISSUED,
                             after=InstructionStatus.CLOSED, comment=_("全部承办单位已办结"))
    return Recipient.objects.get(pk=recipient.pk)


@transaction.atomic
def recipient_return(*, actor, recipient: Recipient, reason: str) -> Recipient:
    """退回: the reply is not enough; the recipient works on and replies again."""
    recipient = _locked_recipient(recipient)
    _ensure_issuer(actor, recipient.instruction)
    _ensure_open(recipient.instruction)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回时请填写原因。"))
    if recipient.state != RecipientState.REPLIED:
        raise ValidationError(_("只有已反馈的事项可以退回。"))
    _claim(recipient, [RecipientState.REPLIED], state=RecipientState.RETURNED, return_reason=reason)
    event = _record(recipient.instruction, InstructionEvent.Action.RETURNED, actor, recipient, reason)
    notices.recipient_decided(recipient, event, actor, returned=True)
    audit_transition(recipient, actor=actor, field="state", before=RecipientState.REPLIED,
                     after=RecipientState.RETURNED, comment=reason)
    return Recipient.objects.get(pk=recipient.pk)


@transaction.atomic
def instruction_withdraw(*, actor, instruction: Instruction, reason: str) -> Instruction:
    """撤回: the issuing office cancels it; recipients still working on it stop (replies are refused)."""
    _ensure_issuer(actor, instruction)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("撤回时请填写原因。"))
    now = timezone.now()
    claimed = Instruction.objects.filter(pk=instruction.pk, status=InstructionStatus.ISSUED).update(
        status=InstructionStatus.WITHDRAWN, withdrawn_at=now, withdraw_reason=reason)
    if claimed != 1:
        raise ValidationError(_("只有办理中的事项可以撤回。"))
    working = Recipient.objects.filter(instruction=instruction, state__in=OPEN_STATES + (RecipientState.REPLIED,))
    org_ids = list(working.values_list("organisation_id", flat=True))
    working.update(state=RecipientState.WITHDRAWN)
    event = _record(instruction, InstructionEvent.Action.WITHDRAWN, actor, comment=reason, at=now)
    notices.instruction_withdrawn(instruction, org_ids, event, actor)
    audit_transition(instruction, actor=actor, before=InstructionStatus.ISSUED, after=InstructionStatus.WITHDRAWN,
                     comment=reason)
    return Instruction.objects.get(pk=instruction.pk)
