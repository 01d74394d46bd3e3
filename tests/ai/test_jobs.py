"""The job framework: lifecycle, enqueueing on commit, idempotent starts, retries, cancelling;
and the model registry."""

import logging
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ai.models import ModelVersion
from ai.registry import model_version_activate, model_version_active, model_version_register
from catalog.models import Product
from shop.jobs import JobReporter, job_cancel, job_kind, job_retry, job_start
from shop.models import Job, JobStatus
from tests.factories import ProductFactory


@job_kind("tests.count_rings", label="Count rings")
def count_rings(*, reporter: JobReporter, minimum: int = 1) -> dict:
    """Fails while the catalog has fewer rings than `minimum`."""
    seen_as = Job.objects.get(pk=reporter.job_id).status
    rings = Product.objects.filter(handle__contains="ring").count()
    if rings < minimum:
        raise ValueError(f"only {rings} rings in the catalog")
    for done in range(1, rings + 1):
        reporter(done, rings, "Counting rings")
    return {"rings": rings, "status_while_working": seen_as}


@job_kind("tests.cancelled_midway", label="Cancelled midway")
def cancelled_midway(*, reporter: JobReporter) -> dict:
    reporter.min_interval = 0
    reporter(1, 4, "first quarter")
    job_cancel(job=Job.objects.get(pk=reporter.job_id))
    reporter(2, 4, "second quarter")  # the report finds the job cancelled and stops the work
    return {"finished": True}


@job_kind("tests.score_items", label="Score items", dedupe_by_params=True)
def score_items(*, reporter: JobReporter, item_ids=None) -> dict:
    return {"scored": list(item_ids or [])}


