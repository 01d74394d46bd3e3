"""Celery tasks of the AI app: load ids, call a service. Safe to run twice.

Each `@job_kind` function becomes a task taking a Job id (see ai/jobs.py); `startable=True`
adds a button for it on the admin's job list.
"""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from . import services
from .jobs import JobReporter, job_kind


@job_kind(
    services.JOB_SEARCH_REINDEX,
    label=_("Rebuild search index"),
    startable=True,
    params={"full": True},
)
def search_reindex(*, reporter: JobReporter, full: bool = True, languages=None) -> dict:
    return services.search_reindex(full=full, languages=languages, progress=reporter)


@job_kind(services.JOB_SEARCH_REINDEX_DIRTY, label=_("Re-embed changed products"))
def search_reindex_dirty(*, reporter: JobReporter) -> dict:
    return services.search_reindex_dirty(progress=reporter)


@shared_task(name="ai.search_reindex_dirty_periodic", acks_late=True, ignore_result=True)
def search_reindex_dirty_periodic() -> int | None:
    """Celery beat: starts the dirty re-index job when products are dirty; returns its id."""
    job = services.search_reindex_dirty_start()
    return job.pk if job is not None else None
