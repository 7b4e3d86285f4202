"""Red items an instruction, talk or record can be issued from: overdue reports and measures, expired terms and
organisational-life shortfalls, each named by a key such as "report:12" and read through the user's scope."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import CommitteeTerm, Organisation
from branches.scope import scope_for, visible_organisations
from rectification.models import Measure
from reports.models import MonthlyReport, ReportLine


@dataclass
class SourceRef:
    key: str
    obj: object
    label: str
    link: str
    organisation_ids: list[int] = field(default_factory=list)
    is_red: bool = True


def _report(user, pk, today) -> SourceRef:
    report = MonthlyReport.objects.visible_to(user).select_related("organisation").get(pk=pk)
    late = report.overdue_days(today)
    label = _("%(org)s%(year)s年%(month)s月完成情况报告") % {
        "org": report.organisation.name, "year": report.year, "month": report.month}
    if report.is_editable and late:
        label += _("逾期%(n)s天未报送") % {"n": late}
    return SourceRef(f"report:{pk}", report, label, reverse("reports:detail", args=[pk]), [report.organisation_id],
                     report.is_editable and late > 0)


def _measure(user, pk, today) -> SourceRef:
    measure = Measure.objects.visible_to(user).get(pk=pk)
    units = list(measure.units.values_list("organisation_id", flat=True))
    text = measure.text if len(measure.text) <= 40 else measure.text[:40] + "…"
    label = _("整改措施“%(text)s”") % {"text": text}
    late = measure.days_overdue(today)
    if late:
        label += _("逾期%(n)s天") % {"n": late}
    return SourceRef(f"measure:{pk}", measure, label, reverse("rectification:measure", args=[pk]), units, late > 0)


def _term(user, pk, today) -> SourceRef:
    term = scope_for(user).filter_by_organisation(CommitteeTerm.objects.select_related("organisation")).get(pk=pk)
    label = _("%(org)s委员会任期%(date)s届满") % {"org": term.organisation.name, "date": f"{term.ends_on:%Y年%m月%d日}"}
    expired = term.days_left(today) < 0
    if expired:
        label += _("，未按期换届")
    return SourceRef(f"term:{pk}", term, label, reverse("branches:detail", args=[term.organisation_id]),
                     [term.organisation_id], expired)


def _orglife(user, pk, today) -> SourceRef:
    from orglife.compliance import current_compliance

    org = visible_organisations(user).get(pk=pk)
    gaps = [check.message(today) for result in current_compliance(organisations=[org], today=today)
            for check in result.missed]
    label = _("%(org)s组织生活") % {"org": org.name}
    if gaps:
        label += _("：") + "；".join(gaps[:3])
    return SourceRef(f"orglife:{pk}", org, label[:300], reverse("orglife:organisation", args=[pk]), [pk], bool(gaps))


def _line(user, pk, today) -> SourceRef:
    line = ReportLine.objects.select_related("report__organisation", "assignment__item").get(
        pk=pk, report__in=MonthlyReport.objects.visible_to(user))
    report = line.report
    label = _("%(org)s%(year)s年%(month)s月报告事项“%(item)s”") % {
        "org": report.organisation.name, "year": report.year, "month": report.month,
        "item": line.assignment.item.content[:30]}
    return SourceRef(f"line:{pk}", line, label, reverse("reports:detail", args=[report.pk]),
                     [report.organisation_id], False)


RESOLVERS = {"report": _report, "measure": _measure, "term": _term, "orglife": _orglife, "line": _line}


def resolve(*, user, key: str, today: datetime.date) -> SourceRef | None:
    """The source named by `key` as this user may see it; an unknown, malformed or out-of-scope key is an error."""
    if not key:
        return None
    kind, _sep, raw = key.partition(":")
    resolver = RESOLVERS.get(kind)
    if resolver is None or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise ValidationError(_("来源事项无效。"))
    try:
        return resolver(user, int(raw), today)
    except (MonthlyReport.DoesNotExist, Measure.DoesNotExist, CommitteeTerm.DoesNotExist,
            Organisation.DoesNotExist, ReportLine.DoesNotExist):
        raise ValidationError(_("来源事项不存在或不在您的查看范围内。")) from None
