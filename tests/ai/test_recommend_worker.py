"""A real Celery worker on the configured broker trains the recommender."""

import pytest

from ai import services
from ai.models import ModelVersion, RecommendationList
from customers.models import User
from events.models import InteractionEvent
from shop.models import JobStatus
from tests.factories import ProductFactory
from tests.worker import celery_worker, wait_until


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_trains_the_recommender_and_the_lists_are_served(tmp_path):
    # Given shoppers who put rings in their bags
    rings = [ProductFactory(handle=f"ring-{n}") for n in range(4)]
    for n in range(3):
        shopper = User.objects.create(email=f"shopper{n}@example.com")
        for ring in rings:
            InteractionEvent.objects.create(kind="cart_add", product=ring, user=shopper)
    newcomer = User.objects.create(email="newcomer@example.com")
    InteractionEvent.objects.create(kind="purchase", product=rings[0], user=newcomer)

    log_path = tmp_path / "worker.log"
    with celery_worker(log_path) as queue:
        # When the training job is started and a real worker takes it
        job = services.recommend_train_start(queue=queue)

        def finished() -> bool:
            job.refresh_from_db()
            return job.status not in (JobStatus.QUEUED, JobStatus.RUNNING)

        wait_until(finished, timeout=240, log_path=log_path)

    # Then it ran to the end, recorded a version, and this process serves its lists
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 100
    assert ModelVersion.objects.get(capability="recommend", is_active=True)
    assert RecommendationList.objects.filter(kind="user", user=newcomer).exists()
    shown = [s.product.handle for s in services.recommend_for_user(newcomer, limit=3)]
    assert shown and "ring-0" not in shown
