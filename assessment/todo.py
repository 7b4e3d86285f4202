"""The annual assessment in the to-do inbox: objections waiting for the 考核组's answer, and a unit's own scoring
sheet while it is in 公示 (the unit may check it and object until the window closes)."""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import scope_for
from common.todo import Todo

from .models import Objection, Result, SchemeStatus
from .services import can_manage


def _objections_to_answer(user):
    if not can_manage(user):
        return Objection.objects.none()
    return Objection.objects.filter(answered_at__isnull=True, result__scheme__status=SchemeStatus.PUBLISHED)


def _sheets_in_publicity(user, today: datetime.date):
    """The results of the units the user runs while their 公示 window is open."""
    led = scope_for(user).led_org_ids
    if not led:
        return Result.objects.none()
    return Result.objects.visible_to(user).filter(organisation__in=led, is_active=True,
                                                  scheme__status=SchemeStatus.PUBLISHED,
                                                  scheme__objection_until__gte=today)


def assessment_todos(user, today: datetime.date):
    waiting = (_objections_to_answer(user).select_related("result__organisation", "result__scheme")
               .order_by("raised_at", "id"))
    for objection in waiting:
        result = objection.result
        yield Todo(_("待答复的考核异议"), _("%(org)s对%(year)s年度考核结果的异议") % {
            "org": result.organisation.name, "year": result.scheme.year},
            reverse("assessment:result", args=[result.pk]), order=50,
            note=objection.text if len(objection.text) <= 60 else objection.text[:60] + "…")
    published = (_sheets_in_publicity(user, today).select_related("organisation", "scheme")
                 .order_by("scheme__year", "organisation__sort_order"))
    for result in published:
        until = result.scheme.objection_until
        yield Todo(_("公示中的考核结果"), _("%(org)s %(year)s年度考核评分表") % {
            "org": result.organisation.name, "year": result.scheme.year},
            reverse("assessment:result", args=[result.pk]), order=51, due_on=until,
            note=_("第 %(rank)s 名，%(grade)s；如有异议请于 %(date)s 前提出") % {
                "rank": result.rank or "—", "grade": result.get_grade_display() or "—",
                "date": f"{until:%Y-%m-%d}"})


def assessment_todo_count(user, today: datetime.date) -> int:
    return _objections_to_answer(user).count() + _sheets_in_publicity(user, today).count()
