"""The to-do inbox: everything waiting for the user across modules, and its count for the header."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.todo import todo_count_for, todos_for


def todo_list(request):
    today = timezone.localdate()
    groups = todos_for(request.user, today)
    return render(request, "notifications/todo.html", {
        "groups": groups, "today": today, "todo_count": sum(len(g.items) for g in groups)})


@never_cache
@require_GET
def todo_count(request):
    """The header's count, fetched by the page after it loads (so no page pays for it before it is shown): counted
    in SQL by each provider, a fixed number of queries whatever the number of rows."""
    return JsonResponse({"count": todo_count_for(request.user, timezone.localdate())})
