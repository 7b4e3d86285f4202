"""What users read of the rectification ledger, always through `Measure.objects.visible_to(user)`."""
from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import Http404

from branches.models import Organisation, Person
from branches.scope import visible_organisations

from .models import Batch, Evidence, Measure, MeasureEvent, MeasureStatus, MeasureUnit, Source


def measures(*, user, today: datetime.date, batch=None, source=None, department=None, unit="", leader=None,
             status=None, overdue=False):
    """The ledger rows the user may see, filtered, with `status` annotated, in ledger order."""
    rows = Measure.objects.visible_to(user).with_status(today)
    if batch:
        rows = rows.filter(problem__batch=batch)
    if source:
        rows = rows.filter(problem__batch__source=source)
    if department:
        rows = rows.filter(pk__in=MeasureUnit.objects.filter(organisation=department).values("measure_id"))
    if unit:
        rows = rows.filter(pk__in=MeasureUnit.objects.filter(organisation__name__icontains=unit).values("measure_id"))
    if leader:
        rows = rows.filter(leader=leader)
    if overdue:
        rows = rows.filter(status=MeasureStatus.OVERDUE)
    if status:
        rows = rows.filter(status=status)
    return rows


def ledger_rows(queryset):
    """What a ledger page shows of each measure, in a fixed number of queries; each measure's units in `unit_list`."""
    return (queryset.select_related("problem", "problem__batch", "leader", "person")
            # Ordered by position within each measure: the model's ordering by measure would join every unit to
            # its measure, problem and batch only to sort them. Kept as a plain list: reading a prefetched relation
            # through .all() builds a queryset for every row.
            .prefetch_related(Prefetch("units", queryset=MeasureUnit.objects.select_related("organisation")
                                       .order_by("measure_id", "position"), to_attr="unit_list"))
            .order_by("-problem__batch__feedback_on", "problem__batch_id", "problem__position", "position"))


def filter_choices(*, user):
    """Batches and leaders that occur in the part of the ledger the user may see (departments are searched by
    name instead of listed: an agency has thousands)."""
    visible = Measure.objects.visible_to(user)
    batches = Batch.objects.filter(pk__in=visible.values("problem__batch_id")).order_by("-feedback_on", "-id")
    leaders = Person.objects.filter(pk__in=visible.values("leader_id")).order_by("name")
    return list(batches), list(leaders), Source.choices


def measure_get(*, user, pk) -> Measure:
    try:
        return (Measure.objects.visible_to(user).with_status()
                .select_related("problem__batch", "leader", "person", "closure_requested_by", "closed_by")
                .prefetch_related(Prefetch("units", queryset=MeasureUnit.objects.select_related("organisation")),
                                  Prefetch("events", queryset=MeasureEvent.objects.select_related("actor")
                                           .prefetch_related("evidence")),
                                  Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")))
                .get(pk=pk))
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def evidence_get(*, user, pk) -> Evidence:
    try:
        return Evidence.objects.select_related("measure").get(
            pk=pk, measure__in=Measure.objects.visible_to(user).values("pk"))
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def department_get(*, user, pk) -> Organisation:
    """A responsible unit named in a link (the unit's ledger), only if the user may see it."""
    try:
        return visible_organisations(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
