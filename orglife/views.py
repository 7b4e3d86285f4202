"""Organisational-life pages: an organisation's records by month, quick entry, a record, the compliance table,
the leaders' talk matrix, and the staff import."""
import calendar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.selectors import organisation_get, organisation_list, people_names
from common.files import serve_private
from common.imports.views import ImportFlow

from . import selectors, services
from .compliance import Rulebook, Status
from .forms import ConfirmImportForm, ImportForm, RecordForm
from .importers import records_template
from .periods import Period, PeriodKind



def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def index(request):
    """A secretary lands on their organisation's records; everyone else on the compliance table."""
    organisation = selectors.home_organisation(user=request.user, rulebook=Rulebook())
    if organisation is not None:
        return redirect("orglife:organisation", pk=organisation.pk)
    return redirect("orglife:compliance")


def organisation_records(request, pk):
    organisation = organisation_get(user=request.user, pk=pk)
    today = timezone.localdate()
    year = _year(request, today)
    try:
        month = int(request.GET.get("month", today.month if year == today.year else 0))
    except ValueError:
        month = 0
    month = month if 1 <= month <= 12 else 0
    rulebook = Rulebook()
    grid, result = selectors.organisation_year(organisation=organisation, year=year, today=today, rulebook=rulebook)
    records = selectors.organisation_records(organisation=organisation, year=year, month=month or None)
    weeks = []
    if month:
        by_day = {}
        for record in records:
            by_day.setdefault(record.date, []).append(record)
        weeks = [[(day, by_day.get(day, []), day.month == month) for day in week]
                 for week in calendar.Calendar().monthdatescalendar(year, month)]
    current = [c for c in result.checks if c.period.contains(today) and c.status == Status.OPEN]
    return render(request, "orglife/organisation.html", {
        "organisation": organisation, "year": year, "month": month, "months": range(1, 13), "grid": grid,
        "records": records, "weeks": weeks, "current": current, "missed": result.missed, "today": today,
        "years": range(today.year - 3, today.year + 1), "can_record": services.can_record(request.user, organisation)
        and bool(grid), "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
    })


def record_create(request, pk):
    organisation = organisation_get(user=request.user, pk=pk)
    if not services.can_record(request.user, organisation):
        raise PermissionDenied
    record_types = Rulebook().recordable_types(organisation)
    form = RecordForm(request.POST or None, request.FILES or None, record_types=record_types)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(actor=request.user, organisation=organisation, data=form.to_input(),
                                            uploads=form.cleaned_data["files"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录：%(topic)s。") % {"topic": record.topic})
            if "another" in request.POST:
                return redirect("orglife:new", pk=organisation.pk)
            return redirect("orglife:record", pk=record.pk)
    return render(request, "orglife/record_form.html", {
        "organisation": organisation, "form": form, "record": None,
        "people": people_names(user=request.user, organisation=organisation),
        "talk_type_ids": [t.pk for t in record_types if t.is_talk],
    }, status=400 if request.method == "POST" else 200)


def _form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def record_detail(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    return render(request, "orglife/record_detail.html", {
        "record": record, "can_edit": services.can_edit(request.user, record),
        "can_review": services.can_review(request.user, record), "review_required": services.review_required(),
    })


def record_edit(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    if not services.can_edit(request.user, record):
        raise PermissionDenied
    record_types = Rulebook().recordable_types(record.organisation)
    form = RecordForm(request.POST or None, request.FILES or None, record_types=record_types,
                      initial=RecordForm.initial_from(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(actor=request.user, record=record, data=form.to_input(),
                                   uploads=form.cleaned_data["files"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("记录已修改。"))
            return redirect("orglife:record", pk=record.pk)
    return render(request, "orglife/record_form.html", {
        "organisation": record.organisation, "form": form, "record": record,
        "people": people_names(user=request.user, organisation=record.organisation),
        "talk_type_ids": [t.pk for t in record_types if t.is_talk],
    }, status=400 if request.method == "POST" else 200)


@require_POST
def record_delete(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    organisation_pk = record.organisation_id
    services.record_delete(actor=request.user, record=record)
    messages.success(request, _("记录已删除。"))
    return redirect("orglife:organisation", pk=organisation_pk)


@require_POST
def record_review(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            services.record_accept(actor=request.user, record=record, comment=request.POST.get("comment", "")[:2000])
            messages.success(request, _("已确认。"))
        elif request.POST.get("decision") == "return":
            services.record_return(actor=request.user, record=record, reason=request.POST.get("comment", "")[:2000])
            messages.success(request, _("已退回，等待修改。"))
        else:
            messages.error(request, _("请选择审核结果。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("orglife:record", pk=record.pk)


def attachment_download(request, pk):
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    return serve_private(attachment.file, attachment.original_name)


@require_POST
def attachment_delete(request, pk):
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("附件已删除。"))
    return redirect("orglife:record", pk=attachment.record_id)


def _period(request, today) -> Period:
    kind = request.GET.get("kind") or PeriodKind.QUARTER
    if kind not in PeriodKind.values:
        kind = PeriodKind.QUARTER
    try:
        return Period.parse(request.GET["period"]) if request.GET.get("period") else Period.containing(kind, today)
    except ValueError:
        return Period.containing(kind, today)


def compliance_table(request):
    today = timezone.localdate()
    period = _period(request, today)
    organisations = organisation_list(user=request.user)
    roots = selectors.compliance_roots(organisations=organisations)
    root = None
    if request.GET.get("org"):
        root = next((org for org in organisations if str(org.pk) == request.GET["org"]), None)
    table = selectors.compliance_table(user=request.user, period=period, today=today, root=root,
                                       organisations=organisations)
    return render(request, "orglife/compliance.html", {
        "table": table, "period": period, "roots": roots, "root": root, "period_choices": selectors.period_choices(today), "today": today,
        "rows": [(row, [(t, cell, cell.title(today) if cell else "") for t, cell in row.cells]) for row in table.rows],
    })


def talk_matrix(request):
    today = timezone.localdate()
    year = _year(request, today)
    rows = selectors.leader_talk_matrix(user=request.user, year=year, today=today)
    return render(request, "orglife/talks.html", {
        "rows": rows, "year": year, "years": range(today.year - 3, today.year + 1), "today": today,
        "required": settings.ORGLIFE_LEADER_TALKS,
    })


class RecordImport(ImportFlow):
    namespace, session_key = "orglife", "orglife_imports"
    form_class, confirm_form_class = ImportForm, ConfirmImportForm
    form_template, preview_template = "orglife/import_form.html", "orglife/import_preview.html"
    template_name = "组织生活记录导入模板.xlsx"
    rejected_status = 400

    def plan(self, *, source, file_name, data):
        return services.orglife_records_plan(source=source, file_name=file_name)

    def run(self, *, actor, source, file_name, data):
        return services.orglife_records_import(actor=actor, source=source, file_name=file_name)

    def done(self, request, created, data):
        messages.success(request, _("已导入 %(n)s 条组织生活记录。") % {"n": len(created)})
        return redirect("orglife:compliance")

    def blank(self, request):
        return records_template()


import_upload, import_confirm, import_template = RecordImport().views()
import_job, import_job_status = RecordImport().job_views()
