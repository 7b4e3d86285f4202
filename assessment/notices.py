"""Who hears of each assessment step the moment it is recorded (notifications.events.notify, in the step's
transaction): each assessed unit's 书记/负责人 when results are published and when they are final; the 党务工作人员
when a unit objects; the unit when its objection is answered."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import notify
from notifications.models import Kind
from notifications.recipients import Directory

from .models import Result


def _results(scheme):
    return Result.objects.filter(scheme=scheme, is_active=True).select_related("organisation")


def assessment_published(scheme, actor) -> None:
    people = Directory()
    for result in _results(scheme):
        notify(subject=result, key=f"published:{scheme.published_at:%Y%m%d%H%M%S}", actor=actor,
               kind=Kind.ASSESSMENT, recipients=people.leaders(result.organisation_id),
               organisation_id=result.organisation_id, link=reverse("assessment:result", args=[result.pk]),
               title=_("%(year)s年度考核结果公示：%(org)s第 %(rank)s 名") % {
                   "year": scheme.year, "org": result.organisation.name, "rank": result.rank or "—"},
               body=_("请查看本单位评分表；如有异议，请于%(date)s前提出。") % {"date": f"{scheme.objection_until:%Y年%m月%d日}"})


def assessment_finalised(scheme, actor) -> None:
    people = Directory()
    for result in _results(scheme):
        notify(subject=result, key="finalised", actor=actor, kind=Kind.ASSESSMENT,
               recipients=people.leaders(result.organisation_id), organisation_id=result.organisation_id,
               link=reverse("assessment:result", args=[result.pk]),
               title=_("%(year)s年度考核已定档：%(org)s %(grade)s") % {
                   "year": scheme.year, "org": result.organisation.name,
                   "grade": result.get_grade_display() or "—"})


def objection_raised(objection, actor) -> None:
    result = objection.result
    notify(subject=objection, key="raised", actor=actor, kind=Kind.ASSESSMENT, recipients=Directory().staff,
           organisation_id=result.organisation_id, link=reverse("assessment:result", args=[result.pk]),
           title=_("%(org)s对%(year)s年度考核结果提出异议，请答复") % {
               "org": result.organisation.name, "year": result.scheme.year}, body=objection.text)


def objection_answered(objection, actor) -> None:
    result = objection.result
    notify(subject=objection, key="answered", actor=actor, kind=Kind.ASSESSMENT, recipients=[objection.raised_by],
           organisation_id=result.organisation_id, link=reverse("assessment:result", args=[result.pk]),
           title=_("%(year)s年度考核异议已答复") % {"year": result.scheme.year}, body=objection.answer)
