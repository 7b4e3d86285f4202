"""约谈 and 问责 records: create them, track talk commitments, and read 问责 records only through the audited
door (every read writes an AccessLog row)."""
from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation, Person
from common.files import validate_evidence

from .models import (AccessLog, AccountabilityForm, AccountabilityRecord, Instruction, RecordAttachment,
                     SubjectKind, TalkKind, TalkRecord)
from .models.records import FORM_OF_MEASURE
from .permissions import can_record_talk, is_discipline, reads_records, subject_reads_own
from .sources import SourceRef


def _source_fields(source: SourceRef | None) -> dict:
    if source is None:
        return {}
    return {"source_type": ContentType.objects.get_for_model(type(source.obj)), "source_id": source.obj.pk,
            "source_label": source.label[:300], "source_link": source.link}


# ---------------------------------------------------------------- 约谈


@transaction.atomic
def talk_record(*, actor, kind: str, held_on: datetime.date, talkers, interviewees=(),
                organisation: Organisation | None = None, reason: str, summary: str, place: str = "",
                statement: str = "", commitments: str = "", follow_up_on: datetime.date | None = None,
                recorder: str = "", instruction: Instruction | None = None,
                source: SourceRef | None = None) -> TalkRecord:
    if not can_record_talk(actor):
        raise PermissionDenied(_("只有纪检监察人员、党组书记和分管领导可以登记约谈。"))
    talkers, interviewees = list(talkers), list(interviewees)
    today = timezone.localdate()
    errors = []
    if kind not in TalkKind.values:
        errors.append(_("请选择谈话类型。"))
    if held_on is None or held_on > today:
        errors.append(_("约谈时间不能晚于今天。"))
    if not talkers:
        errors.append(_("请选择约谈人。"))
    if not interviewees and organisation is None:
        errors.append(_("请选择被约谈人或被约谈单位。"))
    if kind in (TalkKind.HEAD, TalkKind.COLLECTIVE) and organisation is None:
        errors.append(_("约谈单位主要负责人或集体约谈时请选择被约谈单位。"))
    if not (reason or "").strip():
        errors.append(_("请填写约谈事由。"))
    if not (summary or "").strip():
        errors.append(_("请填写谈话要点。"))
    if follow_up_on is not None and held_on is not None and follow_up_on < held_on:
        errors.append(_("跟进时限不能早于约谈时间。"))
    if follow_up_on is not None and not (commitments or "").strip():
        errors.append(_("设定跟进时限时请填写整改要求与承诺。"))
    if errors:
        raise ValidationError(errors)
    talk = TalkRecord.objects.create(
        kind=kind, held_on=held_on, place=place.strip(), organisation=organisation, reason=reason.strip(),
        instruction=instruction, summary=summary.strip(), statement=statement.strip(),
        commitments=commitments.strip(), follow_up_on=follow_up_on, recorder=recorder.strip(), created_by=actor,
        **_source_fields(source))
    talk.talkers.set(talkers)
    talk.interviewees.set(interviewees)
    return talk


@transaction.atomic
def talk_follow_up(*, actor, talk: TalkRecord, note: str) -> TalkRecord:
    """The commitments were checked: the follow-up is done and no longer reminded."""
    if not (is_discipline(actor) or actor.pk == talk.created_by_id):
        raise PermissionDenied(_("只有登记人或纪检监察人员可以记录跟进情况。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写跟进情况。"))
    if not talk.follow_up_on:
        raise ValidationError(_("该约谈没有需要跟进的承诺。"))
    claimed = TalkRecord.objects.filter(pk=talk.pk, followed_up_at__isnull=True).update(
        followed_up_at=timezone.now(), follow_up_note=note)
    if claimed != 1:
        raise ValidationError(_("已记录跟进情况。"))
    return TalkRecord.objects.get(pk=talk.pk)


# ---------------------------------------------------------------- 问责 (confidential)


