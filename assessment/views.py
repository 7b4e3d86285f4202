"""Assessment pages: the year's ranked results, a unit's score sheet with drill-downs, votes, 公示 and objections."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .exports import sheet_workbook, summary_workbook
from .forms import AnswerForm, CopyForm, ObjectionForm, ScoreForm, VoteUploadForm
from .models import Rule
from .tasks import compute_in_background, compute_waiting
from .votes import read_votes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def index(request):
    schemes = list(selectors.schemes(user=request.user))
    if len(schemes) == 1 and not services.can_manage(request.user):
        return redirect("assessment:scheme", year=schemes[0].year)
    return render(request, "assessment/index.html", {
        "schemes": schemes, "can_manage": services.can_manage(request.user), "copy_form": CopyForm(),
    })


@require_POST
def scheme_copy(request, year):
    scheme = selectors.scheme_get(user=request.user, year=year)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写 2000～2100 之间的年度。"))
        return redirect("assessment:index")
    try:
        new = services.scheme_copy(source=scheme, year=form.cleaned_data["year"], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assessment:index")
    messages.success(request, _("已复制为%(title)s，请在管理后台修改指标。") % {"title": new.title})
    return redirect("assessment:scheme", year=new.year)


def scheme_detail(request, year):
    scheme = selectors.scheme_get(user=request.user, year=year)
    results = list(selectors.results(user=request.user, scheme=scheme))
    can_manage = services.can_manage(request.user)
    return render(request, "assessment/scheme.html", {
        "scheme": scheme, "results": results, "can_manage": can_manage,
        "indicators": list(scheme.indicators.all()), "distribution": selectors.grade_distribution(results),
        "events": list(scheme.events.select_related("actor")) if can_manage else [],
        "tie_rule": services.TIE_RULE, "today": timezone.localdate(), "waiting": compute_waiting(scheme),
        "vote_form": VoteUploadForm() if can_manage and scheme.status in services.COMPUTABLE else None,
    })


def scheme_status(request, year):
    scheme = selectors.scheme_get(user=request.user, year=year)
    response = JsonResponse({"progress": scheme.progress, "stage": scheme.stage, "status": scheme.status,
                             "running": scheme.progress is not None, "waiting": compute_waiting(scheme)})
    response["Cache-Control"] = "no-store"
    return response


def summary_export(request, year):
    scheme = selectors.scheme_get(user=request.user, year=year)
    results = list(selectors.results(user=request.user, scheme=scheme))
    categories, points = selectors.category_points(scheme)
    response = HttpResponse(summary_workbook(scheme, results, categories, points), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{scheme.year}年度考核结果汇总表.xlsx")
    return response


def _scheme_action(request, year, action, success):
    scheme = selectors.scheme_get(user=request.user, year=year)
    if not services.can_manage(request.user):
        raise PermissionDenied
    try:
        action(scheme)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)
    return redirect("assessment:scheme", year=scheme.year)


@require_POST
def compute(request, year):
    if request.POST.get("background"):
        return _compute_in_background(request, year)
    return _scheme_action(request, year, lambda s: services.assessment_compute(scheme=s, actor=request.user),
                          _("已按当前数据计分。"))


def _compute_in_background(request, year):
    scheme = selectors.scheme_get(user=request.user, year=year)
    if not services.can_manage(request.user):
        raise PermissionDenied
    try:
        compute_in_background(scheme=scheme, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        scheme.refresh_from_db(fields=["progress"])
        if not compute_waiting(scheme):  # while the broker is down the page itself says the job waits
            messages.success(request, _("已提交后台计分，完成后本页自动刷新。"))
    return redirect("assessment:scheme", year=scheme.year)


@require_POST
def publish(request, year):
    return _scheme_action(request, year, lambda s: services.assessment_publish(scheme=s, actor=request.user),
                          _("考核结果已公示，各单位可查看本单位评分表并在异议期内提出异议。"))


@require_POST
def finalise(request, year):
    return _scheme_action(request, year, lambda s: services.assessment_finalise(scheme=s, actor=request.user),
                          _("考核结果已定档，不再随数据变化。"))


@require_POST
def votes_upload(request, year):
    scheme = selectors.scheme_get(user=request.user, year=year)
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = VoteUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessment:scheme", year=scheme.year)
    upload = form.cleaned_data["file"]
    try:
        allowed = {u.pk for u in services.assessed_units(scheme)}
        plan = read_votes(upload, allowed_ids=allowed)
        if plan.errors:
            raise ValidationError(plan.errors)
        count = services.votes_save(scheme=scheme, actor=request.user, rows=plan.rows, source=upload.name[:200])
    except ValidationError as exc:
        messages.error(request, _("测评票数未导入，请修改后重新上传："))
        _errors(request, exc)
    else:
        messages.success(request, _("已导入 %(n)s 个单位的测评票数，请重新计分。") % {"n": count})
    return redirect("assessment:scheme", year=scheme.year)


# ---------------------------------------------------------------- one unit

def _sheet_context(request, result):
    can_manage = services.can_manage(request.user)
    scheme = result.scheme
    return {
        "result": result, "scheme": scheme, "rows": selectors.sheet(result), "can_manage": can_manage,
        "can_score": can_manage and scheme.status in services.ADJUSTABLE,
        "objections": list(result.objections.select_related("raised_by", "answered_by")),
        "objection_form": ObjectionForm() if services.can_object(request.user, result)
        and scheme.objection_open(timezone.localdate()) else None,
        "answer_form": AnswerForm() if can_manage and not scheme.is_final else None,
        "score_form": ScoreForm(), "results_total": scheme.results.filter(is_active=True).count(),
    }


def result_detail(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    return render(request, "assessment/sheet.html", _sheet_context(request, result))


def result_print(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    return render(request, "assessment/sheet_print.html", _sheet_context(request, result))


def result_export(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    response = HttpResponse(sheet_workbook(result, selectors.sheet(result)), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{result.scheme.year}年度考核评分表_{result.organisation.name}.xlsx")
    return response


@require_POST
def score_update(request, pk):
    score = selectors.score_get(user=request.user, pk=pk)
    form = ScoreForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessment:result", pk=score.result_id)
    data = form.cleaned_data
    try:
        services.score_set(score=score, actor=request.user, points=data["points"], reason=data["reason"],
                           triggered=data["triggered"] if score.indicator.rule == Rule.VETO else None,
                           evidence=data["evidence"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已保存“%(name)s”的评分。") % {"name": score.indicator.name})
    return redirect("assessment:result", pk=score.result_id)


def score_rows(request, pk):
    score = selectors.score_get(user=request.user, pk=pk)
    bad_only = request.GET.get("which") == "lost"
    template = selectors.DRILL_TEMPLATES.get(score.indicator.rule)
    if template is None or score.result.scheme.as_of is None:
        return redirect("assessment:result", pk=score.result_id)
    return render(request, template, {
        "score": score, "result": score.result, "scheme": score.result.scheme, "bad_only": bad_only,
        "rows": selectors.drill_rows(score, bad_only=bad_only),
    })


@require_POST
def objection_create(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写异议内容。"))
        return redirect("assessment:result", pk=result.pk)
    try:
        services.objection_raise(result=result, actor=request.user, text=form.cleaned_data["text"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("异议已提交，等待答复。"))
    return redirect("assessment:result", pk=result.pk)


@require_POST
def objection_answer(request, pk):
    objection = selectors.objection_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写答复内容。"))
        return redirect("assessment:result", pk=objection.result_id)
    try:
        services.objection_answer(objection=objection, actor=request.user, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已答复异议。"))
    return redirect("assessment:result", pk=objection.result_id)

