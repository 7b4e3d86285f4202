"""Abstract bases for what several workflows keep alike: files users attach, and timeline rows of transitions."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AttachedFile(models.Model):
    """A file a user attached, stored under a generated name; the name they gave is kept for the download.

    Each subclass declares `file` with its own private storage and path, and the row it belongs to."""

    file = models.FileField(_("文件"), max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class TimelineEvent(models.Model):
    """A row of a timeline: who did what, when, with their comment. Each subclass declares `action` (its
    transitions) and the row it belongs to."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
