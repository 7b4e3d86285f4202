"""回头看: draw a reproducible random sample of struck-off measures or accepted report lines and re-check each.

The sample is `random.Random(seed).sample(population ids in ascending order, k)`: the recorded seed and the same
population give the same items again, so anyone can verify the draw was not picked by hand."""
from __future__ import annotations

import datetime
import random
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from branches.scope import OrgTree
from common.audit import audit_transition
from rectification.models import Measure, MeasureState, MeasureUnit
from rectification.services import measure_reopen
from reports.models import LineStatus, ReportLine, ReportStatus
from reports.services import report_line_reopen

from .models import CheckPopulation, SpotCheck, SpotCheckItem, Verdict
from .permissions import can_spot_check

MAX_SAMPLE = 200


def draw_sample(ids: list[int], size: int, seed: int) -> list[int]:
    """The reproducible draw: the same ids, size and seed always give the same items in the same order."""
    return random.Random(seed).sample(sorted(ids), min(size, len(ids)))


def _org_ids(organisation: Organisation | None) -> set[int] | None:
    return None if organisation is None else OrgTree.load().reach(organisation.pk)


def population(*, kind: str, date_from: datetime.date, date_to: datetime.date,
               organisation: Organisation | None = None) -> list[tuple[int, int | None]]:
    """(id, responsible organisation id) of every item the check draws from, by ascending id."""
    org_ids = _org_ids(organisation)
    if kind == CheckPopulation.MEASURES:
        measures = Measure.objects.filter(state=MeasureState.CLOSED, closed_at__date__gte=date_from,
                                          closed_at__date__lte=date_to)
        if org_ids is not None:
            measures = measures.filter(pk__in=MeasureUnit.objects.filter(organisation__in=org_ids)
                                       .values("measure_id"))
        lead = dict(MeasureUnit.objects.filter(measure__in=measures).order_by("-is_lead", "position")
                    .values_list("measure_id", "organisation_id").reverse())
        return [(pk, lead.get(pk)) for pk in measures.order_by("pk").values_list("pk", flat=True)]
    if kind == CheckPopulation.REPORT_LINES:
        start, end = date_from.year * 100 + date_from.month, date_to.year * 100 + date_to.month
        lines = ReportLine.objects.filter(report__status=ReportStatus.ACCEPTED, status=LineStatus.DONE)
        lines = [row for row in lines.values_list("pk", "report__organisation_id", "report__year", "report__month")
                 .order_by("pk") if start <= row[2] * 100 + row[3] <= end]
        return [(pk, org) for pk, org, _y, _m in lines if org_ids is None or org in org_ids]
    raise ValidationError(_("请选择抽查对象。"))


@transaction.atomic
def spot_check_draw(*, actor, kind: str, date_from: datetime.date, date_to: datetime.date, size: int,
                    organisation: Organisation | None = None, seed: int | None = None, title: str = "") -> SpotCheck:
    if not can_spot_check(actor):
        raise PermissionDenied(_("只有纪检监察人员可以开展回头看抽查。"))
    if date_from is None or date_to is None or date_from > date_to:
        raise ValidationError(_("起始日期不能晚于截止日期。"))
    if not size or not 1 <= size <= MAX_SAMPLE:
        raise ValidationError(_("抽取数量应为 1 到 %(n)s。") % {"n": MAX_SAMPLE})
    rows = population(kind=kind, date_from=date_from, date_to=date_to, organisation=organisation)
    if not rows:
        raise ValidationError(_("所选期间和范围内没有可抽查的事项，未抽取。"))
    seed = secrets.randbelow(2**31) if seed is None else seed
    owners = dict(rows)
    chosen = draw_sample(list(owners), size, seed)
    label = CheckPopulation(kind).label
    check = SpotCheck.objects.create(
        population=kind, title=(title or "").strip()[:200] or _("回头看：%(what)s（%(a)s至%(b)s）") % {
            "what": label, "a": f"{date_from:%Y-%m-%d}", "b": f"{date_to:%Y-%m-%d}"},
        date_from=date_from, date_to=date_to, organisation=organisation, sample_size=len(chosen),
        population_size=len(rows), seed=seed, created_by=actor)
    field = "measure_id" if kind == CheckPopulation.MEASURES else "report_line_id"
    SpotCheckItem.objects.bulk_create([
        SpotCheckItem(check_run=check, position=n, organisation_id=owners[pk], **{field: pk})
        for n, pk in enumerate(chosen, start=1)])
    return check


@transaction.atomic
def spot_check_verdict(*, actor, item: SpotCheckItem, verdict: str, note: str = "") -> SpotCheckItem:
    """属实 closes the item; 不属实 (with a note) reopens the measure or returns the report line."""
    if not can_spot_check(actor):
        raise PermissionDenied(_("只有纪检监察人员可以填写核查结论。"))
    note = (note or "").strip()
    if verdict not in (Verdict.TRUE, Verdict.FALSE):
        raise ValidationError(_("请选择核查结论。"))
    if verdict == Verdict.FALSE and not note:
        raise ValidationError(_("核查不属实时请说明情况。"))
    claimed = SpotCheckItem.objects.filter(pk=item.pk, verdict=Verdict.PENDING).update(
        verdict=verdict, note=note, checked_by=actor, checked_at=timezone.now())
    if claimed != 1:
        raise ValidationError(_("该事项已有核查结论。"))
    item = SpotCheckItem.objects.select_related("measure", "report_line").get(pk=item.pk)
    audit_transition(item, actor=actor, field="verdict", before=Verdict.PENDING, after=verdict, comment=note)
    if verdict == Verdict.FALSE:
        reason = _("回头看核查不属实：%(note)s") % {"note": note}
        if item.measure_id:
            if item.measure.state == MeasureState.CLOSED:
                measure_reopen(actor=actor, measure=item.measure, reason=reason)
        elif item.report_line_id:
            if item.report_line.report.status == ReportStatus.ACCEPTED:
                report_line_reopen(actor=actor, line=item.report_line, reason=reason)
    return item


def spot_item_link(*, item: SpotCheckItem, instruction=None, record=None) -> None:
    """Remember the 督办 or 问责 record a finding started."""
    changes = {k: v for k, v in (("instruction", instruction), ("record", record)) if v is not None}
    if changes:
        SpotCheckItem.objects.filter(pk=item.pk).update(**changes)
