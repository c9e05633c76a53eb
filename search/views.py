"""/search/?q=...: public content only (see search.providers), grouped by kind; &kind=... lists one kind."""

from django.core.paginator import Paginator
from django.shortcuts import render

from . import freshness, query
from .registry import PROVIDERS

PAGE_SIZE = 20


def search(request):
    text = query.clean(request.GET.get("q"))
    kind = request.GET.get("kind", "")
    context = {"q": text, "kind": kind if kind in PROVIDERS else "", "groups": [], "page": None}
    if text and context["kind"]:
        freshness.before_search()
        context["label"] = PROVIDERS[kind].label
        context["page"] = Paginator(query.of_kind(text, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    elif text:
        freshness.before_search()
        context["groups"] = query.grouped(text)
    return render(request, "search/results.html", context)
