"""Review sentiment as the rest of the project uses it: score now, or in a background job.

    score_review(review)                  the sentiment of a review (not stored)
    sentiment_score_reviews(...)          score and store reviews now (the job's work)
    sentiment_score_reviews_start(...)    the same as a background job, on commit
    sentiment_train(...)                  fit, measure, register (activate only if better)
    sentiment_finetune(...)               the same with the e5 backend (a job's work)
    start_sentiment_training(...)         either as a background job (AI_SENTIMENT_BACKEND)

Reviews are read through reviews.selectors and scores written through
reviews.services (scoring.py); ai.receivers starts the scoring when reviews are saved.
"""

from __future__ import annotations

from django.conf import settings

from shop.jobs import job_start
from shop.models import Job

from .backends import BACKEND_E5, BACKEND_NGRAM, training_backend
from .scoring import review_text, score_reviews, score_texts
from .training import train_sentiment

JOB_SENTIMENT_SCORE = "sentiment.score_reviews"
# One kind per training backend: "sentiment.train" (ngram-logreg) runs on the main worker,
# "sentiment.finetune" (e5) on the training queue (CELERY_TASK_ROUTES, AI_SENTIMENT_TRAIN_QUEUE).
JOB_SENTIMENT_TRAIN = "sentiment.train"
JOB_SENTIMENT_FINETUNE = "sentiment.finetune"
TRAINING_JOB_KINDS = {BACKEND_NGRAM: JOB_SENTIMENT_TRAIN, BACKEND_E5: JOB_SENTIMENT_FINETUNE}


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


def sentiment_finetune(
    *, job_id: int | None = None, progress=None, config: dict | None = None, **options
) -> dict:
    """Fine-tunes e5 on the store's reviews (finetuning.py); a job's run resumes in its folder.

    `config`: FineTuneConfig fields, over AI_SENTIMENT_FINETUNE's, over the measured recipe.
    """
    from .finetuning import finetune_sentiment, job_folder

    folder = job_folder(job_id) if job_id is not None else None
    config = {**(getattr(settings, "AI_SENTIMENT_FINETUNE", None) or {}), **(config or {})}
    return finetune_sentiment(folder=folder, config=config, progress=progress, **options)


def training_job_kind(backend: str | None = None) -> str:
    """The job kind that trains with `backend` (by default AI_SENTIMENT_BACKEND's)."""
    return TRAINING_JOB_KINDS[training_backend(backend)]


def start_sentiment_training(
    *, user=None, queue: str | None = None, backend: str | None = None
) -> Job:
    """Trains the sentiment model on the store's reviews in a background job.

    The backend is AI_SENTIMENT_BACKEND's unless given; fine-tuning goes to the training queue
    (AI_SENTIMENT_TRAIN_QUEUE, written on the job so its retries keep it).
    """
    kind = training_job_kind(backend)
    if kind == JOB_SENTIMENT_FINETUNE and queue is None:
        queue = settings.AI_SENTIMENT_TRAIN_QUEUE
    return job_start(kind=kind, user=user, queue=queue)
