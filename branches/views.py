"""Organisation pages: the tree a user may see and one organisation's page."""
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
