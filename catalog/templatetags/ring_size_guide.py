"""`{% ring_size_table %}`: the ring size conversion table, the shopper's scale highlighted.

The store page of kind "size_guide" renders it under the page's own text, so the table is the
catalog's data (catalog.ring_sizes), in every language, instead of figures typed into each
translation of the page.
"""

from __future__ import annotations

from django import template

from shop.language import content_language

from ..ring_sizes import SCALE_NAMES, Scale, guide_rows, scale_for, shopper_scale

register = template.Library()


@register.inclusion_tag("catalog/includes/ring_size_table.html", takes_context=True)
def ring_size_table(context) -> dict:
    request = context.get("request")
    language = content_language()
    scale = shopper_scale(request) if request is not None else scale_for(language)
    columns = [{"name": SCALE_NAMES[each], "is_shopper": each == scale} for each in Scale]
    rows = [
        {
            "circumference": row.circumference,
            "diameter": row.diameter,
            "cells": [
                {"text": text, "is_shopper": column["is_shopper"]}
                for text, column in zip(row.cells, columns, strict=True)
            ],
        }
        for row in guide_rows(language)
    ]
    return {"columns": columns, "rows": rows, "shopper_scale_name": SCALE_NAMES[scale]}
