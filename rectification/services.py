"""What users do with the rectification ledger: import it, report progress, request closure, review. One function per action.

Each transition claims its row with a conditional UPDATE (so two concurrent clicks make one transition) and
writes a timeline row (actor, date, comment) in the same transaction.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from branches.scope import scope_for
from common.audit import audit_transition
from common.files import validate_evidence
from common.imports import ImportRejected, RowError

from .importers import LedgerPlan, plan_ledger
from .models import (Batch, EventKind, Evidence, Measure, MeasureEvent, MeasureKind, MeasureState, MeasureUnit,
                     Problem)

OPEN_STATES = (MeasureState.OPEN, MeasureState.IN_PROGRESS)


# ---------------------------------------------------------------- who may do what


def can_manage(user) -> bool:
    """党务工作人员 import ledgers and may act for any responsible department."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.STAFF))


def _unit_ids(measure: Measure) -> set[int]:
    return {u.organisation_id for u in measure.units.all()}


def _person_id(user) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person.pk if person is not None else None


def is_responsible_side(user, measure: Measure) -> bool:
    """Staff, the measure's 责任人, or the 书记/负责人 of one of its responsible departments."""
    if can_manage(user):
        return True
    person_id = _person_id(user)
    if person_id is not None and measure.person_id == person_id:
        return True
    return bool(scope_for(user).led_org_ids & _unit_ids(measure))


def review_refusal(user, measure: Measure) -> str | None:
    """Why `user` may not review (strike off, send back, assess) this measure; None when they may.

    Reviewers are 纪检监察人员, and nobody reviews their own measure: not its 责任人 or 责任领导, not the one who
    asked for closure, not the 书记/负责人 of a responsible department."""
    scope = scope_for(user)
    if not scope.has_role(Role.INSPECTOR):
        return _("只有纪检监察人员可以审核销号。")
    person_id = _person_id(user)
    if person_id is not None and person_id in (measure.person_id, measure.leader_id):
        return _("不能审核本人负责的整改措施。")
    if measure.closure_requested_by_id == user.pk:
        return _("不能审核本人申请销号的整改措施。")
    if scope.led_org_ids & _unit_ids(measure):
        return _("不能审核本人所负责部门的整改措施。")
    return None


def reviewable_measures(user):
    """The measures awaiting review that `user` may review: `review_refusal`'s rules as a queryset, so the inbox
    lists and counts them in SQL (tests/rectification/test_review_queue.py holds the two to the same answer)."""
    scope = scope_for(user)
    if not scope.has_role(Role.INSPECTOR):
        return Measure.objects.none()
    waiting = Measure.objects.visible_to(user).filter(state=MeasureState.AWAITING_REVIEW).exclude(
        closure_requested_by=user)
    person_id = _person_id(user)
    if person_id is not None:
        waiting = waiting.exclude(person_id=person_id).exclude(leader_id=person_id)
    if scope.led_org_ids:
        waiting = waiting.exclude(pk__in=MeasureUnit.objects.filter(organisation__in=scope.led_org_ids)
                                  .values("measure_id"))
    return waiting


def _ensure_responsible(actor, measure):
    if not is_responsible_side(actor, measure):
        raise PermissionDenied(_("只有责任部门负责人、责任人或党务工作人员可以报送整改情况。"))


def _ensure_reviewer(actor, measure):
    refusal = review_refusal(actor, measure)
    if refusal:
        raise PermissionDenied(refusal)


def _locked(measure: Measure) -> Measure:
    return Measure.objects.select_for_update().prefetch_related("units").get(pk=measure.pk)


def _record(measure, kind, actor, comment="", on: datetime.date | None = None) -> MeasureEvent:
    return MeasureEvent.objects.create(measure_id=measure.pk, kind=kind, actor=actor,
                                       happened_on=on or timezone.localdate(), comment=comment)


def _claim(measure, from_states, **changes) -> None:
    claimed = Measure.objects.filter(pk=measure.pk, state__in=from_states).update(**changes)
    if claimed != 1:
        raise ValidationError(_("整改措施的状态已变化，请刷新页面后重试。"))


# ---------------------------------------------------------------- progress and closure


