"""Ledger pages: the ledger with its figures, a measure with its timeline and forms, evidence downloads, import, export."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from branches.scope import scope_for
from common.files import serve_private
from common.review_hints import ReviewHints, review_hints
from common.imports.views import ImportFlow

from . import selectors, services
from .exports import export_ledger
from .importers import ledger_template
from .ledger_rows import ledger_rows, problem_spans
from .forms import (ClosureRequestForm, ConfirmImportForm, ImportForm, LedgerFilterForm, LongTermReviewForm,
                    ProgressForm, ReviewForm)
from .models import Measure, MeasureKind, MeasureState, Source

PAGE_SIZE = 100
PRINT_LIMIT = 1000  # a printed ledger longer than this is no use on paper: the page asks to filter by unit
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    batches, leaders, sources = selectors.filter_choices(user=request.user)
    form = LedgerFilterForm(request.GET or None, batches=batches, leaders=leaders, sources=sources)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, filters


def ledger(request):
    today = timezone.localdate()
    form, filters = _filtered(request)
    unfiltered_status = {k: v for k, v in filters.items() if k not in ("status", "overdue")}
    figures = selectors.measures(user=request.user, today=today, **unfiltered_status).figures(today)
    rows = selectors.ledger_rows(selectors.measures(user=request.user, today=today, **filters))
    paginator = Paginator(rows, PAGE_SIZE)
    if filters.keys() == unfiltered_status.keys():  # no status filter: the figures have counted these rows
        paginator.count = figures.total
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "rectification/ledger.html", {
        "form": form, "filtered": bool(filters), "figures": figures, "page": page, "today": today,
        "rows": ledger_rows(list(page.object_list)), "query": query.urlencode(),
        "can_manage": services.can_manage(request.user),
    })


def ledger_print(request):
    """The ledger as filtered on its page — typically one unit's (?department=) — on A4 for 巡察."""
    today = timezone.localdate()
    _form, filters = _filtered(request)
    unit = selectors.department_get(user=request.user, pk=filters["department"]) if "department" in filters else None
    queryset = selectors.ledger_rows(selectors.measures(user=request.user, today=today, **filters))
    total = queryset.count()
    return render(request, "rectification/ledger_print.html", {
        "unit": unit, "total": total, "rows": problem_spans(list(queryset[:PRINT_LIMIT])), "limit": PRINT_LIMIT,
        "figures": selectors.measures(user=request.user, today=today, **filters).figures(today), "today": today})


def ledger_export(request):
    today = timezone.localdate()
    _form, filters = _filtered(request)
    rows = selectors.ledger_rows(selectors.measures(user=request.user, today=today, **filters))
    response = HttpResponse(export_ledger(rows), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"整改台账_{today:%Y%m%d}.xlsx")
    return response


def measure_detail(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    return render(request, "rectification/measure_detail.html", _detail_context(request, measure))


def measure_print(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    today = timezone.localdate()
    return render(request, "rectification/measure_print.html", {
        "measure": measure, "days_overdue": measure.days_overdue(today), "units": list(measure.units.all()),
        "events": list(measure.events.select_related("actor").prefetch_related("evidence"))})


def _detail_context(request, measure):
    user, today = request.user, timezone.localdate()
    reporting = services.is_responsible_side(user, measure) and measure.state in services.OPEN_STATES
    refusal = services.review_refusal(user, measure)
    inspector_refused = refusal if scope_for(user).has_role(Role.INSPECTOR) else None
    long_term = measure.kind == MeasureKind.LONG_TERM
    reviewing = refusal is None and (measure.state == MeasureState.AWAITING_REVIEW or long_term)
    return {
        # 纸上整改 signs (reused evidence, copied progress text) for whoever decides the closure.
        "hints": review_hints(user=user, holders=[f"rectification.measure:{measure.pk}"]) if reviewing
        else ReviewHints(),
        "measure": measure, "today": today, "days_overdue": measure.days_overdue(today),
        "units": list(measure.units.all()), "events": list(measure.events.all()),
        "evidence": list(measure.evidence.all()),
        "progress_form": ProgressForm() if reporting else None,
        "closure_form": ClosureRequestForm() if reporting and not long_term else None,
        "review_form": ReviewForm() if refusal is None and measure.state == MeasureState.AWAITING_REVIEW else None,
        "assess_form": LongTermReviewForm() if refusal is None and long_term
        and measure.state != MeasureState.CLOSED else None,
        "review_refusal": inspector_refused if measure.state == MeasureState.AWAITING_REVIEW or long_term else None,
    }


def _done(request, measure, action, success: str):
    """Run one service call; rule violations come back as a message on the measure page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("rectification:measure", pk=measure.pk)


def _form_errors(request, measure, form):
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("rectification:measure", pk=measure.pk)


@require_POST
def measure_progress(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors(request, measure, form)
    data = form.cleaned_data
    return _done(request, measure, lambda: services.measure_report_progress(
        actor=request.user, measure=measure, text=data["text"], happened_on=data["happened_on"], files=data["files"]),
        _("已报送整改进展。"))


@require_POST
def measure_request_closure(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    form = ClosureRequestForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, measure, form)
    return _done(request, measure, lambda: services.measure_request_closure(
        actor=request.user, measure=measure, comment=form.cleaned_data["comment"]), _("已申请销号，等待审核。"))


@require_POST
def measure_review(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, measure, form)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == ReviewForm.STRIKE_OFF:
        return _done(request, measure, lambda: services.measure_strike_off(
            actor=request.user, measure=measure, comment=comment), _("已销号。"))
    return _done(request, measure, lambda: services.measure_send_back(
        actor=request.user, measure=measure, reason=comment), _("已退回整改。"))


@require_POST
def measure_assess(request, pk):
    measure = selectors.measure_get(user=request.user, pk=pk)
    form = LongTermReviewForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, measure, form)
    return _done(request, measure, lambda: services.measure_review_long_term(
        actor=request.user, measure=measure, comment=form.cleaned_data["comment"],
        reviewed_on=form.cleaned_data["reviewed_on"]), _("已记录定期评估。"))


def evidence_download(request, pk):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return serve_private(evidence.file, evidence.name)


# ---------------------------------------------------------------- import (staff)


class LedgerImport(ImportFlow):
    namespace, session_key = "rectification", "rectification_imports"
    form_class, confirm_form_class = ImportForm, ConfirmImportForm
    form_template, preview_template = "rectification/import_form.html", "rectification/import_preview.html"
    template_name = "整改台账导入模板.xlsx"

    def plan(self, *, source, file_name, data):
        return services.rectification_ledger_plan(source=source, file_name=file_name, title=data["title"],
                                                  source_kind=data["source"])

    def run(self, *, actor, source, file_name, data):
        return services.rectification_ledger_import(actor=actor, source=source, file_name=file_name,
                                                    title=data["title"], source_kind=data["source"])

    def context(self, data):
        return {"title": data["title"], "source": data["source"],
                "source_label": Source(data["source"]).label if data["source"] else ""}

    def done(self, request, batch, data):
        count = Measure.objects.filter(problem__batch=batch).count()
        messages.success(request, _("已导入“%(title)s”：%(problems)s 个问题，%(measures)s 项整改措施。") % {
            "title": batch.title, "problems": batch.problems.count(), "measures": count})
        return redirect(f"{redirect('rectification:ledger').url}?batch={batch.pk}")

    def blank(self, request):
        return ledger_template()


import_upload, import_confirm, import_template = LedgerImport().views()
import_job, import_job_status = LedgerImport().job_views()
