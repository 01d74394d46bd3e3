"""The job framework: long work run by Celery tasks that report progress through a Job row.

The kernel's since issue 13 step 7 (it was ai/jobs.py; ai/jobs.py re-exports it for older
imports), so any app can run long work with progress: declaring a kind of job is one decorator,
in the app's own module (ai's kinds are in ai/tasks.py):

    @job_kind("search.reindex", label=_("Rebuild search index"), startable=True)
    def search_reindex(*, reporter: JobReporter, full: bool = True) -> dict:
        return indexing.search_reindex(full=full, progress=reporter)

That registers a Celery task named `<app>.job.<kind>` (the top package of the module declaring
it: ai's kinds keep the names `ai.job.*` they had, so messages already in the broker still
find their task), acks_late, retried with backoff on transient database and connection
errors, which loads the Job, marks it running, calls the function with the Job's params and a
JobReporter, and records the result, or the error when it fails. `startable=True` puts a button
for it on the admin's job list (shop/admin.py). A kind registers when its module is imported:
from the app's `AppConfig.ready()` when the web process starts it (buttons, `job_start`), or
only in the worker that runs it when the web process must never load its code (a TensorFlow
kind on a queue of its own). Mind that the sweep, and `job_start`, need the kind registered in
their process (the sweep fails a queued job of a kind it does not know): such a kind's jobs
must be started and swept where it is imported; teaching both to send by task name alone is
left to the issue that brings that kind.

Starting: `job_start(kind=..., params=..., user=...)` creates the Job and enqueues the
task when the transaction commits (shop.events.after_commit: a broker outage is logged, the
job stays queued and the periodic `shop.enqueue_pending_jobs` sends it once the broker is back).
While a job of that kind is queued or running, starting another returns that one instead
(unless force=True), so a double click or a periodic task never runs the same work twice at
once. A failed job keeps its error; `job_retry(job=...)`
starts a new attempt linked to it.

A message runs only the job it was sent for: it carries the job's id, kind and token (the
job's random Celery task id, kept on its row), and the task refuses, with a warning in the log,
a message whose job row is missing, of another kind, or holds another token. Such a message
comes from a broker that outlived its database (a filesystem broker folder kept across a
database reset, a test run sharing a broker with another), where job #7 of the message is not
today's job #7.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError

from shop.events import after_commit

from .models import ACTIVE_JOB_STATUSES, FINISHED_JOB_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

# Errors worth another try: the database or a service was briefly unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, BrokerOperationalError)
MAX_RETRIES = 5
ERROR_CHARS = 8000
# A queued job whose message has not reached the broker this long after it was created is sent
# by the sweep (its own on-commit send had its chance and failed).
ENQUEUE_GRACE = timedelta(seconds=60)


class JobCancelled(Exception):
    """Raised inside a job's work when the merchant cancelled it."""


class UnknownJobKind(ValueError):
    pass


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: str
    task: object = field(repr=False)
    startable: bool = False
    params: dict = field(default_factory=dict)
    # False: one active job of the kind at a time (a re-index). True: one per distinct params
    # (scoring given reviews), so starting or retrying one never returns another's job.
    dedupe_by_params: bool = False


_kinds: dict[str, JobKind] = {}


def task_name(*, kind: str, module: str) -> str:
    """The Celery task name of a kind declared in `module`: `<its top package>.job.<kind>`.

    ai's kinds are named `ai.job.<kind>` as before the framework moved to the kernel, so the
    messages of jobs queued before the move still find their task."""
    return f"{module.split('.')[0]}.job.{kind}"


def job_kinds(*, startable: bool | None = None) -> list[JobKind]:
    """The registered kinds (in registration order); startable=True: those with a button."""
    kinds = list(_kinds.values())
    if startable is not None:
        kinds = [kind for kind in kinds if kind.startable is startable]
    return kinds


