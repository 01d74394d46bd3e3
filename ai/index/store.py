"""Reading and versioning the stored product embeddings (ai.models.ProductEmbedding)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import F

from ai.models import SearchIndexVersion


def current_version(backend: str, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """The change counter of a backend's embeddings (0 before the first write)."""
    version = (
        SearchIndexVersion.objects.using(using)
        .filter(backend=backend)
        .values_list("version", flat=True)
        .first()
    )
    return int(version or 0)


def bump_version(backend: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Tells every process that the backend's embeddings changed (call after they are saved)."""
    updated = (
        SearchIndexVersion.objects.using(using)
        .filter(backend=backend)
        .update(version=F("version") + 1)
    )
    if updated:
        return
    try:
        with transaction.atomic(using=using):
            SearchIndexVersion.objects.using(using).create(backend=backend, version=1)
    except IntegrityError:
        # Another process created the row meanwhile.
        SearchIndexVersion.objects.using(using).filter(backend=backend).update(
            version=F("version") + 1
        )
