"""Rectification measures in the to-do inbox (to update, to review for 销号) and in the calendar feed (due dates)."""
from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import scope_for
from common.todo import Deadline, Todo

from .models import Measure, MeasureKind, MeasureState
from .services import OPEN_STATES, review_refusal


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def measure_todos(user, today: datetime.date):
    scope = scope_for(user)
    person = getattr(user, "person", None)
    responsible = Q(units__organisation__in=scope.led_org_ids)
    if person is not None:
        responsible |= Q(person=person)
    mine = (Measure.objects.filter(responsible, state__in=OPEN_STATES).exclude(kind=MeasureKind.LONG_TERM)
            .select_related("problem__batch").distinct().order_by("due_on", "id"))
    for measure in mine:
        yield Todo(_("待报送进展的整改措施"), _short(measure.text), reverse("rectification:measure", args=[measure.pk]),
                   order=20, due_on=measure.due_on, overdue_days=measure.days_overdue(today),
                   note=measure.problem.batch.title)
    if scope.has_role("inspector"):
        waiting = (Measure.objects.visible_to(user).filter(state=MeasureState.AWAITING_REVIEW)
                   .select_related("problem__batch").prefetch_related("units").order_by("closure_requested_at", "id"))
        for measure in waiting:
            if review_refusal(user, measure) is None:
                yield Todo(_("待审核销号的整改措施"), _short(measure.text),
                           reverse("rectification:measure", args=[measure.pk]), order=21,
                           note=measure.problem.batch.title)


def measure_deadlines(user, start: datetime.date, end: datetime.date):
    measures = (Measure.objects.visible_to(user)
                .filter(due_on__gte=start, due_on__lte=end, state__in=OPEN_STATES)
                .exclude(kind=MeasureKind.LONG_TERM).select_related("problem__batch").order_by("due_on", "id"))
    for measure in measures:
        yield Deadline(f"measure-{measure.pk}", f"整改期限：{_short(measure.text)}", measure.due_on,
                       reverse("rectification:measure", args=[measure.pk]),
                       f"{measure.problem.batch.title}\n责任部门：{measure.units_text}\n{measure.text}")
