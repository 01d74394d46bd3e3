"""Celery tasks of the kernel: the job framework's periodic sweep (shop/jobs.py)."""

from celery import shared_task

from .jobs import enqueue_pending_jobs


@shared_task(name="shop.enqueue_pending_jobs", ignore_result=True)
def enqueue_pending_jobs_periodic() -> int:
    """Celery beat, every minute: sends the queued jobs the broker never got (it was down).

    Returns how many. Named `ai.enqueue_pending_jobs` until issue 13 step 7; ai/tasks.py keeps a
    task of that name doing the same, for a beat process started before the move."""
    return enqueue_pending_jobs()
