"""Typed text in templates: `{{ value|rich_text }}` and `{{ data|json_ld }}`.

- `rich_text`: HTML a person typed (a product description), sanitised again as it is shown
  (shop.rich_text), whatever the database holds. Never use `|safe` on typed text.
- `json_ld`: a dict as a `<script type="application/ld+json">` element, with `<`, `>` and `&`
  escaped the way Django's `json_script` does, so no value can close the element.
"""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

from shop.rich_text import render_rich_text

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value) -> SafeString:
    return render_rich_text("" if value is None else str(value))


@register.filter(is_safe=True)
def json_ld(value) -> SafeString:
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(data.translate(_json_script_escapes)),  # noqa: S308 - escaped just here
    )