def get_job_kind(kind: str) -> JobKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise UnknownJobKind(f"Unknown job kind {kind!r}") from None


def job_kind(
    kind: str,
    *,
    label: str,
    startable: bool = False,
    params: dict | None = None,
    max_retries: int = MAX_RETRIES,
    dedupe_by_params: bool = False,
):
    """Registers `work(*, reporter, **params)` as a kind of job run by a Celery task."""

    kind_name = kind

    def decorator(work: Callable[..., object]):
        @shared_task(
            bind=True,
            name=task_name(kind=kind_name, module=work.__module__),
            acks_late=True,
            reject_on_worker_lost=True,
            autoretry_for=TRANSIENT_ERRORS,
            retry_backoff=5,
            retry_backoff_max=300,
            retry_jitter=True,
            max_retries=max_retries,
        )
        def task(self, job_id: int, kind: str | None = None, token: str | None = None):
            if _job_for_message(job_id=job_id, task_kind=kind_name, kind=kind, token=token):
                return job_run(job_id=job_id, work=work, task=self)
            return None

        task.work = work
        _kinds[kind] = JobKind(
            kind=kind,
            label=label,
            task=task,
            startable=startable,
            params=dict(params or {}),
            dedupe_by_params=dedupe_by_params,
        )
        return task

    return decorator


# --- progress ---------------------------------------------------------------------------------
class JobReporter:
    """Reports a running job's progress cheaply.

    Call it as a progress callback, `reporter(done, total, message)`, or use update(). The
    database is written only when the whole percentage or the message changed, and at most
    every `min_interval` seconds (flush() writes the last state at once). A write that finds
    the job no longer running raises JobCancelled, which stops the work.
    """

    def __init__(self, job: Job, *, min_interval: float = 0.5, also=None):
        self.job_id = job.pk
        self.also = also
        self.min_interval = min_interval
        self.progress = job.progress
        self.message = job.message
        self._written = (job.progress, job.message)
        self._last_write: float | None = None  # the first change is always written
        self.writes = 0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if self.also is not None:
            self.also(done, total, message)
        percent = int(done * 100 / total) if total else 0
        self.update(progress=percent, message=message or None)

    def update(self, *, progress: int | None = None, message: str | None = None) -> None:
        if progress is not None:
            # 100 means finished, which only the framework says.
            self.progress = max(0, min(99, int(progress)))
        if message is not None:
            self.message = str(message)[:255]
        if (self.progress, self.message) == self._written:
            return
        if self._last_write is None or time.monotonic() - self._last_write >= self.min_interval:
            self.flush()

    def flush(self) -> None:
        if (self.progress, self.message) == self._written:
            return
        updated = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
            progress=self.progress, message=self.message
        )
        self._written = (self.progress, self.message)
        self._last_write = time.monotonic()
        self.writes += 1
        if not updated:
            raise JobCancelled


# --- running ----------------------------------------------------------------------------------
def _message_kwargs(job: Job) -> dict:
    """What a job's message carries besides its id: the job's kind and token."""
    return {"kind": job.kind, "token": job.celery_task_id}


def _job_for_message(*, job_id: int, task_kind: str, kind, token) -> Job | None:
    """The job a message is for, or None (logged) when the message is not this job's."""
    job = Job.objects.filter(pk=job_id).first()
    reason = ""
    if job is None:
        reason = "there is no such job in this database"
    elif kind is None or token is None:
        reason = "the message carries no kind and token (sent by an older version, or by hand)"
    elif kind != task_kind or job.kind != task_kind:
        reason = f"the job is a {job.kind!r} job, the message was sent for {kind!r}"
    elif not job.celery_task_id or not secrets.compare_digest(str(token), str(job.celery_task_id)):
        reason = (
            "its token is not the job's: the message was sent for a job of another database "
            "(a broker that outlived its database, or one shared with another store or test run)"
        )
    if reason:
        logger.warning("Refused a %s message for job %s: %s", task_kind, job_id, reason)
        return None
    return job


