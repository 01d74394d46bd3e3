"""What the reviews announce. The apps above listen (ai scores the words); reviews never call them.

reviews_saved(review_ids)
    Reviews were written (a shopper's review, an import), or their words changed.
    `review_ids`: their ids; None for a bulk load (the demo store), meaning "every review not
    scored yet". `by`: the staff member who edited the words in the admin (the scoring job
    is theirs), else None. Sent inside the saving transaction, not on commit: the sentiment job it
    starts is a row that must commit (or roll back) with the reviews, so that the job sweep
    (shop.enqueue_pending_jobs) still sends it if the broker was down at the commit. The job's
    own message to the broker waits for the commit (shop.events.after_commit).
product_rated(product_id, user, rating, language)
    A signed-in shopper reviewed a product with `rating` stars (ai records a "rating"
    interaction event through the events app). Sent at once, inside the review's transaction,
    as when reviews recorded the event itself: it rolls back with the review, and the recording
    runs in a savepoint, so it cannot break the review either.
"""

from django.dispatch import Signal

from reviews.models import Review
from shop.events import send_logged

reviews_saved = Signal()
product_rated = Signal()


def announce_reviews_saved(*, review_ids: list[int] | None, by=None) -> None:
    reviews_saved.send(
        sender=Review, review_ids=list(review_ids) if review_ids is not None else None, by=by
    )


def announce_product_rated(*, product_id: int, user, rating: int, language: str = "") -> None:
    send_logged(
        product_rated,
        sender=Review,
        product_id=product_id,
        user=user,
        rating=rating,
        language=language or "",
    )
