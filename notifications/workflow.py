"""Who hears of each monthly-report and rectification transition, as soon as it is recorded.

The workflow apps record every transition as a timeline row (ReportEvent, MeasureEvent) in the transaction that
makes it; the receivers here turn the new row into notifications through `events.notify`, in that same
transaction. The workflow apps therefore need not know about notifications (they sit below this app).
"""
from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.urls import reverse

from .events import notify
from .models import Kind, Level
from .recipients import Directory


def report_reviewers(people: Directory, org_id: int) -> list:
    """Who reviews this organisation's report under REPORT_REVIEWER; nobody reviews their own organisation's."""
    reviewer = settings.REPORT_REVIEWER
    if reviewer == "inspector":
        found = people.inspectors
    elif reviewer == "leader":
        found = people.supervisors(org_id)
    else:
        found = people.staff
    own = {u.pk for u in people.leaders(org_id)}
    return [u for u in found if u.pk not in own]


def on_report_event(sender, instance, created, raw=False, **kwargs):
    from reports.models import ReportEvent

    if not created or raw:
        return
    action = instance.action
    if action not in (ReportEvent.Action.SUBMITTED, ReportEvent.Action.RETURNED, ReportEvent.Action.ACCEPTED):
        return
    report = instance.report
    org = report.organisation
    people = Directory()
    name = f"{org.name}{report.year}年{report.month}月完成情况报告"
    common = {"subject": report, "key": f"report:{instance.pk}", "actor": instance.actor, "kind": Kind.REPORT,
              "link": reverse("reports:detail", args=[report.pk]), "organisation_id": org.pk}
    if action == ReportEvent.Action.SUBMITTED:
        late = f"（{instance.comment}）" if instance.comment else ""
        notify(recipients=report_reviewers(people, org.pk), title=f"{name}已提交，请审核{late}", **common)
    elif action == ReportEvent.Action.RETURNED:
        notify(recipients=people.leaders(org.pk), level=Level.YELLOW, title=f"{name}被驳回，请修改后重新提交",
               body=f"驳回原因：{instance.comment}", **common)
    else:
        notify(recipients=people.leaders(org.pk), title=f"{name}已审核通过", body=instance.comment, **common)


def _measure_side(measure, people: Directory) -> list:
    """The measure's responsible people: its 责任人, whoever asked for closure, and its departments' heads."""
    users = []
    if measure.person_id and measure.person.user_id:
        users.append(measure.person.user)
    from rectification.models import EventKind

    asked = measure.events.filter(kind=EventKind.CLOSURE_REQUESTED).select_related("actor").order_by("-id").first()
    if asked is not None:
        users.append(asked.actor)  # still told after a send-back, which clears closure_requested_by
    for unit in measure.units.all():
        users += people.leaders(unit.organisation_id)
    return users


def on_measure_event(sender, instance, created, raw=False, **kwargs):
    from rectification.models import EventKind, MeasureEvent
    from rectification.services import review_refusal

    if not created or raw:
        return
    kind = instance.kind
    if kind not in (EventKind.CLOSURE_REQUESTED, EventKind.STRUCK_OFF, EventKind.RETURNED):
        return
    measure = instance.measure
    if kind == EventKind.STRUCK_OFF and MeasureEvent.objects.filter(
            measure=measure, kind=EventKind.IMPORTED, created_at=instance.created_at).exists():
        return  # struck off in the imported ledger itself: nothing happened that anyone needs telling
    people = Directory()
    text = measure.text if len(measure.text) <= 40 else measure.text[:40] + "…"
    lead = measure.units.filter(is_lead=True).values_list("organisation_id", flat=True).first()
    common = {"subject": measure, "key": f"measure:{instance.pk}", "actor": instance.actor, "kind": Kind.MEASURE,
              "link": reverse("rectification:measure", args=[measure.pk]), "organisation_id": lead}
    if kind == EventKind.CLOSURE_REQUESTED:
        reviewers = [u for u in people.inspectors if review_refusal(u, measure) is None]
        notify(recipients=reviewers, title=f"整改措施“{text}”申请销号，请审核", body=instance.comment, **common)
    elif kind == EventKind.STRUCK_OFF:
        notify(recipients=_measure_side(measure, people), title=f"整改措施“{text}”已销号", body=instance.comment,
               **common)
    else:
        notify(recipients=_measure_side(measure, people), level=Level.YELLOW,
               title=f"整改措施“{text}”的销号申请被退回", body=f"退回理由：{instance.comment}", **common)


def connect() -> None:
    from rectification.models import MeasureEvent
    from reports.models import ReportEvent

    post_save.connect(on_report_event, sender=ReportEvent, dispatch_uid="notify_report_event")
    post_save.connect(on_measure_event, sender=MeasureEvent, dispatch_uid="notify_measure_event")
