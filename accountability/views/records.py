"""约谈 and 问责 pages. 问责 records are read only through accountability.records, which audits every read."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Person
from branches.scope import visible_organisations
from common.files import serve_private

from .. import records as services
from .. import selectors
from ..forms import FollowUpForm, RecordFilterForm, RecordForm, TalkForm
from ..models import AccountabilityForm, Instruction, SpotCheckItem, TalkKind, TalkRecord
from ..permissions import can_record_talk, can_spot_check, is_discipline, reads_records
from ..sources import resolve
from ..spotchecks import spot_item_link
from . import form_errors, run_action


def _people(user):
    return Person.objects.filter(is_active=True).order_by("name", "pk")


def _orgs(user):
    return visible_organisations(user).active().order_by("sort_order", "pk")


def _linked(model, user, pk):
    if not pk:
        return None
    queryset = Instruction.objects.visible_to(user) if model is Instruction else TalkRecord.objects.visible_to(user)
    return queryset.filter(pk=pk).first()


def _source(request):
    key = request.POST.get("source") if request.method == "POST" else request.GET.get("source", "")
    return resolve(user=request.user, key=key or "", today=timezone.localdate())


def talk_list(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    kind = request.GET.get("kind", "")
    kind = kind if kind in TalkKind.values else ""
    talks = selectors.talks_for(user=request.user, year=year, kind=kind)
    page = Paginator(talks, 100).get_page(request.GET.get("page"))
    return render(request, "accountability/talk_list.html", {
        "page": page, "year": year, "kind": kind, "kinds": TalkKind.choices,
        "can_record": can_record_talk(request.user), "today": timezone.localdate()})


def talk_new(request):
    if not can_record_talk(request.user):
        raise PermissionDenied(_("只有纪检监察人员、党组书记和分管领导可以登记约谈。"))
    try:
        source = _source(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accountability:talks")
    initial = {"source": source.key if source else "", "reason": source.label if source else "",
               "instruction": request.GET.get("instruction", "") if request.GET.get("instruction", "").isdigit()
               else None}
    if source and len(source.organisation_ids) == 1:
        initial["organisation"] = source.organisation_ids[0]
    form = TalkForm(request.POST or None, people=_people(request.user), organisations=_orgs(request.user),
                    initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            talk = services.talk_record(
                actor=request.user, kind=data["kind"], held_on=data["held_on"], talkers=data["talkers"],
                interviewees=data["interviewees"], organisation=data["organisation"], reason=data["reason"],
                summary=data["summary"], place=data["place"], statement=data["statement"],
                commitments=data["commitments"], follow_up_on=data["follow_up_on"], recorder=data["recorder"],
                instruction=_linked(Instruction, request.user, data.get("instruction")), source=source)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记约谈记录。"))
            return redirect("accountability:talk", pk=talk.pk)
    return render(request, "accountability/talk_form.html", {"form": form, "source": source})


def talk_detail(request, pk):
    talk = selectors.talk_get(user=request.user, pk=pk)
    can_follow = talk.follow_up_open() and (is_discipline(request.user) or request.user.pk == talk.created_by_id)
    return render(request, "accountability/talk_detail.html", {
        "talk": talk, "today": timezone.localdate(), "follow_form": FollowUpForm() if can_follow else None,
        "can_record": reads_records(request.user) and is_discipline(request.user)})


@require_POST
def talk_follow_up(request, pk):
    talk = selectors.talk_get(user=request.user, pk=pk)
    back = reverse("accountability:talk", args=[pk])
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return form_errors(request, form, back)
    return run_action(request, lambda: services.talk_follow_up(actor=request.user, talk=talk,
                                                                note=form.cleaned_data["note"]),
                      _("已记录跟进情况。"), back)


# ---------------------------------------------------------------- 问责 records (confidential)


def _require_reader(user):
    """Anyone who may not read 问责 records gets a 404: the pages do not confirm such records exist."""
    if not reads_records(user) and not services.subject_reads_own():
        raise Http404


def record_list(request):
    _require_reader(request.user)
    form = RecordFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    records = services.records_list(user=request.user, request=request, year=data.get("year"),
                                    form=data.get("form"))
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    return render(request, "accountability/record_list.html", {
        "form": form, "page": page, "can_create": is_discipline(request.user), "forms": AccountabilityForm.choices})


def record_new(request):
    if not is_discipline(request.user):
        raise Http404
    try:
        source = _source(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accountability:records")
    initial = {"source": source.key if source else "", "reason": source.label if source else ""}
    for name in ("instruction", "talk", "spot_item"):
        if request.GET.get(name, "").isdigit():
            initial[name] = request.GET[name]
    if source and source.organisation_ids:
        initial["organisation"] = source.organisation_ids[0]
    form = RecordForm(request.POST or None, request.FILES or None, people=_people(request.user),
                      organisations=_orgs(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.accountability_record_create(
                actor=request.user, subject_kind=data["subject_kind"], organisation=data["organisation"],
                person=data["person"], measure=data["measure"], reason=data["reason"],
                deciding_body=data["deciding_body"], decided_on=data["decided_on"], doc_number=data["doc_number"],
                basis=data["basis"], instruction=_linked(Instruction, request.user, data.get("instruction")),
                talk=_linked(TalkRecord, request.user, data.get("talk")), source=source, files=data["files"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if data.get("spot_item") and can_spot_check(request.user):
                item = SpotCheckItem.objects.filter(pk=data["spot_item"]).first()
                if item is not None:
                    spot_item_link(item=item, record=record)
            messages.success(request, _("已登记问责记录。"))
            return redirect("accountability:record", pk=record.pk)
    return render(request, "accountability/record_form.html", {"form": form, "source": source})


def record_detail(request, pk):
    _require_reader(request.user)
    record = services.record_read(user=request.user, pk=pk, request=request)
    return render(request, "accountability/record_detail.html", {
        "record": record, "attachments": list(record.attachments.all()),
        "reads": list(record.access_log.select_related("user")[:20]) if is_discipline(request.user) else None})


def record_attachment(request, pk):
    _require_reader(request.user)
    attachment = services.attachment_read(user=request.user, pk=pk, request=request)
    return serve_private(attachment.file, attachment.name)
