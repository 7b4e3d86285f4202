"""What people do with organisational-life records: enter, correct, delete, review, attach files, import."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from branches.models import Organisation
from branches.scope import scope_for
from common.audit import audit_transition
from common.files import validate_evidence
from common.imports import ImportRejected

from .compliance import Rulebook
from .importers import RecordPlan, plan_records
from .models import Attachment, Record, RecordEvent, RecordStatus
from .rules import People, RecordInput, Resolved, check_record


# ---------------------------------------------------------------- who may do what

def is_staff(user) -> bool:
    return user.is_superuser or user.has_role(Role.STAFF)


def review_required() -> bool:
    return bool(settings.ORGLIFE_REVIEW)


def can_record(user, organisation: Organisation) -> bool:
    """The organisation's secretary (or whoever runs it) and 党建办 staff enter its records."""
    return is_staff(user) or organisation.pk in scope_for(user).led_org_ids


def can_edit(user, record: Record) -> bool:
    if is_staff(user):
        return True
    if record.organisation_id not in scope_for(user).led_org_ids:
        return False
    return not (review_required() and record.status == RecordStatus.ACCEPTED)


def can_review(user, record: Record) -> bool:
    return (review_required() and record.status == RecordStatus.SUBMITTED and is_staff(user)
            and record.organisation_id not in scope_for(user).led_org_ids)


def _require_record(user, organisation):
    if not can_record(user, organisation):
        raise PermissionDenied(_("只有本组织的书记或党务工作人员可以录入组织生活记录。"))


def _require_edit(user, record):
    if not can_edit(user, record):
        raise PermissionDenied(_("该记录已审核确认，不能再修改。") if record.organisation_id in scope_for(user).led_org_ids
                               else _("只有本组织的书记或党务工作人员可以修改组织生活记录。"))


def _raise(errors: dict[str, list[str]]):
    raise ValidationError(dict(errors.items()))


def _apply(record: Record, resolved: Resolved) -> None:
    data = resolved.data
    record.date, record.start_time = data.date, data.start_time
    record.place, record.topic = data.place.strip()[:100], resolved.topic
    record.host, record.host_name = resolved.host, data.host_name.strip()[:50]
    record.recorder, record.recorder_name = resolved.recorder, data.recorder_name.strip()[:50]
    record.expected_count, record.present_count, record.leave_count = (
        data.expected_count, data.present_count, data.leave_count)
    record.absentees, record.observers = data.absentees.strip(), data.observers.strip()[:200]
    record.summary, record.decisions = data.summary.strip(), data.decisions.strip()
    record.talker = resolved.talker
    record.talked_to_names = "、".join(resolved.other_talked_to)[:200]


def _save_relations(record: Record, resolved: Resolved) -> None:
    record.types.set(resolved.data.types)
    record.talked_to.set(resolved.talked_to)


def _initial_status(actor) -> str:
    return RecordStatus.SUBMITTED if review_required() and not is_staff(actor) else RecordStatus.ACCEPTED


# ---------------------------------------------------------------- actions

@transaction.atomic
def record_create(*, actor, organisation: Organisation, data: RecordInput, uploads=()) -> Record:
    """Enter a record for an organisation, with its files; all or nothing."""
    _require_record(actor, organisation)
    resolved, errors = check_record(organisation, data, today=timezone.localdate(), rulebook=Rulebook(),
                                    people=People())
    if errors:
        _raise(errors)
    for upload in uploads:
        validate_evidence(upload)
    record = Record(organisation=organisation, created_by=actor, status=_initial_status(actor))
    _apply(record, resolved)
    record.save()
    _save_relations(record, resolved)
    for upload in uploads:
        _store(actor, record, upload)
    RecordEvent.objects.create(record=record, action=RecordEvent.Action.CREATED, actor=actor)
    return record


