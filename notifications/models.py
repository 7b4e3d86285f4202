"""Reminders: facts derived from the data ("this report is 3 days overdue"), recorded once per
(object, stage, recipient), and their delivery through the in-app centre, email and group-robot webhooks."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation


class Level(models.TextChoices):
    GREEN = "green", _("提示")
    YELLOW = "yellow", _("预警")
    RED = "red", _("逾期")


class Kind(models.TextChoices):
    """What a notification is about: the notification centre filters by it."""

    REPORT = "report", _("月度报告")
    MEASURE = "measure", _("整改措施")
    TERM = "term", _("换届")
    ORGLIFE = "orglife", _("组织生活")
    INSTRUCTION = "instruction", _("督办交办")
    ASSESSMENT = "assessment", _("考核评议")
    OTHER = "other", _("其他")


class ReminderSettings(models.Model):
    """The agency's reminder rules (one row; defaults as practised in districts running such platforms)."""

    report_due_soon_days = models.PositiveSmallIntegerField(_("月报到期前提醒（天）"), default=3)
    report_overdue_days = models.CharField(_("月报逾期提醒（逾期第几天，逗号分隔）"), max_length=50, default="1,3,7")
    report_escalate_days = models.PositiveSmallIntegerField(
        _("月报逾期升级（天）"), default=7, help_text=_("逾期达到该天数，同时提醒分管领导和纪检监察人员。"))
    report_returned_days = models.PositiveSmallIntegerField(_("驳回后未重新提交提醒（天）"), default=3)
    measure_green_days = models.PositiveSmallIntegerField(_("整改措施绿色提示（到期前天数）"), default=20)
    measure_yellow_days = models.PositiveSmallIntegerField(_("整改措施黄色预警（到期前天数）"), default=10)
    measure_repeat_days = models.PositiveSmallIntegerField(_("整改措施逾期重复提醒间隔（天）"), default=7)
    term_days = models.CharField(_("换届提醒（届满前天数，逗号分隔）"), max_length=50, default="180,90,30")
    email_enabled = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")

    def __str__(self):
        return str(_("提醒规则"))

    @classmethod
    def load(cls) -> "ReminderSettings":
        """The stored rules, or the defaults (unsaved: reading the rules, e.g. in a dry run, writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    MAX_DAYS = 3650

    @staticmethod
    def day_list(text: str) -> list[int]:
        """The day counts of a comma-separated setting; anything that is not a plain number up to ten years is
        ignored (clean() refuses it when the setting is edited)."""
        parts = [part.strip() for part in str(text).replace("，", ",").split(",")]
        return sorted({int(p) for p in parts if p.isascii() and p.isdecimal() and len(p) <= 4
                       and int(p) <= ReminderSettings.MAX_DAYS})

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("report_overdue_days", "term_days"):
            parts = [p.strip() for p in str(getattr(self, name)).replace("，", ",").split(",") if p.strip()]
            if not parts or len(self.day_list(getattr(self, name))) != len(set(parts)):
                errors[name] = _("请填写以逗号分隔的天数，如 1,3,7（每个不超过 %(max)s）") % {"max": self.MAX_DAYS}
        if self.measure_yellow_days > self.measure_green_days:
            errors["measure_yellow_days"] = _("黄色预警天数不能大于绿色提示天数")
        if errors:
            raise ValidationError(errors)


class Reminder(models.Model):
    """One reminder to one person; the unique key makes every scan safe to repeat."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    stage = models.CharField(_("阶段"), max_length=40)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders",
                                  verbose_name=_("接收人"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("组织"))
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    on_date = models.DateField(_("提醒日期"))
    run = models.UUIDField(_("生成批次"), db_index=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "stage", "recipient"],
                                               name="unique_reminder_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient} · {self.title}"


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class Delivery(models.Model):
    """A reminder on one outside channel (the in-app centre needs none: the reminder row is the notification)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    claim = models.UUIDField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        constraints = [models.UniqueConstraint(fields=["reminder", "channel"], name="unique_delivery")]
        indexes = [models.Index(fields=["channel", "status"])]


class Webhook(models.Model):
    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhooks",
                                     verbose_name=_("组织"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A user's calendar subscription: the secret in its URL is the only credential, so it can be revoked."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed",
                                verbose_name=_("用户"))
    token = models.CharField(_("订阅密钥"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("最近读取时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return str(self.user)
