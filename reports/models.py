"""Monthly completion reports (每月照单上报完成情况): one per organisation and month, a line per due item."""
import calendar
import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from branches.scope import ScopedQuerySet
from common.files import PrivateStorage
from common.models import AttachedFile, TimelineEvent
from responsibility.models import Assignment


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("已保存")
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    RETURNED = "returned", _("驳回")


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class LineStatus(models.TextChoices):
    DONE = "done", _("已完成")
    IN_PROGRESS = "in_progress", _("推进中")
    NOT_STARTED = "not_started", _("未开展")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class ReportLocked(ValidationError):
    """An accepted report is final."""


class MonthlyReportQuerySet(ScopedQuerySet):
    scope_path = "organisation"


def report_due_on(year: int, month: int) -> datetime.date:
    """The configured day of the following month (REPORT_DUE_DAY, default the 5th; at most its last day)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(settings.REPORT_DUE_DAY, calendar.monthrange(next_year, next_month)[1])
    return datetime.date(next_year, next_month, day)


class MonthlyReport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="monthly_reports",
                                     verbose_name=_("组织"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    due_on = models.DateField(_("报送截止日期"))
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("每次保存加一，防止两人同时编辑相互覆盖。"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("提交人"))
    days_late = models.PositiveIntegerField(_("逾期天数"), default=0, help_text=_("最近一次提交时超过截止日期的天数。"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    return_reason = models.TextField(_("驳回原因"), blank=True)
    reopened_until = models.DateField(_("重新开放填报至"), null=True, blank=True,
                                      help_text=_("填报已锁定的报告由审核人重新开放，至此日（含）可填报。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度报告")
        verbose_name_plural = _("月度报告")
        ordering = ["-year", "-month", "organisation__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "month"], name="unique_monthly_report"),
            models.CheckConstraint(condition=models.Q(month__gte=1) & models.Q(month__lte=12), name="report_month_range"),
        ]
        indexes = [models.Index(fields=["status", "year", "month"])]

    def __str__(self):
        return f"{self.organisation} {self.year}年{self.month}月"

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def status_label(self) -> str:
        """What people read: a generated report nobody has saved yet is 待填报, not 已保存 (version 1: never saved)."""
        if self.status == ReportStatus.DRAFT and self.version == 1:
            return str(_("待填报"))
        return self.get_status_display()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def overdue_days(self, today: datetime.date) -> int:
        """Days past the due date: at submission for a report sent in, else (draft, returned) as of today."""
        if not self.is_editable:
            return self.days_late
        return max(0, (today - self.due_on).days)

    def save(self, *args, **kwargs):
        if self.pk and MonthlyReport.objects.filter(pk=self.pk, status=ReportStatus.ACCEPTED).exists():
            raise ReportLocked(_("报告已审核通过，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if MonthlyReport.objects.filter(pk=self.pk, status=ReportStatus.ACCEPTED).exists():
            raise ReportLocked(_("报告已审核通过，不能修改。"))
        return super().delete(*args, **kwargs)

    def entry_locked(self, today: datetime.date) -> bool:
        """Under REPORT_LATE_ENTRY = "lock", a report never sent in closes REPORT_LOCK_DAYS after its deadline
        (a returned report stays open: the reviewer asked for it again); a reviewer's reopening lifts the lock."""
        if settings.REPORT_LATE_ENTRY != "lock" or self.submitted_at is not None or not self.is_editable:
            return False
        if self.reopened_until is not None and today <= self.reopened_until:
            return False
        return today > self.due_on + datetime.timedelta(days=settings.REPORT_LOCK_DAYS)

    def days_late_at(self, moment: datetime.datetime) -> int:
        return max(0, (timezone.localdate(moment) - self.due_on).days)


class ReportLine(models.Model):
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("报告"))
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="report_lines",
                                   verbose_name=_("清单事项"))
    position = models.PositiveIntegerField(_("顺序"), default=0)
    status = models.CharField(_("完成情况"), max_length=20, choices=LineStatus.choices, blank=True)
    done_text = models.TextField(_("完成情况说明"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步打算"), blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("报告事项")
        verbose_name_plural = _("报告事项")
        ordering = ["report", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "assignment"], name="unique_report_line")]

    def __str__(self):
        return f"{self.report} · {self.assignment.item}"

    def missing(self) -> list[str]:
        """What this line still lacks before the report can be submitted."""
        if not self.status:
            return [str(_("未选择完成情况"))]
        if self.status == LineStatus.DONE and not self.done_text.strip():
            return [str(_("已完成的事项需填写完成情况说明"))]
        if self.status in (LineStatus.NOT_STARTED, LineStatus.NOT_APPLICABLE) and not self.problems.strip():
            return [str(_("“%(status)s”的事项需在“存在问题”中说明原因") % {"status": self.get_status_display()})]
        return []

    def save(self, *args, **kwargs):
        if self.report_id and MonthlyReport.objects.filter(pk=self.report_id, status=ReportStatus.ACCEPTED).exists():
            raise ReportLocked(_("报告已审核通过，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if MonthlyReport.objects.filter(pk=self.report_id, status=ReportStatus.ACCEPTED).exists():
            raise ReportLocked(_("报告已审核通过，不能修改。"))
        return super().delete(*args, **kwargs)


def _evidence_path(instance, filename):
    return f"{instance.line.report.year}/{instance.line.report_id}/{timezone.now():%Y%m%d%H%M%S}{Path(filename).suffix.lower()}"


class Evidence(AttachedFile):
    line = models.ForeignKey(ReportLine, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("报告事项"))
    file = models.FileField(_("文件"), upload_to=_evidence_path, storage=PrivateStorage("reports"), max_length=255)

    class Meta(AttachedFile.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def save(self, *args, **kwargs):
        if ReportLine.objects.filter(pk=self.line_id, report__status=ReportStatus.ACCEPTED).exists():
            raise ReportLocked(_("报告已审核通过，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if ReportLine.objects.filter(pk=self.line_id, report__status=ReportStatus.ACCEPTED).exists():
            raise ReportLocked(_("报告已审核通过，不能修改。"))
        return super().delete(*args, **kwargs)


class ReportEvent(TimelineEvent):
    """The timeline: every transition with who, when and the comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("生成")
        SAVED = "saved", _("保存")
        SUBMITTED = "submitted", _("提交")
        RETURNED = "returned", _("驳回")
        ACCEPTED = "accepted", _("审核通过")
        REOPENED = "reopened", _("重新开放填报")

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("报告"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("报告记录")
        verbose_name_plural = _("报告记录")

    def __str__(self):
        return f"{self.report} {self.get_action_display()}"
