"""Calendar subscription: a page to create, renew or revoke the secret URL, and the read-only feed itself."""
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .calendar import calendar_feed_renew, calendar_feed_revoke, render_ics
from .models import CalendarFeed


def calendar_settings(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            calendar_feed_renew(user=request.user)
            messages.success(request, _("已生成新的订阅地址，旧地址立即失效。"))
        elif action == "revoke":
            calendar_feed_revoke(user=request.user)
            messages.success(request, _("已取消日历订阅，原地址不再可用。"))
        else:
            messages.error(request, _("无效的操作。"))
        return redirect("notifications:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "notifications/calendar.html", {"feed": feed, "url": url})


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first() if len(token) <= 64 else None
    if feed is None or not feed.user.is_active:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    body = render_ics(feed.user, timezone.localdate(), _("责任链 · 截止日期"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="zerenlian.ics"'
    return response
