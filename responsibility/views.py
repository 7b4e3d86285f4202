"""Responsibility-list pages: lists by year, a list by category, an item, 我的责任, and the staff import."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.imports import staff_required
from common.imports.views import ImportFlow

from . import selectors, services
from .exports import export_list
from .importers import list_template
from .forms import ConfirmImportForm, ImportForm, ItemFilterForm
from .models import ListKind

def list_index(request):
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    years, lists = selectors.list_index(user=request.user, year=year)
    return render(request, "responsibility/list_index.html", {
        "years": years, "year": year, "lists": lists, "can_manage": services.can_manage_lists(request.user),
    })


def _filtered_items(request, rlist):
    """The filter form and the items of the list it selects, within the user's scope."""
    organisations, categories, leaders = selectors.list_filter_choices(user=request.user, rlist=rlist)
    form = ItemFilterForm(request.GET or None, organisations=organisations, categories=categories, leaders=leaders)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    unit = next((o for o in organisations if o.pk == filters.get("organisation")), None)
    return form, filters, unit, selectors.list_items(user=request.user, rlist=rlist, **filters)


def list_detail(request, pk):
    rlist = selectors.list_get(user=request.user, pk=pk)
    form, filters, _unit, items = _filtered_items(request, rlist)
    return render(request, "responsibility/list_detail.html", {
        "rlist": rlist, "items": items, "form": form, "filtered": bool(filters),
        "can_manage": services.can_manage_lists(request.user), "query": request.GET.urlencode(),
    })


def list_print(request, pk):
    """The list as the user may see it, with the page's filters (one unit's part of it), on A4."""
    rlist = selectors.list_get(user=request.user, pk=pk)
    _form, _filters, unit, items = _filtered_items(request, rlist)
    return render(request, "responsibility/list_print.html", {"rlist": rlist, "items": items, "unit": unit})


def item_detail(request, pk):
    item = selectors.item_get(user=request.user, pk=pk)
    return render(request, "responsibility/item_detail.html", {"item": item, "assignments": item.visible_assignments})


def list_export(request, pk):
    rlist = selectors.list_get_whole(user=request.user, pk=pk)
    response = HttpResponse(export_list(rlist),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{rlist}.xlsx")
    return response


@require_POST
def list_publish(request, pk):
    rlist = selectors.list_get(user=request.user, pk=pk)  # a list outside the scope is a 404, never a 403
    staff_required(request)
    try:
        services.responsibility_list_publish(actor=request.user, rlist=rlist)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("清单已发布，任务已分解到责任单位。"))
    return redirect("responsibility:detail", pk=rlist.pk)


@require_POST
def list_revise(request, pk):
    rlist = selectors.list_get(user=request.user, pk=pk)  # a list outside the scope is a 404, never a 403
    staff_required(request)
    try:
        new = services.responsibility_list_revise(actor=request.user, rlist=rlist,
                                                  note=request.POST.get("note", "")[:1000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("responsibility:detail", pk=rlist.pk)
    messages.success(request, _("已创建修订草稿，请在管理后台修改事项后发布。"))
    return redirect("responsibility:detail", pk=new.pk)


@require_POST
def list_delete(request, pk):
    rlist = selectors.list_get(user=request.user, pk=pk)  # a list outside the scope is a 404, never a 403
    staff_required(request)
    try:
        services.responsibility_list_delete_draft(actor=request.user, rlist=rlist)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("responsibility:detail", pk=rlist.pk)
    messages.success(request, _("草稿已删除。"))
    return redirect("responsibility:index")


class ListImport(ImportFlow):
    namespace, session_key = "responsibility", "responsibility_imports"
    form_class, confirm_form_class = ImportForm, ConfirmImportForm
    form_template, preview_template = "responsibility/import_form.html", "responsibility/import_preview.html"
    template_name = "责任清单导入模板.xlsx"

    def plan(self, *, source, file_name, data):
        return services.responsibility_list_plan(source=source, year=data["year"], kind=data["kind"],
                                                 file_name=file_name)

    def run(self, *, actor, source, file_name, data):
        return services.responsibility_list_import(actor=actor, source=source, year=data["year"], kind=data["kind"],
                                                   title=data["title"], file_name=file_name)

    def context(self, data):
        return {"year": data["year"], "kind": data["kind"], "kind_label": ListKind(data["kind"]).label,
                "title": data["title"] or services.default_title(data["year"], data["kind"])}

    def done(self, request, rlist, data):
        messages.success(request, _("已导入 %(n)s 项，清单为草稿，核对后请发布。") % {"n": rlist.items.count()})
        return redirect("responsibility:detail", pk=rlist.pk)

    def blank(self, request):
        return list_template(risk=request.GET.get("kind") == ListKind.RISK)


import_upload, import_confirm, import_template = ListImport().views()
import_job, import_job_status = ListImport().job_views()