@transaction.atomic
def record_update(*, actor, record: Record, data: RecordInput, uploads=()) -> Record:
    """Correct a record. Under review, a secretary's correction sends it for confirmation again."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    _require_edit(actor, record)
    resolved, errors = check_record(record.organisation, data, today=timezone.localdate(), rulebook=Rulebook(),
                                    people=People())
    if errors:
        _raise(errors)
    for upload in uploads:
        validate_evidence(upload)
    _apply(record, resolved)
    if review_required() and not is_staff(actor):
        record.status, record.reviewed_at, record.reviewed_by = RecordStatus.SUBMITTED, None, None
    record.save()
    _save_relations(record, resolved)
    for upload in uploads:
        _store(actor, record, upload)
    RecordEvent.objects.create(record=record, action=RecordEvent.Action.UPDATED, actor=actor)
    return record


@transaction.atomic
def record_delete(*, actor, record: Record) -> None:
    record = Record.objects.select_for_update().get(pk=record.pk)
    _require_edit(actor, record)
    attachments = list(record.attachments.all())
    record.delete()
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [a.file.delete(save=False) for a in attachments])


def _require_review(actor, record):
    if not (review_required() and is_staff(actor)):
        raise PermissionDenied(_("只有党务工作人员可以审核组织生活记录。"))
    if record.organisation_id in scope_for(actor).led_org_ids:
        raise PermissionDenied(_("不能审核本人负责组织的记录。"))


@transaction.atomic
def record_accept(*, actor, record: Record, comment: str = "") -> Record:
    _require_review(actor, record)
    now = timezone.now()
    claimed = Record.objects.filter(pk=record.pk, status=RecordStatus.SUBMITTED).update(
        status=RecordStatus.ACCEPTED, reviewed_at=now, reviewed_by=actor, review_comment=comment.strip(),
        updated_at=now)
    if claimed != 1:
        raise ValidationError(_("只有待审核的记录可以确认。"))
    RecordEvent.objects.create(record=record, action=RecordEvent.Action.ACCEPTED, actor=actor, at=now,
                               comment=comment.strip())
    audit_transition(record, actor=actor, before=RecordStatus.SUBMITTED, after=RecordStatus.ACCEPTED,
                     comment=comment.strip())
    record.refresh_from_db()
    return record


@transaction.atomic
def record_return(*, actor, record: Record, reason: str) -> Record:
    _require_review(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回时请填写原因。"))
    now = timezone.now()
    claimed = Record.objects.filter(pk=record.pk, status=RecordStatus.SUBMITTED).update(
        status=RecordStatus.RETURNED, reviewed_at=now, reviewed_by=actor, review_comment=reason, updated_at=now)
    if claimed != 1:
        raise ValidationError(_("只有待审核的记录可以退回。"))
    RecordEvent.objects.create(record=record, action=RecordEvent.Action.RETURNED, actor=actor, at=now, comment=reason)
    audit_transition(record, actor=actor, before=RecordStatus.SUBMITTED, after=RecordStatus.RETURNED, comment=reason)
    record.refresh_from_db()
    return record


def _store(actor, record: Record, upload) -> Attachment:
    attachment = Attachment(record=record, original_name=upload.name[:255], size=upload.size, uploaded_by=actor)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    record = Record.objects.select_for_update().get(pk=attachment.record_id)
    _require_edit(actor, record)
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.delete(save=False))


# ---------------------------------------------------------------- import

def orglife_records_plan(*, source, file_name: str = "") -> RecordPlan:
    """The dry run: every record the file would create and every error, without writing."""
    return plan_records(source, file_name=file_name, today=timezone.localdate())


@transaction.atomic
def orglife_records_import(*, actor, source, file_name: str = "") -> list[Record]:
    """Create every record of the file, or none when any row has an error."""
    if not is_staff(actor):
        raise PermissionDenied(_("只有党务工作人员可以导入组织生活记录。"))
    plan = orglife_records_plan(source=source, file_name=file_name)
    if not plan.ok:
        raise ImportRejected(plan)
    created = []
    for planned in plan.records:
        record = Record(organisation=planned.organisation, created_by=actor, status=RecordStatus.ACCEPTED,
                        source_file=plan.file_name[:255], source_row=planned.row)
        _apply(record, planned.resolved)
        record.save()
        _save_relations(record, planned.resolved)
        RecordEvent.objects.create(record=record, action=RecordEvent.Action.IMPORTED, actor=actor,
                                   comment=f"{plan.file_name} 第{planned.row}行")
        created.append(record)
    return created
