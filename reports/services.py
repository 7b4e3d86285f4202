"""What people do with monthly reports: generate, save, submit, return, accept, attach evidence."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from branches.models import Organisation
from branches.scope import scope_for
from common.audit import audit_transition
from common.files import validate_evidence
from responsibility.models import Assignment

from .models import EDITABLE, Evidence, LineStatus, MonthlyReport, ReportEvent, ReportLine, ReportStatus, \
    report_due_on


class StaleDraft(Exception):
    """Someone saved the draft since this form was opened; nothing was overwritten."""


@dataclass
class LineInput:
    status: str = ""
    done_text: str = ""
    problems: str = ""
    next_steps: str = ""


# ---------------------------------------------------------------- who may do what

def can_edit(user, report: MonthlyReport) -> bool:
    return user.is_superuser or report.organisation_id in scope_for(user).led_org_ids


def can_review(user, report: MonthlyReport) -> bool:
    scope = scope_for(user)
    if not scope.can_see(report.organisation_id) or report.organisation_id in scope.led_org_ids:
        return False  # nobody reviews their own organisation's report
    if settings.REPORT_REVIEWER == "leader":
        return report.organisation_id in scope.supervised_reach_ids
    return reviews_reports(user)


def reviews_reports(user) -> bool:
    """Whether the user is a reviewer at all under the agency's REPORT_REVIEWER setting."""
    scope = scope_for(user)
    reviewer = settings.REPORT_REVIEWER
    if reviewer == "inspector":
        return scope.has_role(Role.INSPECTOR)
    if reviewer == "leader":
        return bool(scope.supervised_reach_ids)
    return scope.has_role(Role.STAFF) or user.is_superuser


def reviewable_reports(user):
    """The reports this user may review, as a queryset (the reviewer queue filters it further)."""
    scope = scope_for(user)
    if not reviews_reports(user):
        return MonthlyReport.objects.none()
    reports = MonthlyReport.objects.visible_to(user).exclude(organisation__in=scope.led_org_ids)
    if settings.REPORT_REVIEWER == "leader":
        return reports.filter(organisation__in=scope.supervised_reach_ids)
    return reports


def _require_edit(user, report):
    if not can_edit(user, report):
        raise PermissionDenied(_("只有本组织的书记或负责人可以填报。"))
    if report.status == ReportStatus.ACCEPTED:
        raise ValidationError(_("报告已审核通过，不能修改。"))
    if report.status not in EDITABLE:
        raise ValidationError(_("报告已提交，等待审核，暂不能修改。"))
    if report.entry_locked(timezone.localdate()):
        raise ValidationError(_("已超过填报期限（截止日期后 %(n)s 天），填报已锁定；请联系审核人重新开放。")
                              % {"n": settings.REPORT_LOCK_DAYS})


# ---------------------------------------------------------------- generation

def due_assignments(organisation_ids, year: int, month: int) -> dict[int, list[Assignment]]:
    """Live assignments due in year-month, by organisation, in list order."""
    candidates = (Assignment.objects.live()
                  .filter(organisation_id__in=organisation_ids, item__responsibility_list__year__in=(year - 1, year))
                  .select_related("item", "item__responsibility_list")
                  .order_by("item__responsibility_list__kind", "item__responsibility_list_id", "item__position"))
    due: dict[int, list[Assignment]] = {}
    for assignment in candidates:
        if assignment.item.is_due_in(year, month):
            due.setdefault(assignment.organisation_id, []).append(assignment)
    return due


def _get_or_create_report(org_id: int, year: int, month: int, actor=None) -> MonthlyReport:
    try:
        with transaction.atomic():  # a savepoint: the beat run and a secretary may open it at the same moment
            report, created = MonthlyReport.objects.get_or_create(
                organisation_id=org_id, year=year, month=month, defaults={"due_on": report_due_on(year, month)})
    except IntegrityError:
        return MonthlyReport.objects.get(organisation_id=org_id, year=year, month=month)
    if created:
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.CREATED, actor=actor)
        report.was_created = True
    return report


