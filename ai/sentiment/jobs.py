"""Review sentiment as the rest of the project uses it: score now, or in a background job.

    score_review(review)                  the sentiment of a review (not stored)
    sentiment_score_reviews(...)          score and store reviews now (the job's work)
    sentiment_score_reviews_start(...)    the same as a background job, on commit
    sentiment_train(...)                  fit, measure, register (activate only if better)
    start_sentiment_training(...)         the same as a background job

Reviews are read through reviews.selectors and scores written through
reviews.services (scoring.py); ai.receivers starts the scoring when reviews are saved.
"""

from __future__ import annotations

from shop.jobs import job_start
from shop.models import Job

from .scoring import review_text, score_reviews, score_texts
from .training import train_sentiment

JOB_SENTIMENT_SCORE = "sentiment.score_reviews"
JOB_SENTIMENT_TRAIN = "sentiment.train"


def score_review(review) -> dict:
    """The sentiment of a review (an object with title and text): label, score, aspects."""
    return score_texts([review_text(review.title, review.text)])[0]


def sentiment_score_reviews(
    *, review_ids: list[int] | None = None, only_unscored: bool = False, progress=None
) -> dict:
    return score_reviews(review_ids=review_ids, only_unscored=only_unscored, progress=progress)


def sentiment_score_reviews_start(
    *,
    review_ids: list[int] | None = None,
    only_unscored: bool = False,
    user=None,
    queue: str | None = None,
) -> Job:
    """Scores reviews in a background job started when the transaction commits.

    With `review_ids` (a review just saved) every call gets a job of its own; a bulk run (all
    reviews, or all unscored) returns the one already queued or running.
    """
    return job_start(
        kind=JOB_SENTIMENT_SCORE,
        params={
            "review_ids": list(review_ids) if review_ids is not None else None,
            "only_unscored": only_unscored,
        },
        user=user,
        queue=queue,
        force=review_ids is not None,
    )


def sentiment_train(*, progress=None, **options) -> dict:
    return train_sentiment(progress=progress, **options)


def start_sentiment_training(*, user=None, queue: str | None = None) -> Job:
    """Trains the sentiment model on the store's reviews in a background job."""
    return job_start(kind=JOB_SENTIMENT_TRAIN, user=user, queue=queue)
