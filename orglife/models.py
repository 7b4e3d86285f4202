"""Organisational-life records (组织生活记实): the kinds of meeting, study and talk, how often each is required,
and the records of those actually held."""
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import PARTY_ORG_KINDS, Organisation, OrgKind, Person
from branches.scope import ScopedQuerySet
from common.files import PrivateStorage
from common.models import AttachedFile, TimelineEvent

from .periods import PeriodKind

PARTY_KIND_CHOICES = [(kind.value, kind.label) for kind in OrgKind if kind in PARTY_ORG_KINDS]


class RecordGroup(models.TextChoices):
    THREE_MEETINGS = "three_meetings", _("三会一课")
    ORGANISATIONAL_LIFE = "org_life", _("组织生活")
    TALK = "talk", _("谈话")
    STUDY = "study", _("学习教育")


class RecordType(models.Model):
    """A kind of organisational life and its default requirement (editable by staff in the admin)."""

    code = models.SlugField(_("代码"), max_length=20, unique=True, help_text=_("英文代码，用于提醒的去重键，设定后勿改。"))
    name = models.CharField(_("名称"), max_length=30, unique=True)
    aliases = models.CharField(_("别名"), max_length=200, blank=True,
                               help_text=_("导入 Excel 时用于识别类型，用“、”分隔，如 党员大会、支部大会。"))
    group = models.CharField(_("类别"), max_length=20, choices=RecordGroup.choices)
    verb = models.CharField(_("提示动词"), max_length=10, default="开展",
                            help_text=_("用于提示语，如“本季度还需召开支部党员大会1次”中的“召开”。"))
    period = models.CharField(_("考核周期"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    required_count = models.PositiveSmallIntegerField(_("每周期至少（次）"), default=1,
                                                      help_text=_("0 表示只记录、不考核次数。"))
    applies_to = models.JSONField(_("适用组织类别"), default=list, blank=True,
                                  help_text=_("哪些类别的党组织开展并记录此类组织生活。"))
    is_talk = models.BooleanField(_("谈话类"), default=False,
                                  help_text=_("记录谈话人与谈话对象；班子成员与分管科室负责人的谈话按此类统计。"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("组织生活类型")
        verbose_name_plural = _("组织生活类型")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in str(self.aliases or "").replace("，", "、").replace(",", "、").split("、") if a.strip()]

    def clean(self):
        unknown = set(self.applies_to or []) - {value for value, _label in PARTY_KIND_CHOICES}
        if unknown:
            raise ValidationError({"applies_to": _("只能选择党组织类别。")})


class RequirementOverride(models.Model):
    """A different requirement for one organisation kind or one organisation (the latter wins).

    Either makes the type recordable there; a count of 0 records without requiring (e.g. a branch of fewer than
    seven members elects no committee, so it holds no 支委会)."""

    record_type = models.ForeignKey(RecordType, on_delete=models.CASCADE, related_name="overrides",
                                    verbose_name=_("组织生活类型"))
    org_kind = models.CharField(_("组织类别"), max_length=20, choices=PARTY_KIND_CHOICES, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="orglife_overrides", verbose_name=_("组织"),
                                     limit_choices_to={"kind__in": sorted(PARTY_ORG_KINDS)})
    period = models.CharField(_("考核周期"), max_length=10, choices=PeriodKind.choices)
    required_count = models.PositiveSmallIntegerField(_("每周期至少（次）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考核要求调整")
        verbose_name_plural = _("考核要求调整")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=True) & ~Q(org_kind="")) | (Q(organisation__isnull=False) & Q(org_kind="")),
                name="orglife_override_kind_or_organisation"),
            models.UniqueConstraint(fields=["record_type", "org_kind"], condition=Q(organisation__isnull=True),
                                    name="unique_orglife_override_kind"),
            models.UniqueConstraint(fields=["record_type", "organisation"], condition=Q(organisation__isnull=False),
                                    name="unique_orglife_override_organisation"),
        ]

    def __str__(self):
        target = self.organisation or self.get_org_kind_display()
        return f"{self.record_type} · {target}"

    def clean(self):
        if bool(self.organisation_id) == bool(self.org_kind):
            raise ValidationError(_("请在“组织类别”和“组织”中选择且只选择一项。"))


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("已确认")
    RETURNED = "returned", _("退回")


# A returned record does not count until it is corrected and sent again.
COUNTED = (RecordStatus.SUBMITTED, RecordStatus.ACCEPTED)


class RecordQuerySet(ScopedQuerySet):
    scope_path = "organisation"

    def counted(self):
        return self.filter(status__in=COUNTED)


class Record(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="orglife_records",
                                     verbose_name=_("党组织"))
    types = models.ManyToManyField(RecordType, related_name="records", verbose_name=_("类型"),
                                   help_text=_("一次会议可计入多种类型，如支部党员大会同时作为当月主题党日。"))
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    topic = models.CharField(_("主题"), max_length=200)
    host = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("主持人"))
    host_name = models.CharField(_("主持人姓名"), max_length=50, blank=True)
    recorder = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("记录人"))
    recorder_name = models.CharField(_("记录人姓名"), max_length=50, blank=True)
    expected_count = models.PositiveSmallIntegerField(_("应到人数"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("实到人数"), null=True, blank=True)
    leave_count = models.PositiveSmallIntegerField(_("请假人数"), null=True, blank=True)
    absentees = models.TextField(_("缺席人员及原因"), blank=True)
    observers = models.CharField(_("列席人员"), max_length=200, blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)
    decisions = models.TextField(_("会议决议"), blank=True)
    talker = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="talks_held",
                               verbose_name=_("谈话人"))
    talked_to = models.ManyToManyField(Person, blank=True, related_name="talks_received", verbose_name=_("谈话对象"))
    talked_to_names = models.CharField(_("其他谈话对象"), max_length=200, blank=True,
                                       help_text=_("未在系统人员中登记的谈话对象姓名。"))
    status = models.CharField(_("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACCEPTED)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    source_file = models.CharField(_("导入文件"), max_length=255, blank=True)
    source_row = models.PositiveIntegerField(_("导入行号"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织生活记录")
        verbose_name_plural = _("组织生活记录")
        ordering = ["-date", "-start_time", "-id"]
        indexes = [models.Index(fields=["organisation", "date"]), models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.organisation} {self.date:%Y-%m-%d} {self.topic}"

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED

    @property
    def absent_count(self) -> int | None:
        if self.expected_count is None or self.present_count is None:
            return None
        return max(0, self.expected_count - self.present_count)

    @property
    def host_display(self) -> str:
        return self.host.name if self.host_id else self.host_name

    @property
    def recorder_display(self) -> str:
        return self.recorder.name if self.recorder_id else self.recorder_name


def _attachment_path(instance, filename):
    return f"{instance.record.date:%Y}/{instance.record_id}/{timezone.now():%Y%m%d%H%M%S%f}{Path(filename).suffix.lower()}"


class Attachment(AttachedFile):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("记录"))
    file = models.FileField(_("文件"), upload_to=_attachment_path, storage=PrivateStorage("orglife"), max_length=255)

    class Meta(AttachedFile.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class RecordEvent(TimelineEvent):
    """The record's timeline: who entered, changed, confirmed or returned it, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("录入")
        IMPORTED = "imported", _("导入")
        UPDATED = "updated", _("修改")
        ACCEPTED = "accepted", _("审核确认")
        RETURNED = "returned", _("退回")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="events", verbose_name=_("记录"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("记录操作")
        verbose_name_plural = _("记录操作")

    def __str__(self):
        return f"{self.record} {self.get_action_display()}"
