"""Responsibility-list pages: lists by year, a list by category, an item, 我的责任, and the staff import."""
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.scope import scope_for

from . import selectors, services
from .exports import export_list
from .forms import ConfirmImportForm, ImportForm, ItemFilterForm
from .models import ListKind

IMPORT_DIR = Path(settings.MEDIA_ROOT) / "imports"
SESSION_KEY = "responsibility_imports"


def list_index(request):
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    years, lists = selectors.list_index(user=request.user, year=year)
    return render(request, "responsibility/list_index.html", {
        "years": years, "year": year, "lists": lists, "can_manage": services.can_manage_lists(request.user),
    })


def list_detail(request, pk):
    rlist = selectors.list_get(user=request.user, pk=pk)
    organisations, categories, leaders = selectors.list_filter_choices(user=request.user, rlist=rlist)
    form = ItemFilterForm(request.GET or None, organisations=organisations, categories=categories, leaders=leaders)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.list_items(user=request.user, rlist=rlist, **{k: v for k, v in filters.items() if v})
    return render(request, "responsibility/list_detail.html", {
        "rlist": rlist, "items": items, "form": form, "filtered": any(filters.values()) if filters else False,
        "can_manage": services.can_manage_lists(request.user),
    })


def item_detail(request, pk):
    item = selectors.item_get(user=request.user, pk=pk)
    scope = scope_for(request.user)
    assignments = [a for a in item.assignments.all() if scope.can_see(a.organisation_id)]
    return render(request, "responsibility/item_detail.html", {"item": item, "assignments": assignments})


def my_responsibilities(request):
    return render(request, "responsibility/my.html", {
        "assignments": selectors.my_assignments(user=request.user),
        "led_items": selectors.led_items(user=request.user),
        "supervised": selectors.supervised_assignments(user=request.user),
    })


def list_export(request, pk):
    rlist = selectors.list_get(user=request.user, pk=pk)
    if not scope_for(request.user).sees_all:
        raise PermissionDenied  # the whole list, including other organisations' items
    response = HttpResponse(export_list(rlist),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{rlist}.xlsx")
    return response


def _staff_only(request):
    if not services.can_manage_lists(request.user):
        raise PermissionDenied


@require_POST
def list_publish(request, pk):
    _staff_only(request)
    rlist = selectors.list_get(user=request.user, pk=pk)
    try:
        services.responsibility_list_publish(actor=request.user, rlist=rlist)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("清单已发布，任务已分解到责任单位。"))
    return redirect("responsibility:detail", pk=rlist.pk)


@require_POST
def list_revise(request, pk):
    _staff_only(request)
    rlist = selectors.list_get(user=request.user, pk=pk)
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
    _staff_only(request)
    rlist = selectors.list_get(user=request.user, pk=pk)
    try:
        services.responsibility_list_delete_draft(actor=request.user, rlist=rlist)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("responsibility:detail", pk=rlist.pk)
    messages.success(request, _("草稿已删除。"))
    return redirect("responsibility:index")


def import_upload(request):
    """Step 1 and 2: upload a file, then show the dry run (what would be created and every error)."""
    _staff_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = secrets.token_hex(16)
        IMPORT_DIR.mkdir(parents=True, exist_ok=True)
        path = IMPORT_DIR / f"{token}.xlsx"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = upload.name
        request.session[SESSION_KEY] = pending
        data = form.cleaned_data
        with path.open("rb") as handle:
            plan = services.responsibility_list_plan(source=handle, year=data["year"], kind=data["kind"],
                                                     file_name=upload.name)
        return render(request, "responsibility/import_preview.html", {
            "plan": plan, "token": token, "year": data["year"], "kind": data["kind"],
            "kind_label": ListKind(data["kind"]).label, "title": data["title"] or services.default_title(
                data["year"], data["kind"]),
        })
    return render(request, "responsibility/import_form.html", {"form": form})


@require_POST
def import_confirm(request):
    """Step 3: import the previewed file, all or nothing."""
    _staff_only(request)
    form = ConfirmImportForm(request.POST)
    pending = request.session.get(SESSION_KEY, {})
    if not form.is_valid() or form.cleaned_data["token"] not in pending:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("responsibility:import")
    data = form.cleaned_data
    path = IMPORT_DIR / f"{data['token']}.xlsx"
    file_name = pending[data["token"]]
    try:
        with path.open("rb") as handle:
            rlist = services.responsibility_list_import(
                actor=request.user, source=handle, year=data["year"], kind=data["kind"], title=data["title"],
                file_name=file_name)
    except FileNotFoundError:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("responsibility:import")
    except services.ImportRejected as exc:
        return render(request, "responsibility/import_preview.html", {
            "plan": exc.plan, "token": data["token"], "year": data["year"], "kind": data["kind"],
            "kind_label": ListKind(data["kind"]).label, "title": data["title"],
        })
    pending.pop(data["token"], None)
    request.session[SESSION_KEY] = pending
    path.unlink(missing_ok=True)
    messages.success(request, _("已导入 %(n)s 项，清单为草稿，核对后请发布。") % {"n": rlist.items.count()})
    return redirect("responsibility:detail", pk=rlist.pk)
