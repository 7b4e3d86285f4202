"""回头看 spot checks of struck-off measures and accepted report lines, and the fingerprints behind the
纸上整改 flags (the same file or the same text reused across months, units or measures)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation

from .instructions import Instruction
from .records import AccountabilityRecord


class CheckPopulation(models.TextChoices):
    MEASURES = "measures", _("已销号的整改措施")
    REPORT_LINES = "report_lines", _("审核通过的月报事项")


class SpotCheck(models.Model):
    population = models.CharField(_("抽查对象"), max_length=15, choices=CheckPopulation.choices)
    title = models.CharField(_("名称"), max_length=200)
    date_from = models.DateField(_("起始日期"))
    date_to = models.DateField(_("截止日期"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("范围"), help_text=_("留空为全部组织。"))
    sample_size = models.PositiveIntegerField(_("抽取数量"))
    population_size = models.PositiveIntegerField(_("总体数量"))
    seed = models.BigIntegerField(_("随机种子"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("抽查人"))
    created_at = models.DateTimeField(_("抽取时间"), default=timezone.now)

    class Meta:
        verbose_name = _("回头看抽查")
        verbose_name_plural = _("回头看抽查")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Verdict(models.TextChoices):
    PENDING = "pending", _("待核查")
    TRUE = "true", _("属实")
    FALSE = "false", _("不属实")


class SpotCheckItem(models.Model):
    check_run = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items",
                                  verbose_name=_("回头看抽查"))
    position = models.PositiveIntegerField(_("顺序"))
    measure = models.ForeignKey("rectification.Measure", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("整改措施"))
    report_line = models.ForeignKey("reports.ReportLine", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("月报事项"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("责任单位"))
    verdict = models.CharField(_("核查结论"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    note = models.TextField(_("核查说明"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("核查人"))
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    instruction = models.ForeignKey(Instruction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("发起督办"))
    record = models.ForeignKey(AccountabilityRecord, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("问责记录"))

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项")
        ordering = ["check_run", "position"]
        constraints = [models.UniqueConstraint(fields=["check_run", "position"], name="unique_spot_check_position")]

    def __str__(self):
        return f"{self.check_run} #{self.position}"


class EvidenceFingerprint(models.Model):
    """The content hash of one evidence file anywhere in the system, with where it was used."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    sha256 = models.CharField(_("内容摘要"), max_length=64, db_index=True)
    name = models.CharField(_("文件名"), max_length=255)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                     verbose_name=_("单位"))
    period = models.CharField(_("期间"), max_length=7, blank=True, help_text=_("月报的年月，如 2026-03。"))
    # The report line or measure the file was attached to, as "reports.reportline:12" / "rectification.measure:7".
    holder = models.CharField(_("所属"), max_length=60)
    holder_label = models.CharField(_("所属说明"), max_length=300)
    link = models.CharField(_("链接"), max_length=200)

    class Meta:
        verbose_name = _("佐证文件指纹")
        verbose_name_plural = _("佐证文件指纹")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_evidence_print")]

    def __str__(self):
        return f"{self.name} {self.sha256[:12]}"


class TextFingerprint(models.Model):
    """A normalised hash of a progress text (unit names, digits, spaces and punctuation removed), so text copied
    between units with only the name changed hashes the same."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    digest = models.CharField(_("文字摘要"), max_length=64, db_index=True)
    excerpt = models.CharField(_("摘录"), max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                     verbose_name=_("单位"))
    period = models.CharField(_("期间"), max_length=7, blank=True)
    holder = models.CharField(_("所属"), max_length=60)
    holder_label = models.CharField(_("所属说明"), max_length=300)
    link = models.CharField(_("链接"), max_length=200)

    class Meta:
        verbose_name = _("进展文字指纹")
        verbose_name_plural = _("进展文字指纹")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_text_print")]

    def __str__(self):
        return self.excerpt
