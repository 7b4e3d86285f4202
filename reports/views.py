"""Monthly report pages: 本月待报, the report form, review, the reviewer queue, the year grid, evidence."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.scope import scope_for
from branches.selectors import organisation_get
from common.files import serve_private
from common.review_hints import ReviewHints, review_hints
from responsibility import selectors as responsibility_selectors

from . import selectors, services
from .models import LineStatus


def pending(request):
    today = timezone.localdate()
    reports, upcoming, recent = selectors.pending_for(user=request.user, today=today)
    return render(request, "reports/pending.html", {
        "reports": reports, "upcoming": upcoming, "recent": recent, "today": today})


def _posted_lines(request, lines) -> dict[int, services.LineInput]:
    return {line.pk: services.LineInput(
        status=request.POST.get(f"line-{line.pk}-status", ""),
        done_text=request.POST.get(f"line-{line.pk}-done_text", "")[:5000],
        problems=request.POST.get(f"line-{line.pk}-problems", "")[:5000],
        next_steps=request.POST.get(f"line-{line.pk}-next_steps", "")[:5000],
    ) for line in lines}


def _render_report(request, report, *, lines=None, posted=None, errors=(), status=200):
    lines = lines if lines is not None else selectors.report_lines(report)
    if posted:  # show what the user typed, not what is stored
        for line in lines:
            data = posted.get(line.pk)
            if data:
                line.status, line.done_text, line.problems, line.next_steps = (
                    data.status, data.done_text, data.problems, data.next_steps)
    locked = report.entry_locked(timezone.localdate())
    can_review = report.status == "submitted" and services.can_review(request.user, report)
    # 纸上整改 signs (reused evidence, copied text) for the reviewer, per line and in total.
    hints = review_hints(user=request.user, holders=[f"reports.reportline:{line.pk}" for line in lines]) \
        if can_review else ReviewHints()
    for line in lines:
        line.hints = hints.get(f"reports.reportline:{line.pk}")
    return render(request, "reports/report_detail.html", {
        "report": report, "lines": lines, "events": selectors.report_events(report),
        "can_edit": report.is_editable and not locked and services.can_edit(request.user, report),
        "locked": locked, "lock_days": settings.REPORT_LOCK_DAYS,
        "can_reopen": locked and services.reviews_reports(request.user)
        and report.organisation_id not in scope_for(request.user).led_org_ids,
        "can_review": can_review, "hints": hints,
        "line_statuses": LineStatus.choices, "errors": errors, "today": timezone.localdate(),
        "overdue": report.overdue_days(timezone.localdate()),
    }, status=status)


def report_print(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    return render(request, "reports/report_print.html", {
        "report": report, "lines": selectors.report_lines(report), "events": selectors.report_events(report)})


def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _render_report(request, report)

    lines = selectors.report_lines(report)
    posted = _posted_lines(request, lines)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    uploads = {line.pk: request.FILES.getlist(f"line-{line.pk}-files") for line in lines}
    try:
        services.monthly_report_save(actor=request.user, report=report, version=version, lines=posted,
                                     uploads=uploads)
    except services.StaleDraft as exc:
        report.refresh_from_db()
        return _render_report(request, report, posted=posted, errors=[str(exc)], status=409)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        report.refresh_from_db()
        return _render_report(request, report, posted=posted, errors=exc.messages, status=400)

    if "submit" in request.POST:
        try:
            services.monthly_report_submit(actor=request.user, report=report)
        except ValidationError as exc:
            report.refresh_from_db()
            return _render_report(request, report, errors=[_("未提交，草稿已保存。请补充以下内容：")] + exc.messages,
                                  status=400)
        messages.success(request, _("报告已提交，等待审核。"))
    else:
        messages.success(request, _("草稿已保存。"))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def report_review(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            services.monthly_report_accept(actor=request.user, report=report,
                                           comment=request.POST.get("comment", "")[:2000])
            messages.success(request, _("已审核通过。"))
        elif request.POST.get("decision") == "return":
            comments = {line.pk: request.POST.get(f"line-{line.pk}-review_comment", "")[:2000]
                        for line in report.lines.all()}
            services.monthly_report_return(actor=request.user, report=report,
                                           reason=request.POST.get("reason", "")[:2000], line_comments=comments)
            messages.success(request, _("已驳回，等待重新提交。"))
        else:
            messages.error(request, _("请选择审核结果。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def report_reopen(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    try:
        services.monthly_report_reopen(actor=request.user, report=report, days=days,
                                       reason=request.POST.get("reason", "")[:500])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已重新开放填报。"))
    return redirect("reports:detail", pk=report.pk)


@require_POST
def report_open(request):
    try:
        organisation = organisation_get(user=request.user, pk=request.POST.get("organisation"))
        year, month = int(request.POST.get("year", "")), int(request.POST.get("month", ""))
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        messages.error(request, _("请选择有效的组织和月份。"))
        return redirect("reports:pending")
    try:
        report = services.monthly_report_open(actor=request.user, organisation=organisation, year=year, month=month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:pending")
    return redirect("reports:detail", pk=report.pk)


def evidence_download(request, pk):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return serve_private(evidence.file, evidence.original_name)


@require_POST
def evidence_delete(request, pk):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    report_pk = evidence.line.report_id
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:detail", pk=report_pk)


def review_queue(request):
    waiting, returned = selectors.review_queue(user=request.user)
    holders = selectors.line_holders(waiting)
    hints = review_hints(user=request.user, holders=holders)
    for report in waiting:
        report.hint_count = sum(len(hints.get(holder)) for holder, report_id in holders.items() if report_id == report.pk)
    return render(request, "reports/queue.html", {"waiting": waiting, "returned": returned, "hints": hints,
                                                  "today": timezone.localdate()})


def my_responsibilities(request):
    """我的责任: the items the user's organisations carry, lead (一岗双责) or supervise, each assignment with its
    line in the latest monthly report. It lives here, above the lists, because it reads the reports too."""
    assignments = responsibility_selectors.my_assignments(user=request.user)
    supervised = responsibility_selectors.supervised_assignments(user=request.user)
    latest = selectors.latest_lines(assignments + supervised)
    for assignment in assignments + supervised:
        assignment.latest_line = latest.get(assignment.pk)
    return render(request, "responsibility/my.html", {
        "assignments": assignments, "supervised": supervised,
        "led_items": responsibility_selectors.led_items(user=request.user),
    })
