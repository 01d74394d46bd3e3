"""What the content app announces. The apps above listen (the shop assistant in `ai` will
re-embed the help texts it retrieves from); content never calls them.

help_content_changed(kind, object_id)
    A store page or FAQ entry, or one of its translations, was saved or deleted, by whatever
    wrote it (the admin of any role, a service, the demo). `kind` is "page" or "faq";
    `object_id` the page's or entry's id (it may be gone: a deletion). Sent once the
    transaction commits (shop.events.send_on_commit); a receiver's failure is logged, never
    raised. Receivers should only mark work to do: a demo load sends one per row.
"""

from __future__ import annotations

from django.dispatch import Signal

from shop.events import send_on_commit

from .models import FaqEntry, StorePage

help_content_changed = Signal()

_KINDS = {
    StorePage: "page",
    StorePage._parler_meta.root_model: "page",
    FaqEntry: "faq",
    FaqEntry._parler_meta.root_model: "faq",
}


def watched_models() -> tuple[type, ...]:
    return tuple(_KINDS)


def announce_help_content_changed(*, sender, instance, **_signal_kwargs) -> None:
    """post_save / post_delete receiver of the four content models."""
    object_id = getattr(instance, "master_id", None) or instance.pk
    send_on_commit(help_content_changed, sender=sender, kind=_KINDS[sender], object_id=object_id)
