"""What ai does when the domain apps announce something (their signals.py): ai listens, they
never call ai. Connected in AiConfig.ready().

- reviews_saved (catalog.reviews): score the reviews' sentiment in a background job.
"""

from __future__ import annotations

from catalog.reviews.signals import reviews_saved


def score_saved_reviews(sender, *, review_ids: list[int] | None, **kwargs) -> None:
    """A review saved: a job of its own (force); a bulk load: the one bulk job for the unscored."""
    from . import services

    if review_ids is None:
        services.sentiment_score_reviews_start(only_unscored=True)
    else:
        services.sentiment_score_reviews_start(review_ids=review_ids)


def connect() -> None:
    reviews_saved.connect(score_saved_reviews, dispatch_uid="ai-score-saved-reviews")
