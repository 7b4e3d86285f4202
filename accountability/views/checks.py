"""The 问责 overview, the red items an inspector acts on, 回头看 spot checks and the 纸上整改 flags."""
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import CommitteeTerm, Organisation
from branches.scope import scope_for, visible_organisations
from rectification.models import Measure, MeasureKind, MeasureState
from reports.models import EDITABLE, MonthlyReport

from .. import reuse, selectors, spotchecks
from ..figures import figures as year_figures
from ..forms import SpotCheckForm, VerdictForm
from ..models import AccountabilityForm, Instruction, InstructionKind, Recipient
from ..models.instructions import OPEN_STATES
from ..permissions import (can_act_for, can_issue, can_record_talk, can_spot_check, is_discipline, reads_records,
                           reads_reuse_flags)
from . import form_errors, run_action

RED_LIMIT = 50


def overview(request):
    user, today = request.user, timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    scope = scope_for(user)
    org_ids = None if scope.sees_all else scope.org_ids
    figures = year_figures(year=year, today=today, org_ids=org_ids, with_records=reads_records(user), user=user)
    todo = [r for r in scope.filter_by_organisation(Recipient.objects.filter(
        state__in=OPEN_STATES, instruction__status="issued")).select_related("instruction", "organisation")
        .order_by("instruction__due_on")[:100] if can_act_for(user, r.organisation_id)]
    awaiting = (Recipient.objects.filter(state="replied", instruction__status="issued",
                                         instruction__issued_by=user).select_related("instruction", "organisation")
                .order_by("replied_at")[:100])
    return render(request, "accountability/overview.html", {
        "figures": figures, "year": year, "today": today, "todo": todo, "awaiting": list(awaiting),
        "forms": [(label, figures.by_form.get(value, 0), value) for value, label in
                  AccountabilityForm.choices],
        "reads_records": reads_records(user), "can_spot_check": can_spot_check(user),
        "can_supervise": can_issue(user, InstructionKind.SUPERVISE),
        "can_assign": can_issue(user, InstructionKind.ASSIGN), "can_talk": can_record_talk(user),
    })


def red_items(request):
    """Everything red today that a 督办 can be issued from, each with its one-click button."""
    user, today = request.user, timezone.localdate()
    if not (can_issue(user, InstructionKind.SUPERVISE) or is_discipline(user)):
        raise PermissionDenied(_("只有纪检监察人员可以从红色事项发起督办。"))
    issued = set(Instruction.objects.exclude(status="withdrawn").exclude(source_id=None)
                 .values_list("source_type__model", "source_id"))
    reports = (MonthlyReport.objects.visible_to(user).filter(status__in=EDITABLE, submitted_at__isnull=True,
                                                             due_on__lt=today, organisation__is_active=True)
               .select_related("organisation").order_by("due_on", "organisation__sort_order")[:RED_LIMIT])
    measures = (Measure.objects.visible_to(user).filter(state__in=[MeasureState.OPEN, MeasureState.IN_PROGRESS],
                                                        due_on__lt=today).exclude(kind=MeasureKind.LONG_TERM)
                .select_related("problem__batch").prefetch_related("units__organisation")
                .order_by("due_on", "pk")[:RED_LIMIT])
    terms = [t for t in scope_for(user).filter_by_organisation(
        CommitteeTerm.objects.current().filter(organisation__is_active=True)).select_related("organisation")
        if t.days_left(today) < 0][:RED_LIMIT]
    return render(request, "accountability/red_items.html", {
        "today": today, "issued": issued, "orglife": _orglife_gaps(user, today),
        "reports": [(r, r.overdue_days(today), ("monthlyreport", r.pk) in issued) for r in reports],
        "measures": [(m, m.days_overdue(today), ("measure", m.pk) in issued) for m in measures],
        "terms": [(t, -t.days_left(today), ("committeeterm", t.pk) in issued) for t in terms],
    })


def _orglife_gaps(user, today):
    from orglife.compliance import compliance

    orgs = visible_organisations(user).active().order_by("sort_order", "pk")
    start = today.replace(day=1) - datetime.timedelta(days=1)
    rows = []
    for result in compliance(organisations=orgs, start=start.replace(day=1), end=start, today=today):
        missed = [check.message(today) for check in result.missed]
        if missed:
            rows.append((result.organisation, missed))
    return rows[:RED_LIMIT]


# ---------------------------------------------------------------- 回头看


def _require_checker(user):
    if not can_spot_check(user):
        raise Http404


def spot_check_list(request):
    _require_checker(request.user)
    today = timezone.localdate()
    form = SpotCheckForm(organisations=Organisation.objects.active().order_by("sort_order", "pk"),
                         initial={"date_from": today.replace(month=1, day=1), "date_to": today})
    return render(request, "accountability/spot_check_list.html", {
        "checks": list(selectors.spot_checks_for(user=request.user)[:100]), "form": form})


@require_POST
def spot_check_new(request):
    _require_checker(request.user)
    form = SpotCheckForm(request.POST, organisations=Organisation.objects.active())
    back = reverse("accountability:spot_checks")
    if not form.is_valid():
        return form_errors(request, form, back)
    data = form.cleaned_data
    return run_action(request, lambda: spotchecks.spot_check_draw(
        actor=request.user, kind=data["population"], date_from=data["date_from"], date_to=data["date_to"],
        size=data["size"], organisation=data["organisation"], seed=data["seed"], title=data["title"]),
        _("已抽取。"), back, then=lambda check: reverse("accountability:spot_check", args=[check.pk]))


def spot_check_detail(request, pk):
    check = selectors.spot_check_get(user=request.user, pk=pk)
    items = selectors.spot_items(check)
    for item in items:
        item.form = VerdictForm(prefix=f"v{item.pk}") if item.verdict == "pending" else None
        item.source_key = f"measure:{item.measure_id}" if item.measure_id else (
            f"report:{item.report_line.report_id}" if item.report_line_id else "")
    return render(request, "accountability/spot_check_detail.html", {"check": check, "items": items})


@require_POST
def spot_check_verdict(request, pk):
    item = selectors.spot_item_get(user=request.user, pk=pk)
    back = reverse("accountability:spot_check", args=[item.check_run_id])
    form = VerdictForm(request.POST, prefix=f"v{pk}")
    if not form.is_valid():
        return form_errors(request, form, back)
    return run_action(request, lambda: spotchecks.spot_check_verdict(
        actor=request.user, item=item, verdict=form.cleaned_data["verdict"], note=form.cleaned_data["note"]),
        _("已记录核查结论。"), back)


# ---------------------------------------------------------------- 纸上整改 signs


def reuse_flags(request):
    if not reads_reuse_flags(request.user):
        raise Http404
    try:
        reuse.fingerprints_refresh()
    except OSError:  # an unreadable file must not hide the flags already found
        messages.warning(request, _("部分佐证材料暂时无法读取，稍后重试。"))
    scope = scope_for(request.user)
    org_ids = None if scope.sees_all else scope.org_ids
    return render(request, "accountability/reuse.html", {
        "files": reuse.reused_files(org_ids=org_ids)[:200], "texts": reuse.copied_texts(org_ids=org_ids)[:200]})
