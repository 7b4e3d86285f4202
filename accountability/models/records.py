"""约谈 (talk) records, 问责 records by the 四种形态, and the immutable log of every read of a 问责 record."""
from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation, Person
from common.files import PrivateStorage

from .instructions import Instruction


class TalkKind(models.TextChoices):
    REMINDER = "reminder", _("提醒谈话")
    ADMONITION = "admonition", _("诫勉谈话")
    HEAD = "head", _("约谈主要负责人")
    COLLECTIVE = "collective", _("集体约谈")


class TalkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The discipline side and party staff see every talk; others the talks with units in their scope and the
        talks they took part in."""
        from branches.scope import scope_for

        scope = scope_for(user)
        if scope.sees_all:
            return self
        if not user.is_authenticated:
            return self.none()
        mine = models.Q(interviewees__user=user) | models.Q(talkers__user=user)
        return self.filter(models.Q(organisation__in=scope.org_ids) | mine).distinct()


class TalkRecord(models.Model):
    kind = models.CharField(_("谈话类型"), max_length=12, choices=TalkKind.choices)
    held_on = models.DateField(_("约谈时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    talkers = models.ManyToManyField(Person, related_name="accountability_talks_held", verbose_name=_("约谈人"))
    interviewees = models.ManyToManyField(Person, related_name="accountability_talks_received", blank=True,
                                          verbose_name=_("被约谈人"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("被约谈单位"), help_text=_("约谈单位领导班子或主要负责人时填写。"))
    reason = models.TextField(_("约谈事由"))
    instruction = models.ForeignKey(Instruction, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="talks", verbose_name=_("相关督办"))
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("来源类型"))
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("来源"), max_length=300, blank=True)
    source_link = models.CharField(_("来源链接"), max_length=200, blank=True)
    summary = models.TextField(_("谈话要点"))
    statement = models.TextField(_("被约谈人表态"), blank=True)
    commitments = models.TextField(_("整改要求与承诺"), blank=True)
    follow_up_on = models.DateField(_("跟进时限"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("跟进完成时间"), null=True, blank=True)
    follow_up_note = models.TextField(_("跟进情况"), blank=True)
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"

    def follow_up_open(self) -> bool:
        return bool(self.follow_up_on) and self.followed_up_at is None


class AccountabilityForm(models.TextChoices):
    FIRST = "first", _("第一种形态")
    SECOND = "second", _("第二种形态")
    THIRD = "third", _("第三种形态")
    FOURTH = "fourth", _("第四种形态")


class AccountabilityMeasure(models.TextChoices):
    CRITICISM = "criticism", _("批评教育")
    REMINDER_TALK = "reminder_talk", _("谈话提醒")
    SELF_EXAMINATION = "self_examination", _("责令检查")
    ADMONITION = "admonition", _("诫勉")
    WARNING = "warning", _("警告")
    SERIOUS_WARNING = "serious_warning", _("严重警告")
    ORG_ADJUSTMENT = "org_adjustment", _("组织调整")
    REMOVAL_FROM_POST = "removal_from_post", _("撤销党内职务")
    PROBATION = "probation", _("留党察看")
    MAJOR_ADJUSTMENT = "major_adjustment", _("重大职务调整")
    INVESTIGATION = "investigation", _("立案审查（移送监察机关）")


MEASURES_BY_FORM = {
    AccountabilityForm.FIRST: (AccountabilityMeasure.CRITICISM, AccountabilityMeasure.REMINDER_TALK,
                               AccountabilityMeasure.SELF_EXAMINATION, AccountabilityMeasure.ADMONITION),
    AccountabilityForm.SECOND: (AccountabilityMeasure.WARNING, AccountabilityMeasure.SERIOUS_WARNING,
                                AccountabilityMeasure.ORG_ADJUSTMENT),
    AccountabilityForm.THIRD: (AccountabilityMeasure.REMOVAL_FROM_POST, AccountabilityMeasure.PROBATION,
                               AccountabilityMeasure.MAJOR_ADJUSTMENT),
    AccountabilityForm.FOURTH: (AccountabilityMeasure.INVESTIGATION,),
}
FORM_OF_MEASURE = {measure: form for form, measures in MEASURES_BY_FORM.items() for measure in measures}


class SubjectKind(models.TextChoices):
    PERSON = "person", _("个人")
    UNIT = "unit", _("单位（党组织）")


class AccountabilityRecord(models.Model):
    """A 问责 decision. Confidential: who may read it is decided in accountability.confidential."""

    subject_kind = models.CharField(_("问责对象类型"), max_length=10, choices=SubjectKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("被问责人"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("所在单位/被问责单位"))
    form = models.CharField(_("形态"), max_length=10, choices=AccountabilityForm.choices)
    measure = models.CharField(_("问责方式"), max_length=20, choices=AccountabilityMeasure.choices)
    reason = models.TextField(_("问责事由"))
    basis = models.TextField(_("依据"), blank=True)
    deciding_body = models.CharField(_("决定机关"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    instruction = models.ForeignKey(Instruction, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="accountability_records", verbose_name=_("相关督办"))
    talk = models.ForeignKey(TalkRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("相关约谈"))
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("来源类型"))
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("来源"), max_length=300, blank=True)
    source_link = models.CharField(_("来源链接"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.subject_name} · {self.get_measure_display()}"

    @property
    def subject_name(self) -> str:
        return self.person.name if self.subject_kind == SubjectKind.PERSON and self.person_id else str(
            self.organisation)

    def clean(self):
        if FORM_OF_MEASURE.get(self.measure) != self.form:
            raise ValidationError({"measure": _("问责方式与形态不符。")})
        if self.subject_kind == SubjectKind.PERSON and not self.person_id:
            raise ValidationError({"person": _("问责个人时请选择被问责人。")})


def _record_path(instance, filename: str) -> str:
    return f"records/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class RecordAttachment(models.Model):
    record = models.ForeignKey(AccountabilityRecord, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name=_("问责记录"))
    file = models.FileField(_("文件"), storage=PrivateStorage("accountability"), upload_to=_record_path,
                            max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("问责附件")
        verbose_name_plural = _("问责附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class AccessLog(models.Model):
    """One read of a confidential record (page, attachment, list): written once, never changed or deleted."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        DOWNLOAD = "download", _("下载附件")
        LIST = "list", _("查看列表")
        EXPORT = "export", _("导出")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("查阅人"))
    record = models.ForeignKey(AccountabilityRecord, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="access_log", verbose_name=_("问责记录"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    path = models.CharField(_("地址"), max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("问责记录查阅日志")
        verbose_name_plural = _("问责记录查阅日志")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("查阅日志不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("查阅日志不可删除。"))
