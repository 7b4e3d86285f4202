"""Responsibility lists (主体责任清单 and its siblings), their items, and the assignments reports hang off."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation, Person
from branches.scope import ScopedQuerySet, scope_for

from common import deadlines


class ListKind(models.TextChoices):
    MAIN = "main", _("党组主体责任清单")
    DUAL = "dual", _("一岗双责清单")
    ORGAN_COMMITTEE = "organ_committee", _("机关党委监督责任清单")
    ORGAN_DISCIPLINE = "organ_discipline", _("机关纪委监督责任清单")
    SECRETARY = "secretary", _("支部书记责任清单")
    RISK = "risk", _("科室廉政风险防控清单")


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")


class Frequency(models.TextChoices):
    MONTHLY = deadlines.Frequency.MONTHLY.value, _("每月")
    QUARTERLY = deadlines.Frequency.QUARTERLY.value, _("每季度")
    HALF_YEARLY = deadlines.Frequency.HALF_YEARLY.value, _("每半年")
    YEARLY = deadlines.Frequency.YEARLY.value, _("全年")
    ONCE = deadlines.Frequency.ONCE.value, _("限期完成")
    ONGOING = deadlines.Frequency.ONGOING.value, _("长期坚持")
    IMMEDIATE = deadlines.Frequency.IMMEDIATE.value, _("立行立改")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class ResponsibilityListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and inspectors see every list; others see published lists with an item that reaches them."""
        scope = scope_for(user)
        if scope.sees_all:
            return self
        return self.filter(
            Q(status__in=[ListStatus.PUBLISHED, ListStatus.ARCHIVED])
            & (Q(items__assignments__organisation__in=scope.org_ids) | Q(items__lead_leader__user=user))
        ).distinct()


class ResponsibilityList(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("清单类型"), max_length=20, choices=ListKind.choices, default=ListKind.MAIN)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="responsibility_lists",
        verbose_name=_("责任主体（组织）"),
    )
    owner_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="responsibility_lists",
        verbose_name=_("责任主体（个人）"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_revision",
        verbose_name=_("上一版本"),
    )
    source_file = models.CharField(_("来源文件"), max_length=255, blank=True)
    note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ResponsibilityListQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["-year", "kind", "title", "-revision"]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        suffix = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.title}{suffix}"

    @property
    def is_locked(self) -> bool:
        return self.status != ListStatus.DRAFT

    @property
    def is_risk_list(self) -> bool:
        return self.kind == ListKind.RISK


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Items a user may read: all for staff/inspectors; else published items assigned within their scope
        or led by them (一岗双责)."""
        scope = scope_for(user)
        if scope.sees_all:
            return self
        reachable = Q(assignments__organisation__in=scope.org_ids) | Q(lead_leader__user=user)
        ids = Item.objects.filter(reachable, responsibility_list__status__in=[ListStatus.PUBLISHED, ListStatus.ARCHIVED]).values("pk")
        return self.filter(pk__in=ids)


class Item(models.Model):
    responsibility_list = models.ForeignKey(ResponsibilityList, on_delete=models.CASCADE, related_name="items",
                             verbose_name=_("清单"))
    position = models.PositiveIntegerField(_("顺序"))
    seq = models.CharField(_("序号"), max_length=20, blank=True)
    category = models.CharField(_("责任类别"), max_length=200, blank=True)
    content = models.TextField(_("责任内容"))
    tasks = models.TextField(_("具体任务"), blank=True)
    standard = models.TextField(_("完成标准"), blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True)
    lead_leader = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="led_items",
                                    verbose_name=_("牵头领导"))
    lead_leader_text = models.CharField(_("牵头领导（原文）"), max_length=100, blank=True)
    units_text = models.CharField(_("责任单位（原文）"), max_length=500, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="items",
                               verbose_name=_("责任人"))
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=200, blank=True)
    frequency = models.CharField(_("频次"), max_length=20, choices=Frequency.choices)
    due_dates = models.JSONField(_("截止日期"), default=list, blank=True)
    final_due_on = models.DateField(_("最终截止日期"), null=True, blank=True)
    source_row = models.PositiveIntegerField(_("Excel 行号"), null=True, blank=True)
    # 廉政风险防控清单
    risk_category = models.CharField(_("风险类别"), max_length=100, blank=True)
    risk_point = models.CharField(_("风险点"), max_length=200, blank=True)
    risk_manifestation = models.TextField(_("主要内容及表现形式"), blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices, blank=True)
    department_head = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="risk_items", verbose_name=_("部门负责人"))

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["responsibility_list", "position"]
        constraints = [models.UniqueConstraint(fields=["responsibility_list", "position"], name="unique_item_position")]

    def __str__(self):
        return f"{self.seq} {self.content}".strip()

    def _locked_lists(self) -> set[int]:
        """The lists this save touches that are no longer drafts: the one it goes to and, for an existing item,
        the one it is stored in (an item cannot be moved out of a published list either)."""
        touched = {self.responsibility_list_id}
        if self.pk:
            touched |= set(Item.objects.filter(pk=self.pk).values_list("responsibility_list_id", flat=True))
        return set(ResponsibilityList.objects.filter(pk__in=touched).exclude(status=ListStatus.DRAFT)
                   .values_list("pk", flat=True))

    def save(self, *args, **kwargs):
        # A published or archived list is locked: corrections go into a new revision.
        if self._locked_lists():
            raise ValidationError(_("清单已发布，事项不能修改；请创建修订版本。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._locked_lists():
            raise ValidationError(_("清单已发布，事项不能删除。"))
        return super().delete(*args, **kwargs)

    def is_due_in(self, year: int, month: int) -> bool:
        """Whether a monthly report for year-month carries this item (needs responsibility_list loaded).

        Monthly and ongoing items every month of the list's year; quarterly in each quarter's last month;
        half-yearly in June and December; yearly and one-off items in the month of their due date;
        立行立改 items in the month the list was published."""
        freq, rlist = self.frequency, self.responsibility_list
        if freq in (Frequency.YEARLY, Frequency.ONCE):
            due = self.final_due_on
            return due is not None and (due.year, due.month) == (year, month)
        if rlist.year != year:
            return False
        if freq in (Frequency.MONTHLY, Frequency.ONGOING):
            return True
        if freq == Frequency.QUARTERLY:
            return month % 3 == 0
        if freq == Frequency.HALF_YEARLY:
            return month in (6, 12)
        if freq == Frequency.IMMEDIATE:
            published = rlist.published_at
            return published is not None and (published.year, published.month) == (year, month)
        return False

    @property
    def due_date_list(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(d) for d in self.due_dates]


class ItemUnit(models.Model):
    """A responsible organisation as the list names it (group names already expanded)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="units", verbose_name=_("事项"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("责任单位"))
    is_lead = models.BooleanField(_("牵头"), default=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "organisation"], name="unique_item_unit")]


class AssignmentQuerySet(ScopedQuerySet):
    scope_path = "organisation"

    def live(self):
        return self.filter(is_active=True, item__responsibility_list__status=ListStatus.PUBLISHED)


class Assignment(models.Model):
    """An item made an organisation's work when its list is published; monthly reports are generated from these."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("事项"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assignments",
                                     verbose_name=_("责任单位"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments",
                               verbose_name=_("责任人"))
    is_lead = models.BooleanField(_("牵头"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["item__position", "organisation__sort_order"]
        constraints = [models.UniqueConstraint(fields=["item", "organisation"], name="unique_assignment")]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self):
        return f"{self.item} → {self.organisation}"
