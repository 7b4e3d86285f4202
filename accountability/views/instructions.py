"""督办/交办 pages: the list (and drill-down), issue (also from a red item), the detail with its recipient matrix,
签收, 反馈, 办结/退回, withdraw, the print view and the .docx."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.scope import visible_organisations
from common.files import serve_private

from .. import instructions as services
from .. import selectors
from ..forms import DecisionForm, InstructionForm, ListFilterForm, ReplyForm, WithdrawForm
from ..models import InstructionAttachment, InstructionKind, InstructionStatus, RecipientState, SpotCheckItem
from ..permissions import can_act_for, can_issue, can_spot_check, is_issuer_office
from ..printing import instruction_docx, sheet_rows
from ..sources import resolve
from ..spotchecks import spot_item_link
from . import form_errors, run_action

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def instruction_list(request):
    today = timezone.localdate()
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or today.year
    rows = selectors.recipient_rows(user=request.user, year=year, kind=data.get("kind") or "",
                                    which=data.get("which") or "", today=today)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accountability/instruction_list.html", {
        "form": form, "page": page, "year": year, "today": today, "query": query.urlencode(),
        "can_supervise": can_issue(request.user, InstructionKind.SUPERVISE),
        "can_assign": can_issue(request.user, InstructionKind.ASSIGN),
    })


def instruction_new(request, kind):
    if kind not in InstructionKind.values:
        raise Http404
    if not can_issue(request.user, kind):
        raise PermissionDenied(_("您不能下发%(kind)s。") % {"kind": InstructionKind(kind).label})
    today = timezone.localdate()
    key = request.POST.get("source") if request.method == "POST" else request.GET.get("source", "")
    try:
        source = resolve(user=request.user, key=key or "", today=today)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accountability:red_items")
    orgs = visible_organisations(request.user).active().order_by("sort_order", "pk")
    initial = {}
    if source is not None:
        initial = {"source": source.key, "organisations": source.organisation_ids,
                   "title": _("关于%(what)s的督办") % {"what": source.label} if kind == InstructionKind.SUPERVISE
                   else source.label}
    if request.GET.get("spot_item", "").isdigit():
        initial["spot_item"] = request.GET["spot_item"]
    form = InstructionForm(request.POST or None, request.FILES or None, kind=kind, organisations=orgs,
                           initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instruction = services.instruction_issue(
                actor=request.user, kind=kind, title=data["title"], requirement=data["requirement"],
                organisations=data["organisations"], due_on=data["due_on"], ack_days=data["ack_days"],
                source=source, files=data["files"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _link_spot_item(request, data.get("spot_item"), instruction=instruction)
            messages.success(request, _("已下发%(code)s。") % {"code": instruction.code})
            return redirect("accountability:instruction", pk=instruction.pk)
    return render(request, "accountability/instruction_form.html", {
        "form": form, "kind": InstructionKind(kind), "source": source})


def _link_spot_item(request, item_id, **links):
    if item_id and can_spot_check(request.user):
        item = SpotCheckItem.objects.filter(pk=item_id).first()
        if item is not None:
            spot_item_link(item=item, **links)


def instruction_detail(request, pk):
    instruction = selectors.instruction_get(user=request.user, pk=pk)
    user, today = request.user, timezone.localdate()
    recipients = selectors.recipients_for(user=user, instruction=instruction)
    issuer = is_issuer_office(user, instruction)
    open_ = instruction.status == InstructionStatus.ISSUED
    for r in recipients:
        r.colour_now = r.colour(today)
        mine = open_ and can_act_for(user, r.organisation_id)
        r.can_ack = mine and r.state == RecipientState.PENDING
        r.reply_form = ReplyForm(prefix=f"r{r.pk}") if mine and r.state in (
            RecipientState.ACKNOWLEDGED, RecipientState.RETURNED) else None
        r.decision_form = DecisionForm(prefix=f"d{r.pk}") if issuer and open_ and \
            r.state == RecipientState.REPLIED else None
    counts = {state: sum(1 for r in recipients if r.state == state) for state in RecipientState.values}
    return render(request, "accountability/instruction_detail.html", {
        "instruction": instruction, "recipients": recipients, "today": today, "issuer": issuer,
        "counts": [(RecipientState(s).label, n) for s, n in counts.items() if n],
        "events": list(instruction.events.select_related("actor", "recipient__organisation")),
        "attachments": list(instruction.attachments.filter(recipient__isnull=True)),
        "withdraw_form": WithdrawForm() if issuer and open_ else None,
    })


def _back(instruction_id):
    return reverse("accountability:instruction", args=[instruction_id])


@require_POST
def recipient_acknowledge(request, pk):
    recipient = selectors.recipient_get(user=request.user, pk=pk)
    return run_action(request, lambda: services.recipient_acknowledge(actor=request.user, recipient=recipient),
                      _("已签收。"), _back(recipient.instruction_id))


@require_POST
def recipient_reply(request, pk):
    recipient = selectors.recipient_get(user=request.user, pk=pk)
    form = ReplyForm(request.POST, request.FILES, prefix=f"r{pk}")
    if not form.is_valid():
        return form_errors(request, form, _back(recipient.instruction_id))
    return run_action(request, lambda: services.recipient_reply(
        actor=request.user, recipient=recipient, text=form.cleaned_data["text"], files=form.cleaned_data["files"]),
        _("已反馈办理结果。"), _back(recipient.instruction_id))


@require_POST
def recipient_decide(request, pk):
    recipient = selectors.recipient_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST, prefix=f"d{pk}")
    if not form.is_valid():
        return form_errors(request, form, _back(recipient.instruction_id))
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == DecisionForm.ACCEPT:
        return run_action(request, lambda: services.recipient_accept(
            actor=request.user, recipient=recipient, comment=comment), _("已办结。"), _back(recipient.instruction_id))
    return run_action(request, lambda: services.recipient_return(
        actor=request.user, recipient=recipient, reason=comment), _("已退回重办。"), _back(recipient.instruction_id))


@require_POST
def instruction_withdraw(request, pk):
    instruction = selectors.instruction_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form, _back(pk))
    return run_action(request, lambda: services.instruction_withdraw(
        actor=request.user, instruction=instruction, reason=form.cleaned_data["reason"]), _("已撤回。"), _back(pk))


def instruction_print(request, pk):
    instruction = selectors.instruction_get(user=request.user, pk=pk)
    recipients = selectors.recipients_for(user=request.user, instruction=instruction)
    return render(request, "accountability/instruction_print.html", {
        "instruction": instruction, "rows": sheet_rows(instruction, recipients)})


def instruction_docx_download(request, pk):
    instruction = selectors.instruction_get(user=request.user, pk=pk)
    recipients = selectors.recipients_for(user=request.user, instruction=instruction)
    response = HttpResponse(instruction_docx(instruction, recipients), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{instruction.code}.docx")
    return response


def attachment_download(request, pk):
    """Files sent with an instruction go to everyone who sees it; a reply's files to the issuing side and the
    replying organisation's scope."""
    try:
        attachment = InstructionAttachment.objects.get(pk=pk)
    except (InstructionAttachment.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    selectors.instruction_get(user=request.user, pk=attachment.instruction_id)
    if attachment.recipient_id:
        selectors.recipient_get(user=request.user, pk=attachment.recipient_id)
    return serve_private(attachment.file, attachment.name)
