"""Year-end pages: ask for a workbook, watch its progress, download it (only its requester, within their scope)."""
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from branches.selectors import organisation_get
from common.files import serve_private

from . import selectors, services


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


@require_http_methods(["GET", "POST"])
def index(request):
    if not services.can_export(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    default_year = today.year - 1 if today.month <= 3 else today.year  # early in the year, last year is the one
    if request.method == "POST":
        year = _year(request.POST.get("year"), default_year)
        root = organisation_get(user=request.user, pk=request.POST["org"]) if request.POST.get("org") else None
        export = services.year_end_export_request(actor=request.user, year=year, organisation=root)
        # While the broker is down the export's page says the job waits (detail.html); no second message here.
        return redirect("yearend:detail", pk=export.pk)
    return render(request, "yearend/index.html", {
        "years": range(today.year, today.year - 6, -1), "year": default_year,
        "exports": selectors.year_end_exports_recent(user=request.user),
    })


def detail(request, pk):
    export = selectors.year_end_export_get(user=request.user, pk=pk)
    return render(request, "yearend/detail.html", {
        "export": export, "waiting": services.year_end_export_waiting(export)})


def _status_payload(export) -> dict:
    done = export.status == export.Status.DONE
    return {
        "status": export.status, "status_label": str(export.get_status_display()), "progress": export.progress,
        "stage": export.stage, "finished": export.is_finished, "running": not export.is_finished,
        "error": export.error,
        "waiting": services.year_end_export_waiting(export),
        "workbook_url": reverse("yearend:workbook", args=[export.pk]) if done else None,
        "draft_url": reverse("yearend:draft", args=[export.pk]) if done else None,
    }


def status(request, pk):
    export = selectors.year_end_export_get(user=request.user, pk=pk)
    response = JsonResponse(_status_payload(export))
    response["Cache-Control"] = "no-store"
    return response


def _download(request, pk, field: str, suffix: str):
    export = selectors.year_end_export_get(user=request.user, pk=pk)
    file = getattr(export, field)
    if export.status != export.Status.DONE or not file:
        raise Http404
    return serve_private(file, f"{export.base_name}{suffix}")


def download_workbook(request, pk):
    return _download(request, pk, "workbook", "台账.xlsx")


def download_draft(request, pk):
    return _download(request, pk, "draft", "总结初稿.docx")
