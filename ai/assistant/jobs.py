"""The assistant's training as the rest of the project uses it: now, or as a background job.

    assistant_train(...)          fit, measure, register (activate only if better): the job's work
    assistant_train_start(...)    the same as a background job (a button in the admin's job list)

The job kind is declared in ai/tasks.py.
"""

from __future__ import annotations

from ai.models import Job
from shop.jobs import job_start

from .versions import train_assistant

JOB_ASSISTANT_TRAIN = "assistant.train"


def assistant_train(*, progress=None, **options) -> dict:
    return train_assistant(progress=progress, **options)


def assistant_train_start(*, user=None, queue: str | None = None) -> Job:
    """Trains the assistant's intent model in a background job started on commit."""
    return job_start(kind=JOB_ASSISTANT_TRAIN, user=user, queue=queue)