def _json_safe(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def _error_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    # Keep the end: it names the error and where it happened.
    return text[-ERROR_CHARS:]


def _finish(job_id: int, *, status: str, **fields) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )


def job_run(*, job_id: int, work: Callable[..., object], task=None, also=None):
    """Runs a job's work in this process and records how it went; safe to run twice.

    `also(done, total, message)` receives every progress report too (a terminal bar).
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Job %s no longer exists; nothing to do", job_id)
        return None
    if job.status in FINISHED_JOB_STATUSES:
        # A message delivered again after the job finished (acks_late) or a cancelled job.
        return job.result
    started = Job.objects.filter(pk=job_id, status__in=ACTIVE_JOB_STATUSES).update(
        status=JobStatus.RUNNING,
        started_at=job.started_at or timezone.now(),
        progress=0,
        message="",
        error="",
    )
    if not started:
        return None
    job.refresh_from_db()
    reporter = JobReporter(job, also=also)
    try:
        result = work(reporter=reporter, **job.params)
    except JobCancelled:
        return None
    except TRANSIENT_ERRORS as exc:
        retries = task.request.retries if task is not None else 0
        close_old_connections()
        if task is not None and not task.request.is_eager and retries < task.max_retries:
            Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED,
                message=_("Temporary problem (%(error)s); trying again soon")
                % {"error": str(exc)[:120]},
            )
            raise  # autoretry_for retries the task with backoff
        _finish(job_id, status=JobStatus.FAILED, error=_error_text(exc), message=str(exc)[:255])
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        return None
    except Exception as exc:
        _finish(
            job_id,
            status=JobStatus.FAILED,
            error=_error_text(exc),
            message=f"{type(exc).__name__}: {exc}"[:255],
        )
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        return None
    result = _json_safe(result)
    _finish(
        job_id,
        status=JobStatus.SUCCEEDED,
        progress=100,
        result=result,
        message=_("Done"),
    )
    return result


# --- starting ---------------------------------------------------------------------------------
def _enqueue(job: Job) -> bool:
    """Sends the queued job's message unless it was sent; returns whether it sent it.

    The job's `enqueued_at` is claimed first (one conditional UPDATE), so the on-commit send
    and the sweep never both send it. When the broker cannot be reached the failure is logged,
    the claim given back and the job stays queued, saying so: the sweep sends it later.
    """
    claimed_at = timezone.now()
    claimed = Job.objects.filter(
        pk=job.pk, status=JobStatus.QUEUED, enqueued_at__isnull=True
    ).update(enqueued_at=claimed_at)
    if not claimed:
        return False
    try:
        spec = get_job_kind(job.kind)
    except UnknownJobKind as exc:  # the code of this kind is gone: nothing can ever run it
        _finish_queued(job.pk, exc)
        return False
    try:
        spec.task.apply_async(
            args=[job.pk],
            kwargs=_message_kwargs(job),
            task_id=job.celery_task_id,
            queue=job.queue or None,
        )
    except Exception as exc:
        logger.exception("Could not send job %s to the task queue; the sweep will retry", job.pk)
        Job.objects.filter(pk=job.pk, enqueued_at=claimed_at).update(
            enqueued_at=None,
            message=_("Waiting for the task queue (%(error)s); trying again soon")
            % {"error": str(exc)[:120]},
        )
        return False
    return True


def _finish_queued(job_id: int, exc: BaseException) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        message=str(exc)[:255],
        error=_error_text(exc),
    )


def enqueue_pending_jobs(*, now: datetime | None = None) -> int:
    """Sends the queued jobs whose message never reached the broker; returns how many.

    Run by Celery beat every minute (`shop.enqueue_pending_jobs`, shop/tasks.py): a job
    committed while the broker was down runs once the broker is back, without anyone retrying
    it by hand.
    """
    now = now or timezone.now()
    pending = (
        Job.objects.filter(
            status=JobStatus.QUEUED,
            enqueued_at__isnull=True,
            created_at__lte=now - ENQUEUE_GRACE,
        )
        .exclude(celery_task_id="")  # run in a process of its own (job_run_here), never sent
        .order_by("pk")
    )
    return sum(_enqueue(job) for job in pending)


def _dedupe_key(spec: JobKind, params: dict) -> str:
    if not spec.dedupe_by_params:
        return spec.kind
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    return f"{spec.kind[:60]}:{digest}"


def _active_job(dedupe_key: str) -> Job | None:
    return (
        Job.objects.filter(dedupe_key=dedupe_key, status__in=ACTIVE_JOB_STATUSES)
        .order_by("pk")
        .first()
    )


def _create(
    *,
    kind: str,
    params: dict | None,
    user,
    force: bool,
    queue: str | None,
    attempts: int = 1,
    retry_of: Job | None = None,
) -> Job:
    spec = get_job_kind(kind)
    params = _json_safe({**spec.params, **(params or {})})
    dedupe_key = _dedupe_key(spec, params)
    with transaction.atomic():
        if not force:
            running = _active_job(dedupe_key)
            if running is not None:
                running.started_now = False
                return running
        job = Job(
            kind=kind,
            params=params,
            created_by=user if user is not None and user.is_authenticated else None,
            celery_task_id=str(uuid.uuid4()),
            queue=queue or "",
            attempts=attempts,
            retry_of=retry_of,
            dedupe_key=None if force else dedupe_key,
        )
        job.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            # Another start of the same kind (and params) won the race.
            running = _active_job(dedupe_key)
            if running is None:
                raise
            running.started_now = False
            return running
        after_commit(_enqueue, job)
    job.started_now = True
    return job


def job_start(
    *,
    kind: str,
    params: dict | None = None,
    user=None,
    force: bool = False,
    queue: str | None = None,
) -> Job:
    """Creates a queued Job and enqueues its task on commit; returns the running one if any.

    The returned job's `started_now` says which of the two happened.

    `queue` routes the task to a Celery queue of that name (the default queue otherwise).
    """
    return _create(kind=kind, params=params, user=user, force=force, queue=queue)


def job_retry(*, job: Job, user=None, queue: str | None = None) -> Job:
    """Starts a new attempt of a failed or cancelled job, with the same kind and params."""
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise ValueError(_("Only a failed or cancelled job can be retried."))
    return _create(
        kind=job.kind,
        params=job.params,
        user=user if user is not None else job.created_by,
        force=False,
        queue=queue if queue is not None else job.queue,
        attempts=job.attempts + 1,
        retry_of=job,
    )


def job_cancel(*, job: Job) -> bool:
    """Cancels a queued or running job; its work stops at its next progress report."""
    cancelled = Job.objects.filter(pk=job.pk, status__in=ACTIVE_JOB_STATUSES).update(
        status=JobStatus.CANCELLED,
        finished_at=timezone.now(),
        message=_("Cancelled"),
    )
    job.refresh_from_db()
    return bool(cancelled)


def job_progress(job: Job) -> dict:
    """What the admin's progress bar shows, as JSON."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "message": job.message,
        "active": job.is_active,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def job_run_here(*, kind: str, params: dict | None = None, user=None, progress=None) -> Job:
    """Runs a job of `kind` in this process (a management command), recorded like any job.

    `progress(done, total, message)` is called too, besides the job's own reporting.
    """
    spec = get_job_kind(kind)
    params = _json_safe({**spec.params, **(params or {})})
    job = Job(
        kind=kind,
        params=params,
        created_by=user,
        celery_task_id="",
        queue="",
        status=JobStatus.QUEUED,
    )
    job.full_clean(validate_constraints=False)
    job.save()
    job_run(job_id=job.pk, work=spec.task.work, also=progress)
    job.refresh_from_db()
    return job
