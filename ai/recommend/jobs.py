"""Training the recommender, now or as a background job (the nightly run, the admin's button).

    recommend_train(...)        train and precompute every list now, in this process
    recommend_train_start(...)  the same as a background job (or the one queued or running)

Training loads numpy and scipy (training.py): imported on first use, so that a web process
that only serves precomputed lists never loads them.
"""

from __future__ import annotations

from shop.jobs import job_start
from shop.models import Job

JOB_RECOMMEND_TRAIN = "recommend.train"


def recommend_train(*, progress=None, **overrides) -> dict:
    """Trains the recommender and precomputes every list now, in this process (the job's work).

    `overrides` (rating_model, ranking, l2, rating_weight, popularity_weight, list_size,
    max_items) replace the AI_RECOMMEND_* settings for this run.
    """
    from .training import TrainingConfig, train_recommender

    return train_recommender(config=TrainingConfig.from_settings(**overrides), progress=progress)


def recommend_train_start(
    *, user=None, queue: str | None = None, params: dict | None = None
) -> Job:
    """Starts the training job (or returns the one queued or running)."""
    return job_start(kind=JOB_RECOMMEND_TRAIN, params=params, user=user, queue=queue)
