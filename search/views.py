"""The header's search box: results within the user's scope, grouped by kind."""
from django.shortcuts import render

from .forms import SearchForm
from .selectors import search


def search_page(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    sections = search(user=request.user, query=query) if query else []
    return render(request, "search/results.html", {"form": form, "query": query, "sections": sections,
                                                   "invalid": not form.is_valid()})
