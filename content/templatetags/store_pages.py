"""`{% footer_store_pages as pages %}`: the published store pages for the footer of every page."""

from django import template

from shop.language import request_language

from ..selectors import footer_pages_or_none

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_store_pages(context) -> list[dict[str, str]]:
    request = context.get("request")
    return footer_pages_or_none(language=request_language(request) if request else None)
