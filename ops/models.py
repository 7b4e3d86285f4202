"""Rows that keep background work alive across broker outages, and the heartbeats /healthz reads."""
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
