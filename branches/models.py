"""The organisation tree, people and their posts, 分管, and committee terms (换届)."""
import datetime
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PARTY_GROUP = "party_group", _("党组")
    PARTY_COMMITTEE = "party_committee", _("党委")
    ORGAN_COMMITTEE = "organ_committee", _("机关党委")
    ORGAN_DISCIPLINE = "organ_discipline", _("机关纪委")
    DISCIPLINE_GROUP = "discipline_group", _("派驻纪检监察组")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    DEPARTMENT = "department", _("科室")
    SUBORDINATE_UNIT = "subordinate_unit", _("局属单位")


# Elected committees with a term (党组 is appointed; 纪检监察组 is sent by the city's 纪委).
TERM_YEARS = {
    OrgKind.PARTY_COMMITTEE: 5,
    OrgKind.ORGAN_COMMITTEE: 5,
    OrgKind.ORGAN_DISCIPLINE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
}
PARTY_ORG_KINDS = frozenset(TERM_YEARS) | {OrgKind.PARTY_GROUP}
UNIT_KINDS = frozenset({OrgKind.DEPARTMENT, OrgKind.SUBORDINATE_UNIT})
ALIAS_SPLIT = re.compile(r"[\n\r,，、;；/|]+")


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    aliases = models.TextField(_("别名"), blank=True, help_text=_("导入 Excel 时用于匹配名称；每行一个，或用“、”分隔。"))
    kind = models.CharField(_("类别"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级组织")
    )
    covers = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="covered_by", verbose_name=_("所辖科室/单位"),
        # A fixed order (as in 0001_initial): a frozenset's order changes from run to run, and
        # makemigrations would then write a new migration every time.
        limit_choices_to={"kind__in": sorted(UNIT_KINDS, reverse=True)},
        help_text=_("党组织覆盖的科室或局属单位。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)
    established_on = models.DateField(_("成立时间"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["parent", "sort_order"])]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in ALIAS_SPLIT.split(self.aliases or "") if a.strip()]

    @property
    def is_party_organisation(self) -> bool:
        return self.kind in PARTY_ORG_KINDS

    @property
    def has_term(self) -> bool:
        return self.kind in TERM_YEARS

    @property
    def default_term_years(self) -> int | None:
        return TERM_YEARS.get(self.kind)

    def clean(self):
        node, seen = self.parent, {self.pk}
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("上级组织不能是自身或其下级组织。")})
            seen.add(node.pk)
            node = node.parent


class Person(models.Model):
    """Someone who holds a post; a login account is linked when the system administrator creates one."""

    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("行政职务"), max_length=50, blank=True, help_text=_("如 局长、副局长、科长。"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person",
        verbose_name=_("登录账号"),
    )
    is_active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    DISCIPLINE_MEMBER = "discipline_member", _("纪检委员")
    ORGANISATION_MEMBER = "organisation_member", _("组织委员")
    PROPAGANDA_MEMBER = "propaganda_member", _("宣传委员")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    DEPARTMENT_HEAD = "department_head", _("科室负责人")
    HEAD = "head", _("负责人")
    STAFF = "staff", _("工作人员")
    MEMBER = "member", _("党员")


# Posts that run an organisation: they submit its reports and see its subtree.
LEADING_POSTS = frozenset({PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY, PostKind.DEPARTMENT_HEAD, PostKind.HEAD})


class PostQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_active=True, person__is_active=True)


class Post(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts", verbose_name=_("人员"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="posts", verbose_name=_("组织")
    )
    kind = models.CharField(_("职务"), max_length=30, choices=PostKind.choices)
    title = models.CharField(_("职务名称"), max_length=50, blank=True, help_text=_("如 组长、专职副书记、干事。"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("现任"), default=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["organisation__sort_order", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "kind"], name="unique_post"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.display_title} · {self.person}"

    @property
    def display_title(self):
        return self.title or self.get_kind_display()


class Supervision(models.Model):
    """分管: a leadership member answers for the party work of the units they supervise (一岗双责)."""

    leader = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("分管领导"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("分管单位")
    )

    class Meta:
        verbose_name = _("分管关系")
        verbose_name_plural = _("分管关系")
        ordering = ["leader__name", "organisation__sort_order"]
        constraints = [models.UniqueConstraint(fields=["leader", "organisation"], name="unique_supervision")]

    def __str__(self):
        return f"{self.leader} 分管 {self.organisation}"


class CommitteeTermQuerySet(models.QuerySet):
    def current(self):
        """The latest term of each organisation."""
        later = CommitteeTerm.objects.filter(organisation=models.OuterRef("organisation"),
                                             elected_on__gt=models.OuterRef("elected_on"))
        return self.filter(~models.Exists(later))

    def with_end(self):
        """Annotate `ends`: the approved postponement if any, else the normal expiry."""
        return self.annotate(ends=Coalesce("postponed_to", "expires_on"))

    def expiring(self, today: datetime.date, within_days: int = 180):
        """Current terms already ended or ending within the window, soonest first (a postponement counts)."""
        return (self.current().with_end().filter(ends__lte=today + datetime.timedelta(days=within_days))
                .order_by("ends"))


class CommitteeTerm(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="terms", verbose_name=_("党组织"),
        limit_choices_to={"kind__in": list(TERM_YEARS)},
    )
    elected_on = models.DateField(_("选举日期"))
    years = models.PositiveSmallIntegerField(_("任期（年）"), blank=True, help_text=_("留空按组织类别取默认值：党支部、党总支 3 年，党委 5 年。"))
    expires_on = models.DateField(_("届满日期"), editable=False)
    postponed_to = models.DateField(_("延期至"), null=True, blank=True, help_text=_("经批准延期换届的，最长一年。"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = CommitteeTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("委员会任期")
        verbose_name_plural = _("委员会任期")
        ordering = ["organisation__sort_order", "-elected_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "elected_on"], name="unique_term_start"),
            models.CheckConstraint(condition=Q(years__gte=1) & Q(years__lte=10), name="term_years_range"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.elected_on:%Y-%m-%d}—{self.expires_on:%Y-%m-%d}"

    @property
    def ends_on(self) -> datetime.date:
        return self.postponed_to or self.expires_on

    def days_left(self, today: datetime.date) -> int:
        return (self.ends_on - today).days

    def is_expired(self, today: datetime.date) -> bool:
        return self.ends_on < today

    def clean(self):
        if not self.years and self.organisation_id:
            self.years = self.organisation.default_term_years or 3
        if self.organisation_id and not self.organisation.has_term:
            raise ValidationError({"organisation": _("只有经选举产生的党组织才有委员会任期。")})
        if self.postponed_to and self.elected_on and self.years:
            expires = self.elected_on + relativedelta(years=self.years)
            if self.postponed_to <= expires or self.postponed_to > expires + relativedelta(years=1):
                raise ValidationError({"postponed_to": _("延期日期应在届满之后一年以内。")})

    def save(self, *args, **kwargs):
        if not self.years and self.organisation_id:
            self.years = self.organisation.default_term_years or 3
        self.expires_on = self.elected_on + relativedelta(years=self.years)
        super().save(*args, **kwargs)
