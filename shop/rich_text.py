"""Rich text: HTML that a person typed (a merchant, a translator, a Shopify export).

One sanitiser, `sanitize_html`, used on every way in and on the way out:

- in: `RichTextField` cleans the value whenever it is written to the database, whatever wrote
  it (a form, the admin of any role, a parler translation, an import, `bulk_create`, `update`);
- out: the `rich_text` template filter (shop/templatetags/rich_text.py) cleans it again when a
  page shows it, so a row written before the field existed, or by raw SQL, is still harmless.

Only plain formatting survives: no scripts, styles, event handlers, links or images.
"""

from __future__ import annotations

import nh3
from django.db import models
from django.utils.safestring import SafeString, mark_safe

# Tags a description may use; everything else is removed (the text inside <script> and <style>
# too), and no attribute is kept.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "strong",
        "b",
        "em",
        "i",
        "h3",
        "h4",
        "span",
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
    }
)


def sanitize_html(html: str | None) -> str:
    """The HTML with only ALLOWED_TAGS and no attributes: safe to put in a page as it is."""
    return nh3.clean(html or "", tags=set(ALLOWED_TAGS), attributes={}).strip()


def render_rich_text(html: str | None) -> SafeString:
    """Sanitised HTML, marked safe for a template."""
    return mark_safe(sanitize_html(html))  # noqa: S308 - sanitised just here


class RichTextField(models.TextField):
    """A TextField whose value is always sanitised before it reaches the database."""

    def pre_save(self, model_instance, add):
        # Also keep the object in memory as it was stored.
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            value = sanitize_html(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # QuerySet.update() and bulk_update() do not call pre_save(); every write calls this.
        if isinstance(value, str):
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)