def _add_missing_lines(report: MonthlyReport, assignments: list[Assignment]) -> int:
    existing = dict(report.lines.values_list("assignment_id", "position"))
    # Lines of items published later go after the ones already there, in list order.
    start = max(existing.values(), default=0)
    missing = [a for a in assignments if a.pk not in existing]
    new = [ReportLine(report=report, assignment=a, position=start + i) for i, a in enumerate(missing, start=1)]
    ReportLine.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def monthly_reports_generate(*, year: int, month: int) -> int:
    """Create the month's report for every organisation with items due; safe to run again.

    Reports still open for editing also receive lines for items published since they were created."""
    due = due_assignments(Organisation.objects.active().values("pk"), year, month)
    created = 0
    for org_id, assignments in due.items():
        report = _get_or_create_report(org_id, year, month)
        created += getattr(report, "was_created", False)
        if report.status in EDITABLE:
            _add_missing_lines(report, assignments)
    return created


@transaction.atomic
def monthly_report_open(*, actor, organisation: Organisation, year: int, month: int) -> MonthlyReport:
    """A secretary opens a month's report on demand (before the monthly run, or for a month it missed)."""
    if not (actor.is_superuser or organisation.pk in scope_for(actor).led_org_ids):
        raise PermissionDenied(_("只有本组织的书记或负责人可以填报。"))
    assignments = due_assignments([organisation.pk], year, month).get(organisation.pk, [])
    if not assignments:
        raise ValidationError(_("%(org)s %(year)s年%(month)s月没有需要报告的清单事项。")
                              % {"org": organisation, "year": year, "month": month})
    report = _get_or_create_report(organisation.pk, year, month, actor=actor)
    if report.status in EDITABLE:
        _add_missing_lines(report, assignments)
    return report


# ---------------------------------------------------------------- filling in

def _claim_version(report: MonthlyReport, version: int) -> None:
    """Bump the version only if nobody saved since `version` was read; otherwise refuse."""
    claimed = MonthlyReport.objects.filter(pk=report.pk, version=version, status__in=EDITABLE).update(
        version=F("version") + 1, updated_at=timezone.now())
    if claimed != 1:
        current = MonthlyReport.objects.get(pk=report.pk)
        if current.status not in EDITABLE:
            raise ValidationError(_("报告状态已变为“%(status)s”，不能再保存。") % {"status": current.get_status_display()})
        raise StaleDraft(_("草稿已被他人于 %(time)s 修改。您填写的内容未丢失，请核对后重新保存。")
                         % {"time": timezone.localtime(current.updated_at).strftime("%H:%M:%S")})
    report.version = version + 1


@transaction.atomic
def monthly_report_save(*, actor, report: MonthlyReport, version: int, lines: dict[int, LineInput],
                        uploads: dict[int, list] | None = None) -> MonthlyReport:
    """Save the draft as it is (incomplete is fine), with the evidence files attached to its lines, in one go:
    every file is checked first, so a bad file changes nothing."""
    _require_edit(actor, report)
    uploads = {line_id: files for line_id, files in (uploads or {}).items() if files}
    for files in uploads.values():
        for upload in files:
            validate_evidence(upload)
    _claim_version(report, version)
    by_id = {line.pk: line for line in report.lines.all()}
    changed = []
    for line_id, data in lines.items():
        line = by_id.get(line_id)
        if line is None:
            continue
        if data.status and data.status not in LineStatus.values:
            raise ValidationError(_("无效的完成情况“%(value)s”") % {"value": data.status})
        new = (data.status, data.done_text.strip(), data.problems.strip(), data.next_steps.strip())
        if new != (line.status, line.done_text, line.problems, line.next_steps):
            line.status, line.done_text, line.problems, line.next_steps = new
            changed.append(line)
    for line in changed:  # one save per changed line (not bulk_update), so the audit log records each change
        line.save(update_fields=["status", "done_text", "problems", "next_steps"])
    stored = []
    try:
        for line_id, files in uploads.items():
            if line_id in by_id:
                stored += [_store_evidence(actor, by_id[line_id], upload) for upload in files]
    except Exception:
        for evidence in stored:  # the transaction rolls back: leave no file without its record
            evidence.file.storage.delete(evidence.file.name)
        raise
    if changed:
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.SAVED, actor=actor,
                                   comment=_("修改 %(n)s 项") % {"n": len(changed)})
    return report


