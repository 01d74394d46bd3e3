"""The help centre (FAQ by topic, search) and the store pages, in the shopper's language."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shop.language import request_language

from . import selectors
from .models import FaqTopic, StorePage


def _query(request: HttpRequest) -> str:
    value = request.GET.get("q", "")
    # Capped before anything else reads it; control characters (a NUL) are not search words.
    value = "".join(char for char in value[: selectors.MAX_QUERY_LENGTH * 2] if char.isprintable())
    return " ".join(value.split())[: selectors.MAX_QUERY_LENGTH]


def help_centre(request: HttpRequest) -> HttpResponse:
    language = request_language(request)
    query = _query(request)
    topic = request.GET.get("topic", "")
    topic = topic if topic in FaqTopic.values else ""
    pages = selectors.published_pages(language=language)
    context = {"help_query": query, "pages": pages, "topic": topic, "results": None}
    if query:
        context["results"] = selectors.search_help(query, language)
    else:
        context["all_groups"] = selectors.faq_by_topic(language=language)
        context["groups"] = [g for g in context["all_groups"] if not topic or g.topic == topic]
    return render(request, "content/help.html", context)


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = request_language(request)
    page = selectors.published_page(slug=slug, language=language)
    is_preview = False
    if page is None:
        # An unpublished page is previewed by staff who may see pages in the admin, nobody else.
        if request.user.has_perm("content.view_storepage"):
            page = StorePage.objects.filter(slug=slug).first()
            is_preview = page is not None
            if page is not None:
                page.set_current_language(language)
        if page is None:
            raise Http404(_("No such page."))
    faq = selectors.faq_for_page(page=page, language=language)
    context = {"page": page, "faq": faq, "is_preview": is_preview}
    return render(request, "content/page.html", context)
