"""Rows that keep background work alive across broker outages, the heartbeats /healthz reads, and the jobs of large
imports."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task waiting to be handed to the broker: written in the request's transaction, sent on commit,
    and, when the broker is unreachable, sent by the periodic sweep once it is back."""

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("位置参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    key = models.CharField(_("业务标识"), max_length=200, blank=True, db_index=True,
                           help_text=_("如 yearend:12，页面据此说明任务尚在等待消息队列。"))
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    claimed_until = models.DateTimeField(_("占用至"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["id"]

    def __str__(self):
        return f"{self.task} {self.key}".strip()


class Heartbeat(models.Model):
    """The last time a worker ran the sweep, or the beat ticked: /healthz reports how fresh each is."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("最近时间"))

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportJob(models.Model):
    """A large upload planned and imported by a Celery job instead of the web request (common/imports/background.py):
    the staged file's token, what the page needs to show its preview and outcome, and the job's progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队检查")
        PLANNING = "planning", _("检查中")
        PLANNED = "planned", _("已检查")
        CONFIRMED = "confirmed", _("排队导入")
        IMPORTING = "importing", _("导入中")
        DONE = "done", _("已导入")
        REJECTED = "rejected", _("未导入")
        FAILED = "failed", _("失败")

    flow = models.CharField(_("导入类型"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("上传人"))
    token = models.CharField(_("暂存编号"), max_length=32, db_index=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    # Pickles written and read only by the job itself (never anything a user sent as bytes): the form's values,
    # the dry run the preview shows, and what the import created.
    data = models.BinaryField(_("表单内容"))
    plan = models.BinaryField(_("检查结果"), null=True, blank=True)
    result = models.BinaryField(_("导入结果"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导入")
        verbose_name_plural = _("后台导入")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name