@transaction.atomic
def measure_report_progress(*, actor, measure: Measure, text: str, happened_on: datetime.date | None = None,
                            files=()) -> MeasureEvent:
    """A dated progress update with optional evidence files; the first one starts the measure."""
    measure = _locked(measure)
    _ensure_responsible(actor, measure)
    text = (text or "").strip()
    today = timezone.localdate()
    happened_on = happened_on or today
    if not text:
        raise ValidationError(_("请填写整改进展。"))
    if happened_on > today:
        raise ValidationError(_("进展日期不能晚于今天。"))
    if measure.state not in OPEN_STATES:
        raise ValidationError(_("该措施%(state)s，不能再报送进展。") % {"state": measure.get_state_display()})
    for upload in files:
        validate_evidence(upload)
    _claim(measure, OPEN_STATES, state=MeasureState.IN_PROGRESS, progress_text=text)
    event = _record(measure, EventKind.PROGRESS, actor, text, happened_on)
    if measure.state != MeasureState.IN_PROGRESS:  # the first progress starts the measure
        audit_transition(measure, actor=actor, field="state", before=measure.state, after=MeasureState.IN_PROGRESS,
                         comment=text)
    for upload in files:
        Evidence.objects.create(measure=measure, event=event, file=upload, name=upload.name[:200],
                                size=upload.size, uploaded_by=actor)
    return event


@transaction.atomic
def measure_request_closure(*, actor, measure: Measure, comment: str = "") -> Measure:
    """申请销号: the responsible side says the measure is done; it needs evidence and goes to review."""
    measure = _locked(measure)
    _ensure_responsible(actor, measure)
    if measure.kind == MeasureKind.LONG_TERM:
        raise ValidationError(_("长期坚持的整改措施不销号，由纪检监察人员定期评估。"))
    if measure.state not in OPEN_STATES:
        raise ValidationError(_("该措施%(state)s，不能申请销号。") % {"state": measure.get_state_display()})
    if not measure.evidence.exists():
        raise ValidationError(_("申请销号前请至少上传一份佐证材料。"))
    _claim(measure, OPEN_STATES, state=MeasureState.AWAITING_REVIEW, closure_requested_by=actor,
           closure_requested_at=timezone.now())
    _record(measure, EventKind.CLOSURE_REQUESTED, actor, (comment or "").strip())
    audit_transition(measure, actor=actor, field="state", before=measure.state, after=MeasureState.AWAITING_REVIEW,
                     comment=(comment or "").strip())
    return Measure.objects.get(pk=measure.pk)


@transaction.atomic
def measure_strike_off(*, actor, measure: Measure, comment: str = "") -> Measure:
    """销号: a reviewer who is not on the measure's side accepts it as done."""
    measure = _locked(measure)
    _ensure_reviewer(actor, measure)
    if measure.state != MeasureState.AWAITING_REVIEW:
        raise ValidationError(_("只有待审核的整改措施可以销号。"))
    if not measure.evidence.exists():
        raise ValidationError(_("没有佐证材料的整改措施不能销号。"))
    _claim(measure, [MeasureState.AWAITING_REVIEW], state=MeasureState.CLOSED, closed_by=actor,
           closed_at=timezone.now())
    _record(measure, EventKind.STRUCK_OFF, actor, (comment or "").strip())
    audit_transition(measure, actor=actor, field="state", before=MeasureState.AWAITING_REVIEW,
                     after=MeasureState.CLOSED, comment=(comment or "").strip())
    return Measure.objects.get(pk=measure.pk)


@transaction.atomic
def measure_send_back(*, actor, measure: Measure, reason: str) -> Measure:
    """退回: the reviewer returns the request with a reason; the measure is in progress again."""
    measure = _locked(measure)
    _ensure_reviewer(actor, measure)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回时请填写理由。"))
    if measure.state != MeasureState.AWAITING_REVIEW:
        raise ValidationError(_("只有待审核的整改措施可以退回。"))
    _claim(measure, [MeasureState.AWAITING_REVIEW], state=MeasureState.IN_PROGRESS, closure_requested_by=None,
           closure_requested_at=None)
    _record(measure, EventKind.RETURNED, actor, reason)
    audit_transition(measure, actor=actor, field="state", before=MeasureState.AWAITING_REVIEW,
                     after=MeasureState.IN_PROGRESS, comment=reason)
    return Measure.objects.get(pk=measure.pk)


@transaction.atomic
def measure_review_long_term(*, actor, measure: Measure, comment: str,
                             reviewed_on: datetime.date | None = None) -> MeasureEvent:
    """定期评估 of a 长期坚持 measure: such measures are assessed from time to time instead of struck off."""
    measure = _locked(measure)
    _ensure_reviewer(actor, measure)
    comment = (comment or "").strip()
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    if measure.kind != MeasureKind.LONG_TERM:
        raise ValidationError(_("只有长期坚持的整改措施进行定期评估。"))
    if not comment:
        raise ValidationError(_("请填写评估意见。"))
    if reviewed_on > today:
        raise ValidationError(_("评估日期不能晚于今天。"))
    if measure.state == MeasureState.CLOSED:
        raise ValidationError(_("该措施已销号。"))
    Measure.objects.filter(pk=measure.pk).update(last_reviewed_on=reviewed_on)
    audit_transition(measure, actor=actor, field="last_reviewed_on", before=measure.last_reviewed_on,
                     after=reviewed_on.isoformat(), comment=comment)
    return _record(measure, EventKind.REVIEWED, actor, comment, reviewed_on)


