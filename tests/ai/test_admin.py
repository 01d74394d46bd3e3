"""The AI admin: job list with progress bars, live progress endpoint, starting and retrying
jobs, and model versions."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from ai.models import ModelVersion, ProductEmbedding
from shop.models import Job, JobStatus
from tests.factories import UserFactory

CHANGELIST = "admin:shop_job_changelist"


@pytest.fixture
def running_job(db):
    return Job.objects.create(
        kind="search.reindex", status=JobStatus.RUNNING, progress=40, message="Embedded 40 of 100"
    )


@pytest.fixture
def staff_client(db):
    """A staff member who may look at jobs but not start them."""
    user = UserFactory(email="assistant@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_job"))
    client = Client()
    client.force_login(user)
    return client


def test_the_job_list_shows_each_job_with_a_progress_bar(merchant_client, running_job):
    response = merchant_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="40"' in html
    assert ">40%<" in html
    assert "Embedded 40 of 100" in html
    assert reverse("admin:shop_job_progress", args=[running_job.pk]) in html
    assert "js/job_progress.js" in html and "css/admin_ai.css" in html
    # and a button to start the search index rebuild
    assert reverse("admin:shop_job_start", args=["search.reindex"]) in html
    assert "Rebuild search index" in html


def test_the_job_page_shows_the_error_and_the_result(merchant_client, db):
    failed = Job.objects.create(
        kind="search.reindex",
        status=JobStatus.FAILED,
        error="Traceback (most recent call last):\nValueError: <bad> model",
        result={"products": 3},
    )

    response = merchant_client.get(reverse("admin:shop_job_change", args=[failed.pk]))

    html = response.content.decode()
    assert "ValueError: &lt;bad&gt; model" in html
    assert "&quot;products&quot;: 3" in html


def test_the_progress_endpoint_reports_a_job_as_json(merchant_client, running_job):
    response = merchant_client.get(reverse("admin:shop_job_progress", args=[running_job.pk]))

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "running"
    assert data["status_label"] == "Running"
    assert data["progress"] == 40
    assert data["message"] == "Embedded 40 of 100"
    assert data["active"] is True


def test_the_progress_of_a_missing_job_is_a_404(merchant_client, db):
    response = merchant_client.get(reverse("admin:shop_job_progress", args=[999]))

    assert response.status_code == 404


def test_the_progress_endpoint_is_for_staff_only(client, running_job):
    url = reverse("admin:shop_job_progress", args=[running_job.pk])

    # Anonymous visitors are sent to the admin login
    assert client.get(url).status_code == 302
    # So are shoppers
    client.force_login(UserFactory(email="shopper@example.com"))
    assert client.get(url).status_code == 302
    # Staff without the right to see jobs are refused
    client.force_login(UserFactory(email="packer@example.com", is_staff=True))
    assert client.get(url).status_code == 403


def test_the_merchant_rebuilds_the_search_index_from_the_admin(
    merchant_client, catalog, settings, eager_celery, django_capture_on_commit_callbacks
):
    # Given products and the default embedder
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"

    # When the merchant presses "Rebuild search index" (the task runs in-process here)
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_client.post(
            reverse("admin:shop_job_start", args=["search.reindex"]), follow=True
        )

    # Then the job list says it started, and the job embedded the catalog
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert "Started: Rebuild search index." in response.content.decode()
    job = Job.objects.get()
    assert (job.kind, job.status, job.progress) == ("search.reindex", JobStatus.SUCCEEDED, 100)
    assert job.created_by.email == "merchant@example.com"
    assert ProductEmbedding.objects.count() == 3
    assert ModelVersion.objects.get(capability="search").is_active


def test_pressing_start_twice_does_not_queue_a_second_job(
    merchant_client, db, django_capture_on_commit_callbacks
):
    url = reverse("admin:shop_job_start", args=["search.reindex"])
    with django_capture_on_commit_callbacks():
        merchant_client.post(url)
        response = merchant_client.post(url, follow=True)

    assert Job.objects.count() == 1
    assert "already queued or running" in response.content.decode()


def test_starting_a_job_needs_a_post_the_permission_and_a_known_kind(
    merchant_client, staff_client, db
):
    url = reverse("admin:shop_job_start", args=["search.reindex"])

    assert merchant_client.get(url).status_code == 405
    assert merchant_client.post(reverse("admin:shop_job_start", args=["nope"])).status_code == 404
    assert staff_client.post(url).status_code == 403
    assert "Rebuild search index" not in staff_client.get(reverse(CHANGELIST)).content.decode()
    assert not Job.objects.exists()


def test_the_retry_action_starts_failed_jobs_again(
    merchant_client, db, django_capture_on_commit_callbacks
):
    failed = Job.objects.create(kind="search.reindex", status=JobStatus.FAILED, error="boom")
    done = Job.objects.create(kind="search.reindex_dirty", status=JobStatus.SUCCEEDED)

    with django_capture_on_commit_callbacks() as callbacks:
        response = merchant_client.post(
            reverse(CHANGELIST),
            {"action": "retry_failed_jobs", "_selected_action": [failed.pk, done.pk]},
            follow=True,
        )

    html = response.content.decode()
    assert "1 job started again." in html
    assert "1 job was not retried" in html
    retry = Job.objects.get(retry_of=failed)
    assert (retry.status, retry.attempts) == (JobStatus.QUEUED, 2)
    assert len(callbacks) == 1
    failed.refresh_from_db()
    assert failed.error == "boom"


def test_model_versions_are_listed_and_one_can_be_activated(merchant_client, db):
    old = ModelVersion.objects.create(
        capability="search", version=1, metrics={"products": 540, "seconds": 12.5}
    )
    new = ModelVersion.objects.create(capability="search", version=2, is_active=True)

    listing = merchant_client.get(reverse("admin:ai_modelversion_changelist")).content.decode()
    assert "products: 540 · seconds: 12.5" in listing

    merchant_client.post(
        reverse("admin:ai_modelversion_changelist"),
        {"action": "activate", "_selected_action": [old.pk]},
    )

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.is_active and not new.is_active


def test_activating_two_versions_of_one_capability_is_refused(merchant_client, db):
    first = ModelVersion.objects.create(capability="chat", version=1)
    second = ModelVersion.objects.create(capability="chat", version=2)

    response = merchant_client.post(
        reverse("admin:ai_modelversion_changelist"),
        {"action": "activate", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "only one can be active" in response.content.decode()
    assert not ModelVersion.objects.filter(is_active=True).exists()
