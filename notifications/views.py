"""The notification centre: a user's own reminders, marking them read, and turning email off."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import CentreFilter
from .models import Reminder
from .services import notification_mark_read


def notification_list(request):
    # Unread first: NULLs sort first on SQLite but last on PostgreSQL unless the ordering says so.
    reminders = Reminder.objects.filter(recipient=request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id")
    params = request.GET.copy()
    if params.get("unread") and not params.get("state"):
        params["state"] = "unread"  # the older "only unread" link
    form = CentreFilter(params)
    page = Paginator(form.filter(reminders), 50).get_page(request.GET.get("page"))
    query = params.copy()
    query.pop("page", None)
    query.pop("unread", None)
    return render(request, "notifications/list.html", {"page": page, "form": form, "query": query.urlencode()})


def notification_open(request, pk):
    """Opening a notification marks it read and goes where it points."""
    reminder = get_object_or_404(Reminder, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, reminder_ids=[reminder.pk])
    link = reminder.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


@require_POST
def notification_read(request):
    given = request.POST.getlist("id")
    # No id: all of them; ids that are not plain numbers of a sane length match nothing.
    ids = [int(i) for i in given if i.isascii() and i.isdecimal() and len(i) <= 18] if given else None
    notification_mark_read(user=request.user, reminder_ids=ids)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


def notification_settings(request):
    if request.method == "POST":
        request.user.receive_email = request.POST.get("receive_email") == "on"
        request.user.save(update_fields=["receive_email"])
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html")
