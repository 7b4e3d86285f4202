"""Celery: scoring a large agency in the background (thin: claims the job, calls the service)."""
from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ops import outbox

from .models import Scheme, SchemeStatus


def waiting_key(scheme_id: int) -> str:
    return f"assessment:{scheme_id}"


def compute_waiting(scheme: Scheme) -> bool:
    """True while a queued scoring has not reached the broker (the page says it starts when the queue is back)."""
    return scheme.progress is not None and outbox.is_waiting(waiting_key(scheme.pk))


@transaction.atomic
def compute_in_background(*, scheme: Scheme, actor) -> None:
    """Queue the scoring; the scheme shows 排队中 until the worker takes it. One job at a time per scheme."""
    from .services import _require_manager

    _require_manager(actor)
    claimed = Scheme.objects.filter(pk=scheme.pk, progress__isnull=True,
                                    status__in=[SchemeStatus.DRAFT, SchemeStatus.COMPUTED]).update(
        progress=0, stage=_("排队中"))
    if not claimed:
        raise ValidationError(_("计分已在进行中，或考核已公示、定档。"))
    # Through the outbox: with the broker down the job waits for the sweep instead of failing the request.
    outbox.enqueue("assessment.compute", args=[scheme.pk, actor.pk], key=waiting_key(scheme.pk))


def scheme_progress(scheme_id: int):
    """A callback writing each stage to the scheme (the page reads it): one UPDATE per stage, never after the job
    was finished or cancelled (progress cleared)."""
    def report(percent: int, stage: str) -> None:
        Scheme.objects.filter(pk=scheme_id, progress__isnull=False).update(progress=percent, stage=str(stage)[:100])
    return report


@shared_task(name="assessment.compute", acks_late=True)
def compute_assessment(scheme_id: int, actor_id: int) -> int:
    from .services import assessment_compute

    scheme = Scheme.objects.get(pk=scheme_id)
    actor = get_user_model().objects.get(pk=actor_id)
    report = scheme_progress(scheme_id)
    report(5, _("开始计分"))
    try:
        return assessment_compute(scheme=scheme, actor=actor, progress=report)
    except ValidationError as exc:
        Scheme.objects.filter(pk=scheme_id).update(progress=None, stage=_("计分失败：") + "；".join(exc.messages)[:80])
        return 0
