"""Year-end exports: a workbook and summary draft one user asked for, built by a Celery job."""
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from common.files import PrivateStorage


def _export_path(instance, filename):
    return f"{instance.year}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class YearEndExport(models.Model):
    """A year-end workbook and summary draft one user asked for: built by a Celery job that records its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("申请人"))
    year = models.PositiveSmallIntegerField(_("年度"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                     verbose_name=_("组织"), help_text=_("留空为申请人可见的全部组织。"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=50, blank=True)
    label = models.CharField(_("统计范围"), max_length=200, blank=True)
    workbook = models.FileField(_("年度台账"), upload_to=_export_path, storage=PrivateStorage("yearend"),
                                max_length=200, blank=True)
    draft = models.FileField(_("总结初稿"), upload_to=_export_path, storage=PrivateStorage("yearend"), max_length=200,
                             blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度台账导出")
        verbose_name_plural = _("年度台账导出")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.label or self.year} {self.year}年度台账"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def base_name(self) -> str:
        return f"{self.label}{self.year}年度"