def test_jobs_deduplicated_by_params_run_once_per_distinct_params(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = job_start(kind="tests.score_items", params={"item_ids": [1]})
        same = job_start(kind="tests.score_items", params={"item_ids": [1]})
        other = job_start(kind="tests.score_items", params={"item_ids": [2]})

    assert same.pk == first.pk and not same.started_now
    assert other.pk != first.pk and other.started_now
    assert len(callbacks) == 2


def test_retrying_a_job_deduplicated_by_params_never_returns_another_items_job(db):
    failed = Job.objects.create(
        kind="tests.score_items", params={"item_ids": [1]}, status=JobStatus.FAILED
    )
    busy = job_start(kind="tests.score_items", params={"item_ids": [2]})

    retry = job_retry(job=failed)

    assert retry.pk not in (failed.pk, busy.pk)
    assert retry.params == {"item_ids": [1]} and retry.retry_of_id == failed.pk


def test_a_job_goes_from_queued_to_running_to_succeeded(
    db, eager_celery, django_capture_on_commit_callbacks
):
    # Given two rings in the catalog
    ProductFactory(handle="gold-ring")
    ProductFactory(handle="silver-ring")

    # When a job starts inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="tests.count_rings")
    # Then it waits, queued, until the transaction commits
    assert job.status == JobStatus.QUEUED
    assert len(callbacks) == 1

    # When the transaction commits (the task runs in-process here)
    callbacks[0]()

    # Then the job ran and finished with its result and full progress
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.result == {"rings": 2, "status_while_working": "running"}
    assert job.started_at <= job.finished_at
    assert job.error == ""


def test_a_job_started_in_a_rolled_back_transaction_is_never_enqueued(
    db, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job_start(kind="tests.count_rings")
        raise RuntimeError("the import failed")

    assert callbacks == []
    assert not Job.objects.exists()


def test_a_failed_job_keeps_its_error_and_a_retry_can_succeed(
    db, eager_celery, django_capture_on_commit_callbacks
):
    # Given a job that fails because the catalog has no ring yet
    with django_capture_on_commit_callbacks(execute=True):
        failed = job_start(kind="tests.count_rings")
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED
    assert "ValueError: only 0 rings in the catalog" in failed.error
    assert "only 0 rings" in failed.message
    assert failed.finished_at is not None

    # When the merchant adds a ring and retries
    ProductFactory(handle="rose-ring")
    with django_capture_on_commit_callbacks(execute=True):
        retry = job_retry(job=failed)

    # Then a second attempt, linked to the first, succeeds; the first keeps its error
    retry.refresh_from_db()
    failed.refresh_from_db()
    assert retry.pk != failed.pk
    assert retry.attempts == 2
    assert retry.retry_of == failed
    assert retry.status == JobStatus.SUCCEEDED
    assert retry.result["rings"] == 1
    assert failed.status == JobStatus.FAILED
    assert "only 0 rings" in failed.error


def test_only_failed_or_cancelled_jobs_can_be_retried(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        job = job_start(kind="tests.count_rings")

    with pytest.raises(ValueError, match="Only a failed or cancelled job"):
        job_retry(job=job)


def test_starting_a_kind_that_is_already_queued_returns_that_job(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = job_start(kind="tests.count_rings")
        second = job_start(kind="tests.count_rings", params={"minimum": 5})
        forced = job_start(kind="tests.count_rings", force=True)

    assert second.pk == first.pk
    assert first.started_now and not second.started_now
    assert forced.pk != first.pk
    assert Job.objects.count() == 2
    assert len(callbacks) == 2  # the repeated start enqueued nothing


def test_the_database_refuses_two_active_jobs_of_one_kind(db):
    Job.objects.create(kind="tests.count_rings", dedupe_key="tests.count_rings")

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="tests.count_rings", dedupe_key="tests.count_rings")


def test_a_message_delivered_twice_does_not_run_the_job_again(
    db, eager_celery, django_capture_on_commit_callbacks
):
    # Given a job that succeeded
    ProductFactory(handle="gold-ring")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count_rings")
    job.refresh_from_db()
    finished_at = job.finished_at

    # When the broker delivers its message again (acks_late after a lost acknowledgement)
    ProductFactory(handle="silver-ring")
    count_rings.apply(args=[job.pk], kwargs=message_of(job))

    # Then the job keeps its first outcome
    job.refresh_from_db()
    assert job.result["rings"] == 1
    assert job.finished_at == finished_at


def test_a_cancelled_job_stops_at_its_next_progress_report(
    db, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.cancelled_midway")

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.progress == 25
    assert job.result is None


def test_a_cancelled_queued_job_never_runs(db, eager_celery, django_capture_on_commit_callbacks):
    ProductFactory(handle="gold-ring")
    with django_capture_on_commit_callbacks() as callbacks:
        job = job_start(kind="tests.count_rings")
    assert job_cancel(job=job)

    callbacks[0]()

    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.started_at is None


def test_progress_reports_write_only_whole_percent_changes(db):
    # Given a running job and a reporter without a time limit between writes
    job = Job.objects.create(kind="tests.count_rings", status=JobStatus.RUNNING)
    reporter = JobReporter(job, min_interval=0)

    # When the work reports 10,000 steps
    for done in range(1, 10_001):
        reporter(done, 10_000)
    reporter.flush()

    # Then the database saw at most one write per percent, and the last state
    assert reporter.writes <= 100
    job.refresh_from_db()
    assert job.progress == 99  # 100 is for a finished job


def test_progress_reports_are_throttled_in_time(db):
    job = Job.objects.create(kind="tests.count_rings", status=JobStatus.RUNNING)
    reporter = JobReporter(job, min_interval=3600)

    for done in range(1, 101):
        reporter(done, 100, "working")

    assert reporter.writes == 1  # the first report; the next may come an hour later
    reporter.flush()
    job.refresh_from_db()
    assert (job.progress, job.message) == (99, "working")


# --- a message runs only the job it was sent for --------------------------------------------
def message_of(job: Job) -> dict:
    """The keyword arguments job_start sends with a job's id: its kind and its token."""
    return {"kind": job.kind, "token": job.celery_task_id}


def queued_job(kind: str = "tests.count_rings", **fields) -> Job:
    return Job.objects.create(
        kind=kind, celery_task_id=str(uuid.uuid4()), status=JobStatus.QUEUED, **fields
    )


def test_a_message_for_a_job_of_another_kind_is_refused_and_logged(db, caplog):
    # Given a queued job counting rings
    job = queued_job()

    # When messages for a scoring job arrive carrying that job's id: the id alone (the format
    # before tokens), with another token, even with the job's own token
    with caplog.at_level(logging.WARNING, logger="shop.jobs"):
        score_items.apply(args=[job.pk])
        score_items.apply(args=[job.pk], kwargs={"kind": "tests.score_items", "token": "x"})
        score_items.apply(args=[job.pk], kwargs=message_of(job))

    # Then the job is left alone and each refusal is logged
    job.refresh_from_db()
    assert (job.status, job.result, job.started_at) == (JobStatus.QUEUED, None, None)
    assert caplog.text.count("Refused") == 3


def test_a_message_from_another_database_is_refused(db, caplog):
    """A broker folder that outlived its database (or a test run sharing the default folder)
    holds messages for job ids that exist again, for other work, in today's database."""
    ProductFactory(handle="gold-ring")
    job = queued_job(params={"minimum": 1})

    with caplog.at_level(logging.WARNING, logger="shop.jobs"):
        # the message format before tokens: the id alone
        count_rings.apply(args=[job.pk])
        # a message sent for job #N of another database, whose token differs
        count_rings.apply(
            args=[job.pk], kwargs={"kind": "tests.count_rings", "token": str(uuid.uuid4())}
        )

    job.refresh_from_db()
    assert (job.status, job.started_at) == (JobStatus.QUEUED, None)
    assert caplog.text.count("Refused") == 2

    # While the message sent for this very job runs it
    count_rings.apply(args=[job.pk], kwargs=message_of(job))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["rings"] == 1


def test_a_message_whose_job_row_is_missing_is_refused_and_logged(db, caplog):
    with caplog.at_level(logging.WARNING, logger="shop.jobs"):
        result = count_rings.apply(
            args=[987654], kwargs={"kind": "tests.count_rings", "token": str(uuid.uuid4())}
        )
    assert result.get() is None
    assert "987654" in caplog.text


def test_job_start_sends_the_jobs_kind_and_token(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        count_rings, "apply_async", lambda *args, **kwargs: sent.append(kwargs), raising=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count_rings")

    assert sent == [
        {
            "args": [job.pk],
            "kwargs": message_of(job),
            "task_id": job.celery_task_id,
            "queue": None,
        }
    ]
    job.refresh_from_db()
    assert job.enqueued_at is not None


# --- a broker outage leaves the job queued; the sweep sends it --------------------------------
def test_a_job_that_could_not_be_queued_stays_queued_and_the_failure_is_logged(
    db, broker_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count_rings")

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.enqueued_at is None
    assert "task queue" in job.message
    assert "Connection refused" in caplog.text


def test_the_sweep_sends_queued_jobs_that_never_reached_the_broker(db, eager_celery):
    from shop.jobs import enqueue_pending_jobs

    # Given a job committed while the broker was down, a few minutes ago
    ProductFactory(handle="gold-ring")
    job = queued_job()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    fresh = queued_job(kind="tests.score_items")  # just committed: its own send is under way
    sent_before = queued_job(kind="tests.cancelled_midway", enqueued_at=timezone.now())
    Job.objects.filter(pk=sent_before.pk).update(created_at=timezone.now() - timedelta(hours=1))

    # When the periodic sweep runs
    assert enqueue_pending_jobs() == 1

    # Then the stranded job ran, the others were left to their own messages
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["rings"] == 1
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.QUEUED
    assert Job.objects.get(pk=sent_before.pk).status == JobStatus.QUEUED
    assert enqueue_pending_jobs() == 0


def test_the_job_sweep_runs_every_minute_from_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["enqueue-pending-jobs"]
    assert entry["task"] == "shop.enqueue_pending_jobs"
    assert entry["schedule"] == 60


# --- model registry ---------------------------------------------------------------------------
def test_model_versions_are_numbered_and_one_is_active_per_capability(db):
    first = model_version_register(capability="search", parameters={"model": "a"})
    second = model_version_register(capability="search", metrics={"ndcg@10": 0.81})
    other = model_version_register(capability="sentiment")

    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert model_version_active(capability="search") == second
    assert model_version_active(capability="sentiment") == other

    model_version_activate(model_version=first)

    assert model_version_active(capability="search") == first
    assert list(ModelVersion.objects.filter(is_active=True).order_by("capability")) == [
        first,
        other,
    ]


def test_the_database_refuses_two_active_versions_of_a_capability(db):
    ModelVersion.objects.create(capability="chat", version=1, is_active=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.create(capability="chat", version=2, is_active=True)
