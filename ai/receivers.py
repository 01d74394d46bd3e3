"""What ai does when the domain apps announce something (their signals.py): ai listens, they
never call ai. Connected in AiConfig.ready().

- reviews_saved (reviews): score the reviews' sentiment in a background job;
- products_changed (catalog): re-embed the products marked dirty soon, in a job;
- help_content_changed (content): forget the shop assistant's cached help documents (their
  vectors, keyed on the text, stay; the next question re-embeds only what changed);
- interaction_history_seeded (events, the demo store): train the recommender now;
- product_viewed (catalog), wishlist_item_added (customers), line_added_to_bag and order_placed
  (orders), product_rated (reviews): record the interaction events the recommender learns from
  (events.services.interaction_record).
"""

from __future__ import annotations

from catalog.signals import product_viewed, products_changed
from content.signals import help_content_changed
from customers.signals import wishlist_item_added
from events.models import InteractionEvent
from events.services import interaction_record
from events.signals import interaction_history_seeded
from orders.signals import line_added_to_bag, order_placed
from reviews.signals import product_rated, reviews_saved

from .assistant import help as assistant_help
from .recommend.jobs import recommend_train
from .search.indexing import search_reindex_dirty_start
from .sentiment.jobs import sentiment_score_reviews_start


def score_saved_reviews(sender, *, review_ids: list[int] | None, **kwargs) -> None:
    """A review saved: a job of its own (force); a bulk load: the one bulk job for the unscored."""
    if review_ids is None:
        sentiment_score_reviews_start(only_unscored=True)
    else:
        sentiment_score_reviews_start(review_ids=review_ids)


def reindex_changed_products(sender, *, product_ids: list[int], **kwargs) -> None:
    """They are marked dirty already (the catalog's own flag): start the dirty re-index job
    now rather than wait for the periodic sweep."""
    search_reindex_dirty_start()


def train_on_seeded_history(sender, *, events: int, **kwargs) -> dict[str, int]:
    """Trains the recommender in this process; the counts go into the demo seed's report."""
    report = recommend_train()
    return {"recommendation lists": sum(report["lists"].values())}


def forget_help_documents(sender, *, kind: str, object_id: int, **kwargs) -> None:
    """Only marks: a demo load sends one signal per row; the next question re-reads them."""
    assistant_help.clear_cache()


def record_view(sender, *, product_id: int, user, session_key: str, language: str, **kwargs):
    interaction_record(
        kind=InteractionEvent.Kind.VIEW,
        product_id=product_id,
        user=user,
        session_key=session_key,
        language=language,
    )


def record_bag_add(
    sender, *, product_id: int, quantity: int, user, session_key: str, language: str, **kwargs
) -> None:
    interaction_record(
        kind=InteractionEvent.Kind.CART_ADD,
        product_id=product_id,
        user=user,
        session_key=session_key,
        value=quantity,
        language=language,
    )


def record_wishlist_add(
    sender, *, product_id: int, user, session_key: str, country: str, language: str, **kwargs
) -> None:
    interaction_record(
        kind=InteractionEvent.Kind.WISHLIST_ADD,
        product_id=product_id,
        user=user,
        session_key=session_key,
        country=country,
        language=language,
    )


def record_rating(sender, *, product_id: int, user, rating: int, language: str, **kwargs) -> None:
    interaction_record(
        kind=InteractionEvent.Kind.RATING,
        product_id=product_id,
        user=user,
        value=rating,
        language=language,
    )


def record_purchase(
    sender,
    *,
    lines: list[tuple[int, int]],
    user,
    session_key: str,
    country: str,
    language: str,
    **kwargs,
) -> None:
    """One purchase event per line (a product bought twice in one order counts its quantity)."""
    for product_id, quantity in lines:
        interaction_record(
            kind=InteractionEvent.Kind.PURCHASE,
            product_id=product_id,
            user=user,
            session_key=session_key,
            value=quantity,
            country=country,
            language=language,
        )


def connect() -> None:
    product_viewed.connect(record_view, dispatch_uid="ai-record-view")
    line_added_to_bag.connect(record_bag_add, dispatch_uid="ai-record-bag-add")
    order_placed.connect(record_purchase, dispatch_uid="ai-record-purchase")
    wishlist_item_added.connect(record_wishlist_add, dispatch_uid="ai-record-wishlist-add")
    product_rated.connect(record_rating, dispatch_uid="ai-record-rating")
    interaction_history_seeded.connect(
        train_on_seeded_history, dispatch_uid="ai-train-on-seeded-history"
    )
    products_changed.connect(reindex_changed_products, dispatch_uid="ai-reindex-changed-products")
    reviews_saved.connect(score_saved_reviews, dispatch_uid="ai-score-saved-reviews")
    help_content_changed.connect(forget_help_documents, dispatch_uid="ai-forget-help-documents")
