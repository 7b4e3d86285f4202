"""The rectification ledger (整改台账): batches of feedback, their problems, the measures taken and how far they got."""
from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation, Person
from branches.scope import scope_for
from common.files import PrivateStorage

REPORT_DUE_MONTHS = 2  # 巡视/巡察: the rectification report is due two months after the feedback


class Source(models.TextChoices):
    PATROL = "patrol", _("巡察反馈")
    INSPECTION = "inspection", _("巡视反馈")
    SUPERVISION = "supervision", _("监督检查")
    DEMOCRATIC_LIFE = "democratic_life", _("民主生活会查摆")
    ORGANISATIONAL_LIFE = "organisational_life", _("组织生活会查摆")
    AUDIT = "audit", _("审计")
    SPECIAL = "special", _("专项治理")
    SELF_CHECK = "self_check", _("自查")


class MeasureKind(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class MeasureState(models.TextChoices):
    """The stored workflow state; what users see is MeasureStatus, derived from it."""

    OPEN = "open", _("未启动")
    IN_PROGRESS = "in_progress", _("整改中")
    AWAITING_REVIEW = "awaiting_review", _("待审核")
    CLOSED = "closed", _("已销号")


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("整改中")
    AWAITING_REVIEW = "awaiting_review", _("待审核")
    CLOSED = "closed", _("已销号")
    OVERDUE = "overdue", _("逾期")
    LONG_TERM = "long_term", _("长期坚持")


def _status_rules(today: datetime.date):
    """The status rule, written once: the first rule whose lookups all hold gives the status, else 未启动.

    Used as SQL (`MeasureQuerySet.with_status`) and in Python (`Measure.status_on`), so the ledger's counts,
    its filters and a single measure's page can never disagree. A measure awaiting review is not overdue
    (the responsible side has done its part); 长期坚持 is never overdue; 立行立改 has no date.
    """
    return (
        (MeasureStatus.CLOSED, {"state": MeasureState.CLOSED}),
        (MeasureStatus.AWAITING_REVIEW, {"state": MeasureState.AWAITING_REVIEW}),
        (MeasureStatus.LONG_TERM, {"kind": MeasureKind.LONG_TERM}),
        (MeasureStatus.OVERDUE, {"due_on__lt": today}),
        (MeasureStatus.IN_PROGRESS, {"state": MeasureState.IN_PROGRESS}),
    )


def _holds(measure, lookups: dict) -> bool:
    for key, expected in lookups.items():
        name, _sep, op = key.partition("__")
        actual = getattr(measure, name)
        if op == "lt":
            if actual is None or not actual < expected:
                return False
        elif op:
            raise ValueError(f"unsupported lookup {key}")
        elif actual != expected:
            return False
    return True


class Batch(models.Model):
    """One round of feedback to rectify (a 巡察 group's feedback, an audit, a 民主生活会 …)."""

    source = models.CharField(_("问题来源"), max_length=30, choices=Source.choices)
    title = models.CharField(_("标题"), max_length=200)
    issuing_body = models.CharField(_("反馈单位"), max_length=200, blank=True)
    feedback_on = models.DateField(_("反馈时间"), null=True, blank=True)
    report_due_on = models.DateField(_("整改报告报送时限"), null=True, blank=True,
                                     help_text=_("留空则为反馈时间后两个月。"))
    source_file = models.CharField(_("来源文件"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改批次")
        verbose_name_plural = _("整改批次")
        ordering = ["-feedback_on", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.report_due_on is None and self.feedback_on is not None:
            self.report_due_on = default_report_due(self.feedback_on)
        super().save(*args, **kwargs)


def default_report_due(feedback_on: datetime.date) -> datetime.date:
    return feedback_on + relativedelta(months=REPORT_DUE_MONTHS)


class Problem(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="problems", verbose_name=_("整改批次"))
    position = models.PositiveIntegerField(_("顺序"))
    seq = models.CharField(_("序号"), max_length=20, blank=True)
    category = models.CharField(_("问题类别"), max_length=200, blank=True)
    description = models.TextField(_("问题描述"))
    source_row = models.PositiveIntegerField(_("Excel 行号"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="unique_problem_position")]

    def __str__(self):
        return f"{self.seq} {self.description}".strip()


@dataclass(frozen=True)
class LedgerFigures:
    total: int
    closed: int
    long_term: int
    overdue: int
    awaiting_review: int
    in_progress: int
    not_started: int

    @property
    def rated(self) -> int:
        """Measures the completion rate counts: all but 长期坚持."""
        return self.total - self.long_term

    @property
    def completion_rate(self) -> float | None:
        """Struck-off share of the measures that can be struck off, in percent (None when there are none)."""
        return round(100 * self.closed / self.rated, 1) if self.rated else None


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and inspectors see every measure; others see those with a responsible department in their
        scope, and those naming them as 责任领导 or 责任人."""
        scope = scope_for(user)
        if scope.sees_all:
            return self
        in_scope = scope.filter_by_organisation(MeasureUnit.objects.all()).values("measure_id")
        named = Q(leader__user=user) | Q(person__user=user) if user.is_authenticated else Q(pk__in=[])
        return self.filter(Q(pk__in=in_scope) | named)

    def in_organisations(self, org_ids):
        """Measures with a responsible department among `org_ids` (None: no restriction)."""
        if org_ids is None:
            return self
        return self.filter(pk__in=MeasureUnit.objects.filter(organisation__in=org_ids).values("measure_id"))

    def with_status(self, today: datetime.date | None = None):
        """Annotate `status` (a MeasureStatus value) for filtering, counting and display."""
        today = today or timezone.localdate()
        whens = [When(Q(**lookups), then=Value(status.value)) for status, lookups in _status_rules(today)]
        return self.annotate(status=Case(*whens, default=Value(MeasureStatus.NOT_STARTED.value),
                                         output_field=models.CharField()))

    def in_status(self, status: str, today: datetime.date | None = None):
        """The measures whose status is `status`, as a plain condition (none of the earlier rules holds and this
        one does) instead of a filter on the CASE of `with_status`, which the database cannot use an index for."""
        today = today or timezone.localdate()
        condition, passed_states, own = Q(), set(), Q()  # 未启动 (no rule of its own): no rule holds
        for rule_status, lookups in _status_rules(today):
            if rule_status == status:
                own = Q(**lookups)
                break
            if lookups.keys() == {"state"}:
                passed_states.add(lookups["state"])  # written as the states left, which the index can use
            else:
                condition &= ~Q(**lookups)
        if passed_states:
            condition &= Q(state__in=[state for state in MeasureState.values if state not in passed_states])
        return self.filter(condition & own)

    def figures(self, today: datetime.date | None = None) -> LedgerFigures:
        """Counts by status in one query."""
        counts = {row["status"]: row["n"] for row in
                  self.with_status(today).order_by().values("status").annotate(n=Count("pk"))}
        return LedgerFigures(
            total=sum(counts.values()), closed=counts.get(MeasureStatus.CLOSED, 0),
            long_term=counts.get(MeasureStatus.LONG_TERM, 0), overdue=counts.get(MeasureStatus.OVERDUE, 0),
            awaiting_review=counts.get(MeasureStatus.AWAITING_REVIEW, 0),
            in_progress=counts.get(MeasureStatus.IN_PROGRESS, 0),
            not_started=counts.get(MeasureStatus.NOT_STARTED, 0),
        )


class Measure(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures", verbose_name=_("问题"))
    position = models.PositiveIntegerField(_("顺序"))
    text = models.TextField(_("整改措施"))
    leader = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="led_measures",
                               verbose_name=_("责任领导"))
    leader_text = models.CharField(_("责任领导（原文）"), max_length=100, blank=True)
    units_text = models.CharField(_("责任部门（原文）"), max_length=500, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="measures",
                               verbose_name=_("责任人"))
    person_text = models.CharField(_("责任人（原文）"), max_length=100, blank=True)
    deadline_text = models.CharField(_("整改时限（原文）"), max_length=200, blank=True)
    due_on = models.DateField(_("整改期限"), null=True, blank=True)
    kind = models.CharField(_("整改类型"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.DEADLINE)
    standard = models.TextField(_("整改完成标准"), blank=True)
    progress_text = models.TextField(_("整改进展"), blank=True, help_text=_("最近一次报送的进展。"))
    state = models.CharField(_("整改状态"), max_length=20, choices=MeasureState.choices, default=MeasureState.OPEN)
    closure_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+", verbose_name=_("申请销号人"))
    closure_requested_at = models.DateTimeField(_("申请销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("销号人"))
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近评估日期"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("Excel 行号"), null=True, blank=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering = ["problem__batch", "problem__position", "position"]
        constraints = [models.UniqueConstraint(fields=["problem", "position"], name="unique_measure_position")]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self):
        return self.text[:60]

    def status_on(self, today: datetime.date) -> str:
        for status, lookups in _status_rules(today):
            if _holds(self, lookups):
                return status.value
        return MeasureStatus.NOT_STARTED.value

    def get_status(self) -> str:
        """The annotated status when the row came through `with_status`, else today's."""
        annotated = self.__dict__.get("status")
        return annotated if annotated is not None else self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(MeasureStatus(self.get_status()).label)

    @property
    def done_text(self) -> str:
        """是否完成整改 as ledgers write it."""
        return {MeasureStatus.CLOSED: "已完成", MeasureStatus.AWAITING_REVIEW: "已完成",
                MeasureStatus.LONG_TERM: "长期坚持", MeasureStatus.NOT_STARTED: "未启动"}.get(self.get_status(), "正在整改")

    @property
    def struck_text(self) -> str:
        """是否销号 as ledgers write it."""
        return "是" if self.state == MeasureState.CLOSED else "否"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status_on(today) == MeasureStatus.OVERDUE

    def days_late_at_request(self) -> int:
        """How late closure was asked for: kept once the measure awaits review or is struck off, when it no longer
        counts as overdue, so its history does not vanish (逾期155天后申请销号)."""
        if self.closure_requested_at is None or self.due_on is None or self.kind == MeasureKind.LONG_TERM:
            return 0
        return max(0, (timezone.localdate(self.closure_requested_at) - self.due_on).days)

    @property
    def due_on_unless_written(self) -> datetime.date | None:
        """The parsed date, when the ledger's own wording does not already say it (不再显示“2026年3月31日 2026-03-31”)."""
        if self.due_on is None:
            return None
        text = self.deadline_text or ""
        if f"{self.due_on.year}年{self.due_on.month}月" in text or self.due_on.isoformat() in text:
            return None
        return self.due_on

    def days_overdue(self, today: datetime.date) -> int:
        return (today - self.due_on).days if self.is_overdue(today) else 0

    @property
    def leader_name(self) -> str:
        return self.leader_text or (self.leader.name if self.leader_id else "")

    @property
    def person_name(self) -> str:
        return self.person_text or (self.person.name if self.person_id else "")

    @property
    def is_long_term(self) -> bool:
        return self.kind == MeasureKind.LONG_TERM


class MeasureUnit(models.Model):
    """A responsible department of a measure as the ledger names it (group names already expanded)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="units", verbose_name=_("整改措施"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("责任部门"))
    is_lead = models.BooleanField(_("牵头"), default=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("责任部门")
        verbose_name_plural = _("责任部门")
        ordering = ["measure", "position"]
        constraints = [models.UniqueConstraint(fields=["measure", "organisation"], name="unique_measure_unit")]

    def __str__(self):
        return str(self.organisation)


class EventKind(models.TextChoices):
    IMPORTED = "imported", _("导入")
    PROGRESS = "progress", _("报送进展")
    CLOSURE_REQUESTED = "closure_requested", _("申请销号")
    STRUCK_OFF = "struck_off", _("销号")
    RETURNED = "returned", _("退回")
    REVIEWED = "reviewed", _("定期评估")


class MeasureEvent(models.Model):
    """A row of a measure's timeline: every transition and progress report (who, when, comment)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="events", verbose_name=_("整改措施"))
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    happened_on = models.DateField(_("日期"))
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["measure", "created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on:%Y-%m-%d}"


def _evidence_path(instance, filename: str) -> str:
    # Stored under a random name: the user's file name is kept in `name` and never becomes a path.
    return f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Evidence(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence",
                                verbose_name=_("整改措施"))
    event = models.ForeignKey(MeasureEvent, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="evidence", verbose_name=_("所属进展"))
    file = models.FileField(_("文件"), storage=PrivateStorage("rectification"), upload_to=_evidence_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["measure", "uploaded_at", "id"]

    def __str__(self):
        return self.name