def submission_problems(report: MonthlyReport) -> list[tuple[int, ReportLine, list[str]]]:
    """(number as the form shows it, line, what it lacks) for every incomplete line."""
    lines = report.lines.select_related("assignment__item").order_by("position", "id")
    return [(number, line, line.missing()) for number, line in enumerate(lines, start=1) if line.missing()]


class IncompleteReport(ValidationError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__([
            _("第%(n)s项“%(item)s”：%(why)s") % {"n": n, "item": line.assignment.item.content[:30], "why": "；".join(why)}
            for n, line, why in problems])


@transaction.atomic
def monthly_report_submit(*, actor, report: MonthlyReport) -> MonthlyReport:
    """Submit for review when every line is complete; two submits at once produce one submission."""
    _require_edit(actor, report)
    problems = submission_problems(report)
    if problems:
        raise IncompleteReport(problems)
    if not report.lines.exists():
        raise ValidationError(_("报告没有任何事项，不能提交。"))
    now = timezone.now()
    days_late = report.days_late_at(now)
    before = report.status
    claimed = MonthlyReport.objects.filter(pk=report.pk, status__in=EDITABLE).update(
        status=ReportStatus.SUBMITTED, submitted_at=now, submitted_by=actor, days_late=days_late,
        version=F("version") + 1, updated_at=now)
    if claimed != 1:
        raise ValidationError(_("报告已提交，请勿重复提交。"))
    comment = _("逾期 %(n)s 天提交") % {"n": days_late} if days_late else ""
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, actor=actor, at=now,
                               comment=comment)
    audit_transition(report, actor=actor, before=before, after=ReportStatus.SUBMITTED, comment=comment)
    report.refresh_from_db()
    return report


# ---------------------------------------------------------------- review

def _require_review(actor, report):
    if not can_review(actor, report):
        raise PermissionDenied(_("您不是这份报告的审核人。"))


@transaction.atomic
def monthly_report_accept(*, actor, report: MonthlyReport, comment: str = "") -> MonthlyReport:
    _require_review(actor, report)
    now = timezone.now()
    claimed = MonthlyReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
        status=ReportStatus.ACCEPTED, reviewed_at=now, reviewed_by=actor, return_reason="", updated_at=now)
    if claimed != 1:
        raise ValidationError(_("只有待审核的报告可以审核通过。"))
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.ACCEPTED, actor=actor, at=now,
                               comment=comment.strip())
    audit_transition(report, actor=actor, before=ReportStatus.SUBMITTED, after=ReportStatus.ACCEPTED,
                     comment=comment.strip())
    report.refresh_from_db()
    return report


@transaction.atomic
def monthly_report_return(*, actor, report: MonthlyReport, reason: str,
                          line_comments: dict[int, str] | None = None) -> MonthlyReport:
    _require_review(actor, report)
    reason = (reason or "").strip()
    line_comments = {k: v.strip() for k, v in (line_comments or {}).items() if v and v.strip()}
    if not reason and not line_comments:
        raise ValidationError(_("驳回时请填写原因。"))
    now = timezone.now()
    claimed = MonthlyReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
        status=ReportStatus.RETURNED, reviewed_at=now, reviewed_by=actor, return_reason=reason,
        version=F("version") + 1, updated_at=now)
    if claimed != 1:
        raise ValidationError(_("只有待审核的报告可以驳回。"))
    for line in report.lines.all():  # saved one by one, so the audit log records the comments
        comment = line_comments.get(line.pk, "")
        if line.review_comment != comment:
            line.review_comment = comment
            line.save(update_fields=["review_comment"])
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.RETURNED, actor=actor, at=now,
                               comment=reason or _("见各事项审核意见"))
    audit_transition(report, actor=actor, before=ReportStatus.SUBMITTED, after=ReportStatus.RETURNED,
                     comment=reason or _("见各事项审核意见"))
    report.refresh_from_db()
    return report


