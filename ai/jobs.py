"""The job framework moved to the kernel (issue 13, step 7): it is shop/jobs.py now.

This module only re-exports it, name by name, so that code written against `ai.jobs` keeps
working: branches in flight that add a job kind with `from ai.jobs import job_kind` (as
ai/tasks.py did until issue 13's last step), tests, scripts. New code, ai's own included,
imports `shop.jobs` (and the model from `shop.models`). Removing it breaks no migration (they
name models by app label, `ai.job` in ai's 0001, resolved from migration state) and no queued
task (Celery names tasks by their own `name=` or the module defining them, never ai.jobs).
Once nothing imports `ai.jobs` any more, this file can go.
"""

from shop.jobs import (
    ENQUEUE_GRACE,
    ERROR_CHARS,
    MAX_RETRIES,
    TRANSIENT_ERRORS,
    JobCancelled,
    JobKind,
    JobReporter,
    UnknownJobKind,
    enqueue_pending_jobs,
    get_job_kind,
    job_cancel,
    job_kind,
    job_kinds,
    job_progress,
    job_retry,
    job_run,
    job_run_here,
    job_start,
)

__all__ = [
    "ENQUEUE_GRACE",
    "ERROR_CHARS",
    "MAX_RETRIES",
    "TRANSIENT_ERRORS",
    "JobCancelled",
    "JobKind",
    "JobReporter",
    "UnknownJobKind",
    "enqueue_pending_jobs",
    "get_job_kind",
    "job_cancel",
    "job_kind",
    "job_kinds",
    "job_progress",
    "job_retry",
    "job_run",
    "job_run_here",
    "job_start",
]
