"""A real Celery worker on the configured broker runs the search re-index job."""

import pytest

from ai import services
from ai.models import ModelVersion, ProductEmbedding
from shop.models import JobStatus
from tests.worker import celery_worker, wait_until

from .helpers import jewelry_catalog


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_rebuilds_the_search_index_and_reports_progress(tmp_path, settings):
    # Given a catalog and the default embedder
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"
    catalog = jewelry_catalog()

    log_path = tmp_path / "worker.log"
    with celery_worker(log_path) as queue:
        # When the merchant starts the rebuild and a real worker takes it
        job = services.search_reindex_start(queue=queue)
        assert job.status == JobStatus.QUEUED

        # Then the job runs to the end
        def finished() -> bool:
            job.refresh_from_db()
            return job.status not in (JobStatus.QUEUED, JobStatus.RUNNING)

        wait_until(finished, timeout=240, log_path=log_path)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 100
    assert job.result["products"] == 3
    assert job.started_at and job.finished_at
    assert ProductEmbedding.objects.count() == 3
    assert ModelVersion.objects.get(capability="search").metrics["products"] == 3
    # and this process searches what the worker embedded
    assert services.search_semantic("bague en diamant", language="fr", limit=1)[0][0] == (
        catalog["ring"].pk
    )
