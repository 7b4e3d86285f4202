"""督办 and 交办: one instruction to one or more organisations, each of which acknowledges (签收) and replies (反馈)."""
from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from common.files import PrivateStorage


class InstructionKind(models.TextChoices):
    SUPERVISE = "supervise", _("督办")
    ASSIGN = "assign", _("交办")


class InstructionStatus(models.TextChoices):
    ISSUED = "issued", _("办理中")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class RecipientState(models.TextChoices):
    PENDING = "pending", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    REPLIED = "replied", _("已反馈")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


# States in which the recipient still has to act (签收, 反馈 or 反馈 again after a return).
OPEN_STATES = (RecipientState.PENDING, RecipientState.ACKNOWLEDGED, RecipientState.RETURNED)
REPLYABLE = (RecipientState.ACKNOWLEDGED, RecipientState.RETURNED)


class InstructionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The issuing side (staff, inspectors) sees every instruction; others those addressed to their scope."""
        from branches.scope import scope_for

        scope = scope_for(user)
        if scope.sees_all:
            return self
        addressed = Recipient.objects.filter(organisation__in=scope.org_ids).values("instruction_id")
        return self.filter(pk__in=addressed)


class Instruction(models.Model):
    kind = models.CharField(_("类型"), max_length=10, choices=InstructionKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("督办事项"), max_length=200)
    requirement = models.TextField(_("督办要求"))
    issuing_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("发文单位"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("督办人"))
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    ack_days = models.PositiveSmallIntegerField(_("签收时限（天）"), default=2)
    due_on = models.DateField(_("办理时限"))
    status = models.CharField(_("状态"), max_length=10, choices=InstructionStatus.choices,
                              default=InstructionStatus.ISSUED)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)
    # The red item it was issued from (an overdue report or measure, an expired term, an organisational-life gap).
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("来源类型"))
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("来源"), max_length=300, blank=True)
    source_link = models.CharField(_("来源链接"), max_length=200, blank=True)

    objects = InstructionQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办交办")
        verbose_name_plural = _("督办交办")
        ordering = ["-year", "-number", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"], name="unique_instruction_number")]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        """督办〔2026〕3号"""
        return _("%(kind)s〔%(year)s〕%(number)s号") % {"kind": self.get_kind_display(), "year": self.year,
                                                   "number": self.number}

    @property
    def is_open(self) -> bool:
        return self.status == InstructionStatus.ISSUED


class RecipientQuerySet(models.QuerySet):
    def ack_late(self, today: datetime.date):
        """Not acknowledged and past the acknowledgement date."""
        return self.filter(state=RecipientState.PENDING, ack_due_on__lt=today)

    def overdue(self, today: datetime.date):
        """Not replied (or replied again after a return) by the deadline."""
        return self.filter(state__in=OPEN_STATES, instruction__due_on__lt=today)

    def with_timeliness(self):
        """Annotate whether it was acknowledged and answered on time."""
        return self.annotate(
            acked_on_time=Q(acknowledged_on__isnull=False, acknowledged_on__lte=models.F("ack_due_on")),
            replied_on_time=Q(first_replied_on__isnull=False,
                              first_replied_on__lte=models.F("instruction__due_on")))


class Recipient(models.Model):
    """承办单位: one recipient organisation of an instruction, with its own state."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="recipients",
                                    verbose_name=_("督办交办"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("承办单位"))
    state = models.CharField(_("办理状态"), max_length=15, choices=RecipientState.choices,
                             default=RecipientState.PENDING)
    ack_due_on = models.DateField(_("签收截止"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_on = models.DateField(_("签收日期"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("签收人"))
    reply_text = models.TextField(_("办理结果"), blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    first_replied_on = models.DateField(_("首次反馈日期"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("反馈人"))
    return_reason = models.TextField(_("退回原因"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("办结人"))

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["instruction", "organisation__sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["instruction", "organisation"], name="unique_recipient")]
        indexes = [models.Index(fields=["state", "ack_due_on"])]

    def __str__(self):
        return f"{self.instruction.code} · {self.organisation}"

    def is_ack_late(self, today: datetime.date) -> bool:
        return self.state == RecipientState.PENDING and self.ack_due_on < today

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state in OPEN_STATES and self.instruction.due_on < today

    def colour(self, today: datetime.date) -> str:
        """三色: red overdue, yellow not acknowledged in time or due within three days, green otherwise open."""
        if self.state not in OPEN_STATES:
            return ""
        if self.is_overdue(today):
            return "red"
        if self.is_ack_late(today) or (self.instruction.due_on - today).days <= 3:
            return "yellow"
        return "green"


class InstructionEvent(models.Model):
    """The timeline: issue, 签收, 反馈, 退回, 办结, 撤回 with who, when and the comment."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("下发")
        ACKNOWLEDGED = "acknowledged", _("签收")
        REPLIED = "replied", _("反馈")
        RETURNED = "returned", _("退回")
        CLOSED = "closed", _("办结")
        WITHDRAWN = "withdrawn", _("撤回")

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="events",
                                    verbose_name=_("督办交办"))
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, null=True, blank=True, related_name="events",
                                  verbose_name=_("承办单位"))
    action = models.CharField(_("操作"), max_length=15, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.instruction.code} {self.get_action_display()}"


def _attachment_path(instance, filename: str) -> str:
    return f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class InstructionAttachment(models.Model):
    """A file sent with the instruction (recipient empty) or with a recipient's reply (the evidence)."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="attachments",
                                    verbose_name=_("督办交办"))
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="attachments", verbose_name=_("承办单位"))
    file = models.FileField(_("文件"), storage=PrivateStorage("accountability"), upload_to=_attachment_path,
                            max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办附件")
        verbose_name_plural = _("督办附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name
