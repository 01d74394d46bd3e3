"""Files follow their rows: a deleted design picture or draft takes its PNG with it.

The file goes only once the deletion commits (shop.events.after_commit), so a deletion that is
rolled back keeps a row whose picture is still there.
"""

from __future__ import annotations

from django.db.models.signals import post_delete

from shop.events import after_commit

from .models import DesignDraft, DesignImage


def _delete_file_after_commit(sender, instance, **kwargs) -> None:
    field = instance.image
    if not field or not field.name:
        return
    storage, name = field.storage, field.name
    after_commit(lambda: storage.delete(name))


def connect() -> None:
    for model in (DesignImage, DesignDraft):
        post_delete.connect(
            _delete_file_after_commit, sender=model, dispatch_uid=f"design-file-{model.__name__}"
        )
