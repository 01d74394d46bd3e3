"""The merchant trains recommendations from the admin and looks at the lists it wrote."""

from django.urls import reverse

from ai.models import ModelVersion, RecommendationList
from customers.models import User
from events.models import InteractionEvent
from shop.models import Job, JobStatus
from tests.factories import ProductFactory


def test_the_merchant_trains_recommendations_from_the_job_list(
    merchant_client, db, eager_celery, django_capture_on_commit_callbacks
):
    # Given a shopper who looked at two products
    shopper = User.objects.create(email="shopper@example.com")
    for handle in ("ring-a", "ring-b"):
        InteractionEvent.objects.create(
            kind="view", product=ProductFactory(handle=handle), user=shopper
        )
    job_list = merchant_client.get(reverse("admin:shop_job_changelist")).content.decode()
    assert "Train recommendations" in job_list

    # When the merchant presses "Train recommendations" (the task runs in-process here)
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_client.post(
            reverse("admin:shop_job_start", args=["recommend.train"]), follow=True
        )

    # Then the job ran to the end and the lists and the model version are there to see
    assert "Started: Train recommendations." in response.content.decode()
    job = Job.objects.get(kind="recommend.train")
    assert (job.status, job.progress) == (JobStatus.SUCCEEDED, 100)
    version = ModelVersion.objects.get(capability="recommend")
    assert version.is_active and version.metrics["events"] == 2
    lists = merchant_client.get(reverse("admin:ai_recommendationlist_changelist"))
    assert lists.status_code == 200
    assert "shopper@example.com" in lists.content.decode()
    entry = RecommendationList.objects.filter(kind="user").get()
    detail = merchant_client.get(reverse("admin:ai_recommendationlist_change", args=[entry.pk]))
    assert detail.status_code == 200


def test_imported_ratings_are_listed_read_only(merchant_client, db):
    from ai.models import ExternalRating

    ExternalRating.objects.create(dataset="ml", user_ref="1", item_ref="2", rating=4)

    response = merchant_client.get(reverse("admin:ai_externalrating_changelist"))

    assert response.status_code == 200
    assert "ml" in response.content.decode()
    assert merchant_client.get(reverse("admin:ai_externalrating_add")).status_code == 403
