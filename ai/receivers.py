"""What ai does when the domain apps announce something (their signals.py): ai listens, they
never call ai. Connected in AiConfig.ready().

- reviews_saved (catalog.reviews): score the reviews' sentiment in a background job;
- products_changed (catalog): re-embed the products marked dirty soon, in a job.
"""

from __future__ import annotations

from catalog.reviews.signals import reviews_saved
from catalog.signals import products_changed


def score_saved_reviews(sender, *, review_ids: list[int] | None, **kwargs) -> None:
    """A review saved: a job of its own (force); a bulk load: the one bulk job for the unscored."""
    from . import services

    if review_ids is None:
        services.sentiment_score_reviews_start(only_unscored=True)
    else:
        services.sentiment_score_reviews_start(review_ids=review_ids)


def reindex_changed_products(sender, *, product_ids: list[int], **kwargs) -> None:
    """They are marked dirty already (the catalog's own flag): start the dirty re-index job
    now rather than wait for the periodic sweep."""
    from . import services

    services.search_reindex_dirty_start()


def connect() -> None:
    products_changed.connect(reindex_changed_products, dispatch_uid="ai-reindex-changed-products")
    reviews_saved.connect(score_saved_reviews, dispatch_uid="ai-score-saved-reviews")
