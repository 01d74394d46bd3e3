"""Celery tasks of the AI app: load ids, call a service. Safe to run twice.

Each `@job_kind` function becomes a task taking a Job id (see shop/jobs.py); `startable=True`
adds a button for it on the admin's job list.
"""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from shop.jobs import JobReporter, enqueue_pending_jobs, job_kind

from .assistant import jobs as assistant_jobs
from .recommend import jobs as recommend_jobs
from .search import indexing
from .sentiment import jobs as sentiment_jobs


@shared_task(name="ai.enqueue_pending_jobs", ignore_result=True)
def enqueue_pending_jobs_periodic() -> int:
    """The job sweep under its name from before issue 13 step 7 (now `shop.enqueue_pending_jobs`,
    shop/tasks.py): a beat process started before the move still sends this name; how many."""
    return enqueue_pending_jobs()


@job_kind(
    indexing.JOB_SEARCH_REINDEX,
    label=_("Rebuild search index"),
    startable=True,
    params={"full": True},
)
def search_reindex(*, reporter: JobReporter, full: bool = True, languages=None) -> dict:
    return indexing.search_reindex(full=full, languages=languages, progress=reporter)


@job_kind(indexing.JOB_SEARCH_REINDEX_DIRTY, label=_("Re-embed changed products"))
def search_reindex_dirty(*, reporter: JobReporter) -> dict:
    return indexing.search_reindex_dirty(progress=reporter)


@shared_task(name="ai.search_reindex_dirty_periodic", acks_late=True, ignore_result=True)
def search_reindex_dirty_periodic() -> int | None:
    """Celery beat: starts the dirty re-index job when products are dirty; returns its id."""
    job = indexing.search_reindex_dirty_start()
    return job.pk if job is not None else None


# --- review sentiment (issue 6) ----------------------------------------------------------------
@job_kind(
    sentiment_jobs.JOB_SENTIMENT_SCORE,
    label=_("Score review sentiment"),
    startable=True,
    params={"review_ids": None, "only_unscored": False},
    dedupe_by_params=True,
)
def sentiment_score_reviews(
    *, reporter: JobReporter, review_ids=None, only_unscored: bool = False
) -> dict:
    return sentiment_jobs.sentiment_score_reviews(
        review_ids=review_ids, only_unscored=only_unscored, progress=reporter
    )


@job_kind(sentiment_jobs.JOB_SENTIMENT_TRAIN, label=_("Train review sentiment"), startable=True)
def sentiment_train(*, reporter: JobReporter) -> dict:
    return sentiment_jobs.sentiment_train(progress=reporter)


@job_kind(
    sentiment_jobs.JOB_SENTIMENT_FINETUNE,
    label=_("Fine-tune review sentiment (multilingual transformer)"),
    startable=True,
)
def sentiment_finetune(*, reporter: JobReporter, config: dict | None = None) -> dict:
    """Runs on the training queue (CELERY_TASK_ROUTES); a retry resumes from its checkpoint."""
    return sentiment_jobs.sentiment_finetune(
        job_id=reporter.job_id, progress=reporter, config=config
    )


# --- recommendations (issue 5) -----------------------------------------------------------------
@job_kind(recommend_jobs.JOB_RECOMMEND_TRAIN, label=_("Train recommendations"), startable=True)
def recommend_train(*, reporter: JobReporter, **overrides) -> dict:
    return recommend_jobs.recommend_train(progress=reporter, **overrides)


@shared_task(name="ai.recommend_train_nightly", acks_late=True, ignore_result=True)
def recommend_train_nightly() -> int:
    """Celery beat: starts the nightly training job; returns its id."""
    return recommend_jobs.recommend_train_start().pk


# --- shop assistant (issue 14) -----------------------------------------------------------------
@job_kind(assistant_jobs.JOB_ASSISTANT_TRAIN, label=_("Train the shop assistant"), startable=True)
def assistant_train(*, reporter: JobReporter) -> dict:
    return assistant_jobs.assistant_train(progress=reporter)