# ---------------------------------------------------------------- import


def rectification_ledger_plan(*, source, file_name: str = "", title: str = "", source_kind: str = "") -> LedgerPlan:
    """The dry run: everything the import would create and every error, without writing."""
    plan = plan_ledger(source, file_name=file_name, title=title, source_kind=source_kind)
    if plan.title:
        existing = Batch.objects.filter(title=plan.title, feedback_on=plan.feedback_on).first()
        if existing is not None:
            plan.errors.insert(0, RowError(None, "", "", plan.title, _(
                "已有整改批次“%(title)s”（导入于 %(date)s），请勿重复导入；如需另立批次请填写不同的标题")
                % {"title": existing.title, "date": timezone.localtime(existing.created_at).strftime("%Y-%m-%d")}))
    return plan


@transaction.atomic
def rectification_ledger_import(*, actor, source, file_name: str = "", title: str = "",
                                source_kind: str = "") -> Batch:
    """Create a batch with its problems and measures from the file, all or nothing.

    The statuses the file states are kept: 是否销号 是 → struck off (recorded as done by the importer),
    已完成 + 否 → awaiting review, 长期坚持 → long-term, 正在整改 → in progress."""
    if not can_manage(actor):
        raise PermissionDenied(_("只有党务工作人员可以导入整改台账。"))
    plan = rectification_ledger_plan(source=source, file_name=file_name, title=title, source_kind=source_kind)
    if not plan.ok:
        if not plan.errors:
            plan.errors.append(RowError(None, "", "", "", _("文件中没有可导入的整改措施")))
        raise ImportRejected(plan)
    now, today = timezone.now(), timezone.localdate()
    batch = Batch.objects.create(source=plan.source, title=plan.title[:200], issuing_body=plan.issuing_body,
                                 feedback_on=plan.feedback_on, source_file=(file_name or plan.file_name)[:255],
                                 created_by=actor)
    for p_pos, planned_problem in enumerate(plan.problems, start=1):
        problem = Problem.objects.create(batch=batch, position=p_pos, seq=planned_problem.seq[:20],
                                         category=planned_problem.category[:200],
                                         description=planned_problem.description, source_row=planned_problem.row)
        for m_pos, planned in enumerate(planned_problem.measures, start=1):
            closed = planned.state == MeasureState.CLOSED
            measure = Measure.objects.create(
                problem=problem, position=m_pos, text=planned.text, leader=planned.leader,
                leader_text=planned.leader_text[:100], units_text=planned.units_text[:500], person=planned.person,
                person_text=planned.person_text[:100], deadline_text=planned.deadline.text[:200],
                due_on=planned.due_on, kind=planned.kind, standard=planned.standard, progress_text=planned.progress,
                state=planned.state, closed_by=actor if closed else None, closed_at=now if closed else None,
                source_row=planned.row,
            )
            MeasureUnit.objects.bulk_create([
                MeasureUnit(measure=measure, organisation=org, is_lead=lead, position=i)
                for i, (org, lead) in enumerate(planned.units)])
            note = _("导入台账：是否完成整改 %(done)s，是否销号 %(struck)s") % {
                "done": planned.done_text, "struck": planned.struck_text}
            if planned.progress:
                note += _("；整改进展：%(progress)s") % {"progress": planned.progress}
            MeasureEvent.objects.create(measure=measure, kind=EventKind.IMPORTED, actor=actor, happened_on=today,
                                        comment=note, created_at=now)
            if closed:
                MeasureEvent.objects.create(measure=measure, kind=EventKind.STRUCK_OFF, actor=actor,
                                            happened_on=today, comment=_("台账中已销号，随台账导入"), created_at=now)
    return batch


@transaction.atomic
def measure_reopen(*, actor, measure: Measure, reason: str) -> Measure:
    """A struck-off measure found not done (回头看 不属实): back in progress, with the finding on its timeline."""
    measure = _locked(measure)
    if not scope_for(actor).has_role(Role.INSPECTOR):
        raise PermissionDenied(_("只有纪检监察人员可以重新打开已销号的整改措施。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新打开的理由。"))
    if measure.state != MeasureState.CLOSED:
        raise ValidationError(_("只有已销号的整改措施可以重新打开。"))
    _claim(measure, [MeasureState.CLOSED], state=MeasureState.IN_PROGRESS, closed_by=None, closed_at=None,
           closure_requested_by=None, closure_requested_at=None)
    _record(measure, EventKind.RETURNED, actor, reason)
    audit_transition(measure, actor=actor, field="state", before=MeasureState.CLOSED, after=MeasureState.IN_PROGRESS,
                     comment=reason)
    return Measure.objects.get(pk=measure.pk)
