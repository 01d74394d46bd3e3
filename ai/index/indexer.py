"""Embeds product texts into ProductEmbedding rows and keeps the vector index in step.

A text is embedded again only when it changed (its sha256 differs from the stored one),
unless `force` asks for everything (a new model). Work goes in batches of products, each
written in one short transaction, so a search keeps serving the old vectors meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai.embeddings import Embedder, get_embedder
from ai.embeddings import batch_size as embedding_batch_size
from ai.models import ProductEmbedding
from catalog.models import Product
from catalog.selectors import products_search_dirty
from catalog.services import products_clear_search_dirty

from .base import ProgressCallback, VectorIndex, language_codes
from .store import bump_version
from .text import product_texts, text_hash

DEFAULT_BATCH_PRODUCTS = 200


@dataclass
class ReindexReport:
    products: int = 0  # products looked at
    texts: int = 0  # (product, language) texts built
    embedded: int = 0  # texts embedded (new or changed, or all when forced)
    unchanged: int = 0  # texts whose stored vector was still right
    removed: int = 0  # rows dropped (a translation or a language went away)
    indexed: int = 0  # vectors the index took in
    seconds: float = 0.0
    backend: str = ""
    dimension: int = 0
    index: str = ""
    languages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def reindex_batch_size() -> int:
    return max(1, int(getattr(settings, "AI_SEARCH_REINDEX_BATCH", DEFAULT_BATCH_PRODUCTS)))


def _check_languages(languages: Iterable[str] | None) -> list[str] | None:
    if languages is None:
        return None
    languages = list(dict.fromkeys(languages))
    unknown = [code for code in languages if code not in language_codes()]
    if unknown:
        raise ValueError(
            f"Unknown language {', '.join(unknown)}; expected one of {', '.join(language_codes())}"
        )
    return languages


def _write_batch(
    *,
    batch: list[int],
    languages: list[str] | None,
    force: bool,
    embedder: Embedder,
    report: ReindexReport,
    clear_dirty: bool,
) -> bool:
    """Embeds and saves one batch of products; returns whether any row changed."""
    # Read before the texts: a product saved after this keeps its dirty flag (see below).
    saved_at = dict(Product.objects.filter(pk__in=batch).values_list("pk", "updated_at"))
    texts = product_texts(batch, languages=languages)
    rows = ProductEmbedding.objects.filter(backend=embedder.name, product_id__in=batch)
    if languages is not None:
        rows = rows.filter(language__in=languages)
    existing = {
        (product_id, language): (pk, stored_hash)
        for pk, product_id, language, stored_hash in rows.values_list(
            "pk", "product_id", "language", "text_hash"
        )
    }
    wanted = []
    for product_id, per_language in texts.items():
        for language, text in per_language.items():
            wanted.append((product_id, language, text, text_hash(text)))
    report.texts += len(wanted)
    to_embed = [
        item for item in wanted if force or existing.get((item[0], item[1]), (0, ""))[1] != item[3]
    ]
    report.unchanged += len(wanted) - len(to_embed)
    vectors = (
        embedder.embed([item[2] for item in to_embed], batch_size=embedding_batch_size())
        if to_embed
        else None
    )
    now = timezone.now()
    objects = [
        ProductEmbedding(
            product_id=product_id,
            language=language,
            backend=embedder.name,
            dimension=embedder.dimension,
            vector=vector.tobytes(),
            text_hash=digest,
            updated_at=now,
        )
        for (product_id, language, _text, digest), vector in zip(
            to_embed, vectors if vectors is not None else [], strict=True
        )
    ]
    keep = {(item[0], item[1]) for item in wanted}
    stale = [pk for key, (pk, _hash) in existing.items() if key not in keep]
    with transaction.atomic():
        if objects:
            ProductEmbedding.objects.bulk_create(
                objects,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["backend", "product", "language"],
                update_fields=["vector", "dimension", "text_hash", "updated_at"],
            )
        if stale:
            ProductEmbedding.objects.filter(pk__in=stale).delete()
        if clear_dirty:
            products_clear_search_dirty(saved_at=saved_at)
    report.embedded += len(objects)
    report.removed += len(stale)
    return bool(objects or stale)


def reindex_products(
    product_ids: Iterable[int] | None = None,
    *,
    only_dirty: bool = False,
    languages: Iterable[str] | None = None,
    force: bool = False,
    embedder: Embedder | None = None,
    index: VectorIndex | None = None,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> ReindexReport:
    """Brings the embeddings of products up to date and the index with them.

    - product_ids=None: every product, then index.build() (a full rebuild of the index);
      only_dirty=True: the products marked search_index_dirty; otherwise the given ids.
      Partial runs update the index product by product (index.upsert).
    - languages: only these languages (the dirty flag is then left as it is).
    - force: embed every text again, even unchanged ones.
    The dirty flag of the products done is cleared, unless they changed meanwhile.
    """
    from . import get_index

    began = time.monotonic()
    languages = _check_languages(languages)
    embedder = embedder or get_embedder()
    index = index or get_index(backend=embedder.name, dimension=embedder.dimension)
    everything = product_ids is None and not only_dirty
    if only_dirty:
        ids = list(products_search_dirty().values_list("pk", flat=True))
    elif product_ids is None:
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({int(pk) for pk in product_ids})
    report = ReindexReport(
        products=len(ids),
        backend=embedder.name,
        dimension=embedder.dimension,
        index=index.kind,
        languages=languages or language_codes(),
    )
    size = batch_size or reindex_batch_size()
    changed = False
    try:
        if progress:
            progress(0, len(ids), _("Embedding %(count)d products") % {"count": len(ids)})
        for start in range(0, len(ids), size):
            batch = ids[start : start + size]
            if _write_batch(
                batch=batch,
                languages=languages,
                force=force,
                embedder=embedder,
                report=report,
                clear_dirty=languages is None,
            ):
                changed = True
                if not everything:
                    report.indexed += index.upsert(batch)
            if progress:
                done = start + len(batch)
                progress(
                    done,
                    len(ids),
                    _("Embedded %(done)d of %(count)d products")
                    % {"done": done, "count": len(ids)},
                )
        if everything and languages is None:
            # Rows of languages the shop no longer offers.
            gone = (
                ProductEmbedding.objects.filter(backend=embedder.name)
                .exclude(language__in=language_codes())
                .delete()[0]
            )
            report.removed += gone
            changed = changed or bool(gone)
    finally:
        if changed:
            bump_version(embedder.name)
    if everything:
        if progress:
            progress(len(ids), len(ids), _("Building the search index"))
        report.indexed = index.build()
    report.seconds = round(time.monotonic() - began, 3)
    return report
