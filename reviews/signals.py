"""What the reviews announce. The apps above listen (ai scores the words); reviews never call them.

reviews_saved(review_ids)
    Reviews were written (a shopper's review, an import), or their words changed.
    `review_ids`: their ids; None for a bulk load (the demo store), meaning "every review not
    scored yet". Sent inside the saving transaction, not on commit: the sentiment job it
    starts is a row that must commit (or roll back) with the reviews, so that the job sweep
    (ai.enqueue_pending_jobs) still sends it if the broker was down at the commit. The job's
    own message to the broker waits for the commit (shop.events.after_commit).
"""

from django.dispatch import Signal

from reviews.models import Review

reviews_saved = Signal()


def announce_reviews_saved(*, review_ids: list[int] | None) -> None:
    reviews_saved.send(
        sender=Review, review_ids=list(review_ids) if review_ids is not None else None
    )