def records_visible_to(user):
    """The 问责 records this user may read; everyone else gets none (a 404 on any record)."""
    if reads_records(user):
        return AccountabilityRecord.objects.all()
    if subject_reads_own() and user.is_authenticated:
        return AccountabilityRecord.objects.filter(person__user=user)
    return AccountabilityRecord.objects.none()


def _request_meta(request) -> dict:
    if request is None:
        return {}
    return {"path": request.get_full_path()[:300], "remote_addr": request.META.get("REMOTE_ADDR") or None}


def access_log(*, user, action: str, record: AccountabilityRecord | None = None, detail: str = "",
               request=None) -> AccessLog:
    return AccessLog.objects.create(user=user, record=record, action=action, detail=detail[:300],
                                    **_request_meta(request))


def record_read(*, user, pk, request=None) -> AccountabilityRecord:
    """Fetch one record for reading and audit the read; a record the user may not read does not exist for them."""
    try:
        record = records_visible_to(user).select_related("person", "organisation", "instruction", "talk",
                                                         "created_by").get(pk=pk)
    except AccountabilityRecord.DoesNotExist:
        raise Http404 from None
    access_log(user=user, action=AccessLog.Action.VIEW, record=record, request=request)
    return record


def attachment_read(*, user, pk, request=None) -> RecordAttachment:
    try:
        attachment = RecordAttachment.objects.select_related("record").get(
            pk=pk, record__in=records_visible_to(user))
    except RecordAttachment.DoesNotExist:
        raise Http404 from None
    access_log(user=user, action=AccessLog.Action.DOWNLOAD, record=attachment.record, detail=attachment.name,
               request=request)
    return attachment


def records_list(*, user, request=None, **filters):
    """The list page is a read too: one log row naming the filter."""
    records = records_visible_to(user).select_related("person", "organisation")
    clean = {k: v for k, v in filters.items() if v}
    if clean.get("form"):
        records = records.filter(form=clean["form"])
    if clean.get("year"):
        records = records.filter(decided_on__year=clean["year"])
    access_log(user=user, action=AccessLog.Action.LIST, request=request,
               detail="，".join(f"{k}={v}" for k, v in clean.items()))
    return records


@transaction.atomic
def accountability_record_create(*, actor, subject_kind: str, organisation: Organisation,
                                 person: Person | None = None, measure: str, reason: str, deciding_body: str,
                                 decided_on: datetime.date, doc_number: str = "", basis: str = "",
                                 instruction: Instruction | None = None, talk: TalkRecord | None = None,
                                 source: SourceRef | None = None, files=()) -> AccountabilityRecord:
    if not is_discipline(actor):
        raise PermissionDenied(_("只有纪检监察人员可以登记问责。"))
    form = FORM_OF_MEASURE.get(measure)
    errors = []
    if subject_kind not in SubjectKind.values:
        errors.append(_("请选择问责对象类型。"))
    if subject_kind == SubjectKind.PERSON and person is None:
        errors.append(_("问责个人时请选择被问责人。"))
    if form is None:
        errors.append(_("请选择问责方式。"))
    if not (reason or "").strip():
        errors.append(_("请填写问责事由。"))
    if not (deciding_body or "").strip():
        errors.append(_("请填写决定机关。"))
    if decided_on is None or decided_on > timezone.localdate():
        errors.append(_("决定日期不能晚于今天。"))
    if errors:
        raise ValidationError(errors)
    for upload in files:
        validate_evidence(upload)
    record = AccountabilityRecord(
        subject_kind=subject_kind, person=person if subject_kind == SubjectKind.PERSON else None,
        organisation=organisation, form=AccountabilityForm(form), measure=measure, reason=reason.strip(),
        basis=basis.strip(), deciding_body=deciding_body.strip(), decided_on=decided_on,
        doc_number=doc_number.strip(), instruction=instruction, talk=talk, created_by=actor, **_source_fields(source))
    record.full_clean()
    record.save()
    for upload in files:
        RecordAttachment.objects.create(record=record, file=upload, name=upload.name[:200], size=upload.size,
                                        uploaded_by=actor)
    return record
