"""The job framework is the kernel's (issue 13, step 7): what stays the same for the merchants,
the running workers and the code written against ai's jobs."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from shop.celery import app
from shop.models import Job, JobStatus
from tests.factories import UserFactory


def test_the_old_admin_addresses_of_jobs_redirect(merchant_client):
    # The job list was /admin/ai/job/ before the move: bookmarks (list, a job, its progress) work.
    job = Job.objects.create(kind="search.reindex", status=JobStatus.RUNNING, progress=40)

    listing = merchant_client.get("/admin/ai/job/?status__exact=running")
    bare = merchant_client.get("/admin/ai/job")
    detail = merchant_client.get(f"/admin/ai/job/{job.pk}/change/", follow=True)
    progress = merchant_client.get(f"/admin/ai/job/{job.pk}/progress/", follow=True)

    assert listing.status_code == 301
    assert listing["Location"] == "/admin/shop/job/?status__exact=running"
    assert (bare.status_code, bare["Location"]) == (301, "/admin/shop/job/")
    assert detail.redirect_chain == [(f"/admin/shop/job/{job.pk}/change/", 301)]
    assert detail.status_code == 200
    assert progress.json()["progress"] == 40
    # ai's other admin pages are where they were.
    assert merchant_client.get("/admin/ai/modelversion/").status_code == 200


def test_the_old_addresses_check_permissions_where_they_lead(db):
    # A redirect gives nothing away: the admin at the new address decides.
    job = Job.objects.create(kind="search.reindex")
    stranger = Client()

    response = stranger.get(f"/admin/ai/job/{job.pk}/change/", follow=True)

    assert response.redirect_chain[0] == (f"/admin/shop/job/{job.pk}/change/", 301)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")


def test_who_may_start_jobs_is_the_kernels_start_job_permission(db):
    # Given a staff member holding the permission under its new name
    user = UserFactory(email="ops@example.com", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="shop", codename="start_job"),
        Permission.objects.get(content_type__app_label="shop", codename="view_job"),
    )
    client = Client()
    client.force_login(user)

    # When they open the job list, the start buttons are theirs
    page = client.get(reverse("admin:shop_job_changelist")).content.decode()

    assert reverse("admin:shop_job_start", args=["search.reindex"]) in page
    assert not Permission.objects.filter(content_type__app_label="ai", codename="start_job")


def test_the_sweep_answers_to_its_new_name_and_to_the_one_a_running_beat_still_sends():
    import ai.tasks  # noqa: F401 - registered in every process by ai's AppConfig
    import shop.tasks  # noqa: F401 - the worker autodiscovers it

    assert "shop.enqueue_pending_jobs" in app.tasks
    assert "ai.enqueue_pending_jobs" in app.tasks


def test_ais_job_kinds_keep_their_task_names_so_queued_messages_find_them():
    from shop.jobs import get_job_kind, task_name

    assert get_job_kind("search.reindex").task.name == "ai.job.search.reindex"
    assert get_job_kind("recommend.train").task.name == "ai.job.recommend.train"
    # Another app's kinds are named after it.
    assert task_name(kind="labels.print", module="orders.tasks") == "orders.job.labels.print"


@pytest.mark.parametrize(
    "old_import",
    [
        "from ai.jobs import JobReporter, job_kind, job_start, enqueue_pending_jobs",
        "from ai.models import Job, JobStatus, ACTIVE_JOB_STATUSES, FINISHED_JOB_STATUSES",
        "from ai.services import Job, job_start, job_retry, job_cancel, JobReporter",
    ],
)
def test_code_written_against_ais_jobs_gets_the_kernels(old_import):
    import shop.jobs
    import shop.models

    names: dict = {}
    exec(old_import, names)

    for name, value in names.items():
        if name != "__builtins__":
            kernel = getattr(shop.jobs, name, None) or getattr(shop.models, name)
            assert value is kernel, name


def test_the_job_list_is_in_the_admins_shop_section_in_the_merchants_language(merchant_client):
    page = merchant_client.get("/admin/shop/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Boutique" in page and "Shop" not in page.replace("/shop/", "")
    assert 'href="/admin/shop/job/"' in page