@transaction.atomic
def monthly_report_reopen(*, actor, report: MonthlyReport, days: int, reason: str) -> MonthlyReport:
    """A reviewer reopens a report whose entry locked, for `days` days from today; recorded with the reason."""
    if not (reviews_reports(actor) and scope_for(actor).can_see(report.organisation_id)
            and report.organisation_id not in scope_for(actor).led_org_ids):
        raise PermissionDenied(_("只有审核人可以重新开放填报。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新开放填报的原因。"))
    if not 1 <= days <= 30:
        raise ValidationError(_("重新开放天数应为 1～30 天。"))
    today = timezone.localdate()
    if not report.entry_locked(today):
        raise ValidationError(_("这份报告的填报没有锁定，无需重新开放。"))
    until = today + datetime.timedelta(days=days - 1)
    if MonthlyReport.objects.filter(pk=report.pk, status__in=EDITABLE, submitted_at__isnull=True).update(
            reopened_until=until, updated_at=timezone.now()) != 1:
        raise ValidationError(_("报告状态已变化，请刷新后重试。"))
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.REOPENED, actor=actor,
                               comment=_("至%(date)s：%(reason)s") % {"date": until.isoformat(), "reason": reason})
    # The status stays as it was; what changes is the date entry is open until.
    audit_transition(report, actor=actor, field="reopened_until", before=report.reopened_until,
                     after=until.isoformat(), comment=reason)
    report.refresh_from_db()
    return report


# ---------------------------------------------------------------- evidence

@transaction.atomic
def evidence_add(*, actor, line: ReportLine, upload) -> Evidence:
    report = MonthlyReport.objects.select_for_update().get(pk=line.report_id)
    _require_edit(actor, report)
    validate_evidence(upload)
    return _store_evidence(actor, line, upload)


def _store_evidence(actor, line: ReportLine, upload) -> Evidence:
    evidence = Evidence(line=line, original_name=upload.name[:255], size=upload.size, uploaded_by=actor)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    report = MonthlyReport.objects.select_for_update().get(pk=evidence.line.report_id)
    _require_edit(actor, report)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    # The file goes only once the deletion is committed, so a rollback never leaves a record without its file.
    transaction.on_commit(lambda: storage.delete(stored))



@transaction.atomic
def report_line_reopen(*, actor, line: ReportLine, reason: str) -> MonthlyReport:
    """An accepted line found untrue on re-check (回头看 不属实): the report goes back to its organisation as
    returned, with the finding on that line. Accepted reports are otherwise final, so this is the one way back."""
    if not scope_for(actor).has_role(Role.INSPECTOR):
        raise PermissionDenied(_("只有纪检监察人员可以退回已审核通过的报告。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写退回原因。"))
    now = timezone.now()
    claimed = MonthlyReport.objects.filter(pk=line.report_id, status=ReportStatus.ACCEPTED).update(
        status=ReportStatus.RETURNED, reviewed_at=now, reviewed_by=actor, return_reason=reason,
        version=F("version") + 1, updated_at=now)
    if claimed != 1:
        raise ValidationError(_("只有审核通过的报告可以因回头看退回。"))
    line.review_comment = reason
    line.save(update_fields=["review_comment"])
    ReportEvent.objects.create(report_id=line.report_id, action=ReportEvent.Action.RETURNED, actor=actor, at=now,
                               comment=reason)
    report = MonthlyReport.objects.get(pk=line.report_id)
    audit_transition(report, actor=actor, before=ReportStatus.ACCEPTED, after=ReportStatus.RETURNED, comment=reason)
    return report
