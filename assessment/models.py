"""评责: the year's assessment scheme (考核方案), its indicators, the units' scores and results, votes and objections."""
from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from common.files import PrivateStorage

from .rules import Rule, describe

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMPUTED = "computed", _("已计分")
    PUBLISHED = "published", _("公示中")
    FINAL = "final", _("已定档")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR]


AUTOMATIC_RULES = frozenset({Rule.REPORTS_ON_TIME, Rule.ITEMS_DONE, Rule.MEASURES_ON_TIME, Rule.ORGLIFE, Rule.TERMS,
                             Rule.INSTRUCTIONS_ON_TIME})
# Indicators whose 分值 make up the scheme's total (bonus and veto items sit outside it).
BASE_RULES = AUTOMATIC_RULES | {Rule.MANUAL, Rule.VOTES}
# Rules a reviewer enters a score for.
ENTERED_RULES = frozenset({Rule.MANUAL, Rule.BONUS})


class SchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and inspectors see every scheme; others only those in 公示 or final."""
        from branches.scope import scope_for

        if scope_for(user).sees_all:
            return self
        return self.filter(status__in=[SchemeStatus.PUBLISHED, SchemeStatus.FINAL])


class Scheme(models.Model):
    """One year's 考核方案 and the assessment run on it (draft → computed → 公示 → final)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("方案名称"), max_length=200)
    total_points = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=Decimal("100"))
    units_text = models.CharField(_("考核对象"), max_length=300, default="各党支部",
                                  help_text=_("如“各党支部”“局属各单位”，多个用“、”分隔，与清单的责任单位写法相同。"))
    status = models.CharField(_("状态"), max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    objection_days = models.PositiveSmallIntegerField(_("异议期（天）"), default=5,
                                                      validators=[MinValueValidator(1), MaxValueValidator(60)])
    excellent_min = models.DecimalField(_("优秀分数线"), max_digits=6, decimal_places=2, default=Decimal("90"))
    good_min = models.DecimalField(_("良好分数线"), max_digits=6, decimal_places=2, default=Decimal("80"))
    fair_min = models.DecimalField(_("一般分数线"), max_digits=6, decimal_places=2, default=Decimal("60"))
    excellent_share = models.DecimalField(_("优秀比例上限（%）"), max_digits=5, decimal_places=2, null=True,
                                          blank=True, validators=PERCENT, help_text=_("留空不限。"))
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=6, decimal_places=2, default=Decimal("5"))
    weight_good = models.DecimalField(_("“好”折算分"), max_digits=5, decimal_places=2, default=Decimal("100"),
                                      validators=PERCENT)
    weight_fairly_good = models.DecimalField(_("“较好”折算分"), max_digits=5, decimal_places=2,
                                             default=Decimal("80"), validators=PERCENT)
    weight_average = models.DecimalField(_("“一般”折算分"), max_digits=5, decimal_places=2, default=Decimal("60"),
                                         validators=PERCENT)
    weight_poor = models.DecimalField(_("“差”折算分"), max_digits=5, decimal_places=2, default=Decimal("0"),
                                      validators=PERCENT)
    computed_at = models.DateTimeField(_("计分时间"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("计分进度（%）"), null=True, blank=True,
                                                help_text=_("后台计分进行中时的进度；空表示没有进行中的计分。"))
    stage = models.CharField(_("计分步骤"), max_length=100, blank=True)
    as_of = models.DateField(_("数据截至"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    objection_until = models.DateField(_("异议截止日期"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("定档时间"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("定档人"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == SchemeStatus.FINAL

    @property
    def is_published(self) -> bool:
        return self.status in (SchemeStatus.PUBLISHED, SchemeStatus.FINAL)

    @property
    def weights(self) -> dict[str, Decimal]:
        return {"good": self.weight_good, "fairly_good": self.weight_fairly_good, "average": self.weight_average,
                "poor": self.weight_poor}

    def objection_open(self, today: datetime.date) -> bool:
        return self.status == SchemeStatus.PUBLISHED and self.objection_until is not None and today <= self.objection_until

    def clean(self):
        if not (self.fair_min <= self.good_min <= self.excellent_min <= self.total_points):
            raise ValidationError(_("分数线应满足：一般 ≤ 良好 ≤ 优秀 ≤ 总分。"))


class IndicatorQuerySet(models.QuerySet):
    def base(self):
        return self.filter(rule__in=list(BASE_RULES))


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("考核方案"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    category = models.CharField(_("考核类别"), max_length=100)
    name = models.CharField(_("考核指标"), max_length=200)
    content = models.TextField(_("考核内容"), blank=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2,
                                 help_text=_("加分项为该项加分上限；一票否决项填 0。"))
    rule = models.CharField(_("评分方式"), max_length=30, choices=Rule.choices)
    deduction = models.DecimalField(
        _("每次扣分"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("自动指标：留空按比例计分（比率×分值）；填写则每迟报、未报、未完成一次扣此分，扣完为止。"))
    cap_grade = models.CharField(_("否决后最高等次"), max_length=20, choices=Grade.choices, blank=True,
                                 help_text=_("一票否决项：触发后最高只能评为此等次，如“良好”即不得评为优秀。"))

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "position", "id"]

    def __str__(self):
        return f"{self.category} · {self.name}"

    @property
    def is_automatic(self) -> bool:
        return self.rule in AUTOMATIC_RULES

    @property
    def standard(self) -> str:
        """评分标准 in words, from the rule and its figures."""
        return describe(self)


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and inspectors: every result. After 公示: 分管领导 the units in their scope, a secretary or head
        only the units they lead. Before 公示 nobody else sees anything."""
        from branches.scope import DerivedRole, scope_for

        scope = scope_for(user)
        if scope.sees_all:
            return self
        published = self.filter(scheme__status__in=[SchemeStatus.PUBLISHED, SchemeStatus.FINAL])
        own = set(scope.led_org_ids)
        if scope.has_role(DerivedRole.LEADER):
            own |= scope.org_ids
        return published.filter(organisation__in=own)


class FinalResult(ValidationError):
    """A final result and its scores are frozen."""


class Result(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="results", verbose_name=_("考核方案"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessment_results",
                                     verbose_name=_("考核对象"))
    base_score = models.DecimalField(_("基本分"), max_digits=7, decimal_places=2, default=Decimal("0"))
    bonus = models.DecimalField(_("加分"), max_digits=7, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, default=Decimal("0"))
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, blank=True)
    grade_note = models.CharField(_("备注"), max_length=300, blank=True)
    is_active = models.BooleanField(_("在考核范围内"), default=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["scheme", "rank", "organisation__sort_order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "organisation"], name="unique_assessment_result")]

    def __str__(self):
        return f"{self.scheme.year} {self.organisation}"

    def save(self, *args, **kwargs):
        if self.pk and Scheme.objects.filter(pk=self.scheme_id, status=SchemeStatus.FINAL).exists():
            raise FinalResult(_("考核结果已定档，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Scheme.objects.filter(pk=self.scheme_id, status=SchemeStatus.FINAL).exists():
            raise FinalResult(_("考核结果已定档，不能修改。"))
        return super().delete(*args, **kwargs)


class Score(models.Model):
    """One unit's points on one indicator: the figure counted, what the rule gave, and what a reviewer set."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores", verbose_name=_("考核结果"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores",
                                  verbose_name=_("考核指标"))
    figure = models.JSONField(_("统计数据"), default=dict, blank=True)
    computed = models.DecimalField(_("计算得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    entered = models.DecimalField(_("评定得分"), max_digits=7, decimal_places=2, null=True, blank=True,
                                  help_text=_("评分项的评分，或对自动得分的调整。"))
    triggered = models.BooleanField(_("触发否决"), default=False)
    reason = models.TextField(_("评分说明"), blank=True)
    points = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["result", "indicator__position", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["result", "indicator"], name="unique_indicator_score")]

    def __str__(self):
        return f"{self.result} · {self.indicator.name}"

    def save(self, *args, **kwargs):
        if Result.objects.filter(pk=self.result_id, scheme__status=SchemeStatus.FINAL).exists():
            raise FinalResult(_("考核结果已定档，不能修改。"))
        super().save(*args, **kwargs)

    @property
    def effective(self) -> Decimal | None:
        return self.entered if self.entered is not None else self.computed

    @property
    def deducted(self) -> Decimal:
        if self.indicator.rule in (Rule.BONUS, Rule.VETO):
            return Decimal("0")
        return max(Decimal("0"), self.indicator.points - self.points)


def _evidence_path(instance, filename):
    return f"{timezone.localdate():%Y}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ScoreChange(models.Model):
    """A reviewer's score, adjustment, bonus or veto: the reasoned history of a Score."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes", verbose_name=_("指标得分"))
    before = models.DecimalField(_("调整前"), max_digits=7, decimal_places=2, null=True, blank=True)
    after = models.DecimalField(_("调整后"), max_digits=7, decimal_places=2, null=True, blank=True)
    triggered = models.BooleanField(_("触发否决"), default=False)
    reason = models.TextField(_("理由"))
    evidence = models.FileField(_("依据材料"), upload_to=_evidence_path, storage=PrivateStorage("assessment"),
                                max_length=200, blank=True)
    evidence_name = models.CharField(_("材料文件名"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("评分记录")
        verbose_name_plural = _("评分记录")
        ordering = ["score", "at", "id"]

    def __str__(self):
        return f"{self.score} {self.before} → {self.after}"


class Vote(models.Model):
    """述职评议 / 民主测评 for one unit: how many voted, and how many chose each option."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="votes", verbose_name=_("考核方案"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("考核对象"))
    voters = models.PositiveIntegerField(_("参评人数"))
    good = models.PositiveIntegerField(_("好"), default=0)
    fairly_good = models.PositiveIntegerField(_("较好"), default=0)
    average = models.PositiveIntegerField(_("一般"), default=0)
    poor = models.PositiveIntegerField(_("差"), default=0)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("述职评议票数")
        verbose_name_plural = _("述职评议票数")
        ordering = ["scheme", "organisation__sort_order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "organisation"], name="unique_vote_row")]

    def __str__(self):
        return f"{self.scheme.year} {self.organisation}"

    @property
    def cast(self) -> int:
        return self.good + self.fairly_good + self.average + self.poor

    @property
    def good_rate(self) -> Decimal | None:
        """好和较好率 in percent."""
        return (Decimal(100 * (self.good + self.fairly_good)) / self.cast).quantize(Decimal("0.01")) if self.cast else None

    def clean(self):
        if self.cast > self.voters:
            raise ValidationError(_("各档票数之和（%(cast)s）超过参评人数（%(voters)s）。")
                                  % {"cast": self.cast, "voters": self.voters})


class Objection(models.Model):
    """异议 raised by a unit during 公示, answered by the reviewer."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="objections", verbose_name=_("考核结果"))
    text = models.TextField(_("异议内容"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("提出人"))
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核异议")
        verbose_name_plural = _("考核异议")
        ordering = ["result", "raised_at", "id"]

    def __str__(self):
        return f"{self.result} 异议"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class SchemeEvent(models.Model):
    """The assessment's timeline: computed, published, finalised, copied (who, when, comment)."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建")
        COPIED = "copied", _("复制自上年方案")
        COMPUTED = "computed", _("计分")
        PUBLISHED = "published", _("公示")
        FINALISED = "finalised", _("定档")
        VOTES = "votes", _("录入测评票数")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="events", verbose_name=_("考核方案"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核记录")
        verbose_name_plural = _("考核记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.scheme} {self.get_action_display()}"
