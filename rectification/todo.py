"""Rectification measures in the to-do inbox (to update, to review for 销号) and in the calendar feed (due dates)."""
from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import scope_for
from common.todo import Deadline, Todo

from .models import Measure, MeasureKind
from .services import OPEN_STATES, reviewable_measures


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _to_update(user):
    """Open measures (not 长期坚持) of the departments the user runs, or naming them as 责任人."""
    person = getattr(user, "person", None)
    responsible = Q(units__organisation__in=scope_for(user).led_org_ids)
    if person is not None:
        responsible |= Q(person=person)
    return Measure.objects.filter(responsible, state__in=OPEN_STATES).exclude(kind=MeasureKind.LONG_TERM).distinct()


def measure_todos(user, today: datetime.date):
    for measure in _to_update(user).select_related("problem__batch").order_by("due_on", "id"):
        yield Todo(_("待报送进展的整改措施"), _short(measure.text), reverse("rectification:measure", args=[measure.pk]),
                   order=20, due_on=measure.due_on, overdue_days=measure.days_overdue(today),
                   note=measure.problem.batch.title)
    waiting = reviewable_measures(user).select_related("problem__batch").order_by("closure_requested_at", "id")
    for measure in waiting:
        yield Todo(_("待审核销号的整改措施"), _short(measure.text), reverse("rectification:measure", args=[measure.pk]),
                   order=21, note=measure.problem.batch.title)


def measure_todo_count(user, today: datetime.date) -> int:
    return _to_update(user).count() + reviewable_measures(user).count()


def measure_deadlines(user, start: datetime.date, end: datetime.date):
    measures = (Measure.objects.visible_to(user)
                .filter(due_on__gte=start, due_on__lte=end, state__in=OPEN_STATES)
                .exclude(kind=MeasureKind.LONG_TERM).select_related("problem__batch").order_by("due_on", "id"))
    for measure in measures:
        yield Deadline(f"measure-{measure.pk}", f"整改期限：{_short(measure.text)}", measure.due_on,
                       reverse("rectification:measure", args=[measure.pk]),
                       f"{measure.problem.batch.title}\n责任部门：{measure.units_text}\n{measure.text}")
