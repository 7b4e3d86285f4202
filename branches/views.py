"""Organisation pages: the tree a user may see, one organisation's page, and the search behind scope pickers."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from . import selectors


def organisation_list(request):
    return render(request, "branches/organisation_list.html",
                  {"organisations": selectors.organisation_list(user=request.user)})


def organisation_detail(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    return render(request, "branches/organisation_detail.html", {
        "organisation": organisation,
        "children": selectors.organisation_children(user=request.user, organisation=organisation),
        "today": timezone.localdate(),
    })


def organisation_search(request):
    """JSON for the scope pickers: the organisations in the user's scope matching `q` (a name or part of one)."""
    found = selectors.organisation_search(user=request.user, query=request.GET.get("q", "")[:50])
    return JsonResponse({"results": [
        {"id": org.pk, "name": org.name, "label": f"{org.name}（{org.parent.name}）" if org.parent_id else org.name}
        for org in found]})
