"""What people do with an assessment: keep the scheme, compute, score, enter votes, publish, object, finalise.

Transitions claim the scheme with a conditional UPDATE on its status, so two reviewers pressing the same button
produce one transition; each is recorded as a SchemeEvent in the same transaction."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from branches.scope import scope_for
from common.audit import audit_transition
from common.files import validate_evidence

from . import notices
from .computing import TIE_RULE, assessed_units, compute_scores, default_as_of, results_refresh  # noqa: F401
from .models import ENTERED_RULES, Indicator, Objection, Result, Rule, Scheme, SchemeEvent, SchemeStatus, Score, \
    ScoreChange, Vote
from .rules import q

COMPUTABLE = (SchemeStatus.DRAFT, SchemeStatus.COMPUTED)
ADJUSTABLE = (SchemeStatus.COMPUTED, SchemeStatus.PUBLISHED)


def can_manage(user) -> bool:
    """党务工作人员 keep the scheme and review the scores (and superusers, for break-glass)."""
    return bool(user.is_authenticated and (user.is_superuser or scope_for(user).has_role(Role.STAFF)))


def _require_manager(user):
    if not can_manage(user):
        raise PermissionDenied(_("只有党务工作人员可以管理年度考核。"))


def _claim(scheme: Scheme, allowed, **changes) -> None:
    """Move the scheme on only if it is still in one of `allowed` states (a conditional UPDATE)."""
    if not Scheme.objects.filter(pk=scheme.pk, status__in=list(allowed)).update(**changes):
        scheme.refresh_from_db()
        raise ValidationError(_("考核当前为“%(status)s”，不能进行此操作。") % {"status": scheme.get_status_display()})
    for name, value in changes.items():
        setattr(scheme, name, value)


def _event(scheme, action, actor, comment=""):
    SchemeEvent.objects.create(scheme=scheme, action=action, actor=actor, comment=comment)


# ---------------------------------------------------------------- the scheme

@transaction.atomic
def scheme_copy(*, source: Scheme, year: int, actor) -> Scheme:
    """A new year's scheme with last year's indicators and settings, as a draft."""
    _require_manager(actor)
    if Scheme.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s年度的考核方案已存在。") % {"year": year})
    indicators = list(source.indicators.all())
    new = Scheme.objects.get(pk=source.pk)
    new.pk, new.year, new.status, new.created_by = None, year, SchemeStatus.DRAFT, actor
    new.title = source.title.replace(str(source.year), str(year)) if str(source.year) in source.title else \
        f"{year}年度{source.title}"
    for name in ("computed_at", "as_of", "published_at", "objection_until", "finalised_at", "finalised_by",
                 "progress"):
        setattr(new, name, None)
    new.stage = ""
    new.save()
    for ind in indicators:
        ind.pk, ind.scheme = None, new
    Indicator.objects.bulk_create(indicators)
    _event(new, SchemeEvent.Action.COPIED, actor, _("复制自%(title)s") % {"title": source.title})
    return new


def _lock(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update().get(pk=scheme.pk)


# ---------------------------------------------------------------- scores

@transaction.atomic
def assessment_compute(*, scheme: Scheme, actor, as_of: datetime.date | None = None, progress=None) -> int:
    """Score every assessed unit from the year's data up to `as_of` (default today, at most 31 December).

    Allowed until 公示; reviewer scores, adjustments and vetoes are kept. Returns the number of units."""
    _require_manager(actor)
    scheme = _lock(scheme)
    if scheme.status not in COMPUTABLE:
        raise ValidationError(_("考核已公示或定档，不能重新计分。"))
    as_of = as_of or default_as_of(scheme)
    count = compute_scores(scheme, as_of=as_of, progress=progress)
    before = scheme.status
    _claim(scheme, COMPUTABLE, status=SchemeStatus.COMPUTED, computed_at=timezone.now(), as_of=as_of,
           progress=None, stage="")
    comment = _("数据截至%(date)s，%(count)s个考核对象") % {"date": as_of.isoformat(), "count": count}
    _event(scheme, SchemeEvent.Action.COMPUTED, actor, comment)
    audit_transition(scheme, actor=actor, before=before, after=SchemeStatus.COMPUTED, comment=comment)
    return count


def _parse_points(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return q(Decimal(str(value)))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("得分应为数字。")) from exc


@transaction.atomic
def score_set(*, score: Score, actor, points=None, reason: str, triggered: bool | None = None,
              evidence=None) -> Score:
    """A reviewer's score (评分项, 加分项), adjustment of an automatic score, or veto — with a reason, audited.

    `points` None on an automatic indicator clears an earlier adjustment (the computed score applies again)."""
    _require_manager(actor)
    scheme = _lock(score.result.scheme)
    if scheme.status == SchemeStatus.FINAL:
        raise ValidationError(_("考核结果已定档，不能修改。"))
    if scheme.status not in ADJUSTABLE:
        raise ValidationError(_("请先计分，再评分或调整。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写评分或调整的理由。"))
    score = Score.objects.select_related("indicator", "result").get(pk=score.pk)
    indicator, before = score.indicator, score.points
    if evidence is not None:
        validate_evidence(evidence)
    if indicator.rule == Rule.VETO:
        if triggered is None:
            raise ValidationError(_("请选择是否触发一票否决。"))
        score.triggered, after = bool(triggered), None
    else:
        value = _parse_points(points)
        if value is None and indicator.rule in ENTERED_RULES:
            raise ValidationError(_("请填写得分。"))
        if value is not None and not (0 <= value <= indicator.points):
            raise ValidationError(_("得分应在 0～%(max)s 分之间。") % {"max": q(indicator.points)})
        score.entered = value
        effective = value if value is not None else score.computed
        score.points = q(effective) if effective is not None else Decimal("0")
        after = score.points
    score.reason = reason
    score.save(update_fields=["entered", "triggered", "reason", "points"])
    change = ScoreChange(score=score, before=before, after=after, triggered=score.triggered, reason=reason,
                         actor=actor)
    if evidence is not None:
        change.evidence = evidence
        change.evidence_name = evidence.name[:200]
    change.save()
    results_refresh(scheme)
    return score


# ---------------------------------------------------------------- votes

@transaction.atomic
def votes_save(*, scheme: Scheme, actor, rows, source: str = "") -> int:
    """Store 述职评议 votes: rows of (organisation, voters, good, fairly_good, average, poor). Every row is
    checked first; one bad row and nothing is stored. Recompute to score them."""
    _require_manager(actor)
    scheme = _lock(scheme)
    if scheme.status not in COMPUTABLE:
        raise ValidationError(_("考核已公示或定档，不能再录入测评票数。"))
    errors, votes = [], []
    for org, voters, good, fairly_good, average, poor in rows:
        vote = Vote(scheme=scheme, organisation=org, voters=voters, good=good, fairly_good=fairly_good,
                    average=average, poor=poor, source=source, entered_by=actor)
        try:
            vote.clean()
        except ValidationError as exc:
            errors.append(f"{org.name}：{' '.join(exc.messages)}")
        votes.append(vote)
    if errors:
        raise ValidationError(errors)
    for vote in votes:
        Vote.objects.update_or_create(scheme=scheme, organisation=vote.organisation, defaults={
            "voters": vote.voters, "good": vote.good, "fairly_good": vote.fairly_good, "average": vote.average,
            "poor": vote.poor, "source": source, "entered_by": actor})
    _event(scheme, SchemeEvent.Action.VOTES, actor, _("%(n)s个单位，%(source)s") % {"n": len(votes),
                                                                                "source": source or _("手工录入")})
    return len(votes)


# ---------------------------------------------------------------- 公示, objections, final

@transaction.atomic
def assessment_publish(*, scheme: Scheme, actor, today: datetime.date | None = None) -> None:
    """公示: units see their own sheet and rank, and may object until the window closes."""
    _require_manager(actor)
    today = today or timezone.localdate()
    pending = Score.objects.filter(result__scheme=scheme, result__is_active=True, indicator__rule=Rule.MANUAL,
                                   entered__isnull=True).count()
    if pending:
        raise ValidationError(_("还有 %(n)s 项评分未评定，不能公示。") % {"n": pending})
    until = today + datetime.timedelta(days=scheme.objection_days)
    _claim(scheme, (SchemeStatus.COMPUTED,), status=SchemeStatus.PUBLISHED, published_at=timezone.now(),
           objection_until=until)
    comment = _("异议截止%(date)s") % {"date": until.isoformat()}
    _event(scheme, SchemeEvent.Action.PUBLISHED, actor, comment)
    notices.assessment_published(scheme, actor)
    audit_transition(scheme, actor=actor, before=SchemeStatus.COMPUTED, after=SchemeStatus.PUBLISHED, comment=comment)


def can_object(user, result: Result) -> bool:
    return result.organisation_id in scope_for(user).led_org_ids


@transaction.atomic
def objection_raise(*, result: Result, actor, text: str, today: datetime.date | None = None) -> Objection:
    today = today or timezone.localdate()
    if not can_object(actor, result):
        raise PermissionDenied(_("只有本单位的书记或负责人可以提出异议。"))
    scheme = _lock(result.scheme)
    if scheme.status != SchemeStatus.PUBLISHED:
        raise ValidationError(_("考核结果不在公示期，不能提出异议。"))
    if not scheme.objection_open(today):
        raise ValidationError(_("异议期已于%(date)s截止，不能再提出异议。") % {"date": scheme.objection_until})
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写异议内容。"))
    objection = Objection.objects.create(result=result, text=text, raised_by=actor)
    notices.objection_raised(objection, actor)
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, actor, answer: str) -> Objection:
    _require_manager(actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("请填写答复内容。"))
    if objection.result.scheme.status == SchemeStatus.FINAL:
        raise ValidationError(_("考核结果已定档，不能修改。"))
    claimed = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        answer=answer, answered_by=actor, answered_at=timezone.now())
    if not claimed:
        raise ValidationError(_("该异议已答复。"))
    objection.refresh_from_db()
    notices.objection_answered(objection, actor)
    # An objection has no status field: its answer is the transition (unanswered → answered).
    audit_transition(objection, actor=actor, field="answer", before="", after=answer, comment=answer)
    return objection


@transaction.atomic
def assessment_finalise(*, scheme: Scheme, actor, today: datetime.date | None = None) -> None:
    """Final: after the objection window, with every objection answered. Scores and results freeze as they are."""
    _require_manager(actor)
    today = today or timezone.localdate()
    scheme = _lock(scheme)
    if scheme.status == SchemeStatus.PUBLISHED and scheme.objection_open(today):
        raise ValidationError(_("异议期至%(date)s，期满后才能定档。") % {"date": scheme.objection_until})
    open_objections = Objection.objects.filter(result__scheme=scheme, answered_at__isnull=True).count()
    if open_objections:
        raise ValidationError(_("还有 %(n)s 条异议未答复，不能定档。") % {"n": open_objections})
    _claim(scheme, (SchemeStatus.PUBLISHED,), status=SchemeStatus.FINAL, finalised_at=timezone.now(),
           finalised_by=actor)
    _event(scheme, SchemeEvent.Action.FINALISED, actor)
    notices.assessment_finalised(scheme, actor)
    audit_transition(scheme, actor=actor, before=SchemeStatus.PUBLISHED, after=SchemeStatus.FINAL)
