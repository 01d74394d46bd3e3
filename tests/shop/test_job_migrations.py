"""Jobs moved from ai to the kernel (issue 13, step 7) without moving a row: a store migrated
before the move keeps its jobs, their links, the permission to start them and its grants."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from shop.jobs import job_retry
from shop.models import Job, JobStatus
from tests.factories import UserFactory
from tests.migrations import at_migration, migrate_to

BEFORE_THE_MOVE = ("ai", "0004_job_enqueued_at")


@pytest.fixture
def before_the_move(transactional_db):
    """A database as a store had it while jobs were ai's; migrated forward afterwards in any
    case, so the next test finds the latest schema."""
    yield from at_migration(BEFORE_THE_MOVE)


def test_a_job_written_before_the_move_is_read_and_retried_through_the_kernel(before_the_move):
    # Given a store before the move, with a failed job and its first attempt written by ai's model
    assert "job" in before_the_move.all_models["ai"]
    assert "job" not in before_the_move.all_models.get("shop", {})
    merchant = UserFactory(email="merchant@example.com", is_staff=True)
    old_job = before_the_move.get_model("ai", "Job")
    first = old_job.objects.create(kind="search.reindex", status="failed", error="boom")
    second = old_job.objects.create(
        kind="search.reindex",
        params={"full": True},
        status="failed",
        progress=40,
        message="Embedded 40 of 100",
        error="Traceback: boom",
        created_by_id=merchant.pk,
        attempts=2,
        retry_of_id=first.pk,
        celery_task_id="9b0c-token",
        queue="ai",
    )

    # When the store migrates to the kernel's job framework
    migrate_to(None)

    # Then the same rows (same table, same ids, same links) are read through shop.models
    job = Job.objects.select_related("created_by", "retry_of").get(pk=second.pk)
    assert (job.kind, job.params, job.status, job.progress, job.message) == (
        "search.reindex",
        {"full": True},
        JobStatus.FAILED,
        40,
        "Embedded 40 of 100",
    )
    assert (job.created_by, job.retry_of.pk, job.attempts) == (merchant, first.pk, 2)
    assert (job.celery_task_id, job.queue, job.error) == ("9b0c-token", "ai", "Traceback: boom")
    assert Job._meta.db_table == "ai_job"
    assert Job.objects.count() == 2
    # and the framework carries on from it: a retry is the next attempt, with the next id
    retried = job_retry(job=job)
    assert (retried.attempts, retried.retry_of_id, retried.kind) == (3, job.pk, "search.reindex")
    assert retried.pk > second.pk


def test_staff_who_could_start_jobs_still_can_after_the_move(before_the_move):
    # Given a group and a user granted ai.start_job (and view_job) while jobs were ai's
    permissions = before_the_move.get_model("auth", "Permission").objects
    old_start = permissions.get(content_type__app_label="ai", codename="start_job")
    old_view = permissions.get(content_type__app_label="ai", codename="view_job")
    operators = Group.objects.create(name="Operators")
    operators.permissions.add(old_start.pk, old_view.pk)
    in_group = UserFactory(email="group@example.com", is_staff=True)
    in_group.groups.add(operators)
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_start.pk)

    # When the store migrates to the kernel's job framework
    migrate_to(None)

    # Then the same permission rows are shop.start_job and shop.view_job, and both still hold them
    start = Permission.objects.get(pk=old_start.pk)
    assert (start.content_type.app_label, start.codename) == ("shop", "start_job")
    assert Permission.objects.get(pk=old_view.pk).content_type.app_label == "shop"
    for user in (in_group, granted):
        fresh = type(user).objects.get(pk=user.pk)  # no cached permissions
        assert fresh.has_perm("shop.start_job")
        assert not fresh.has_perm("ai.start_job")
    assert type(in_group).objects.get(pk=in_group.pk).has_perm("shop.view_job")
    assert not ContentType.objects.filter(app_label="ai", model="job").exists()
    # ai's other content types are not touched.
    assert ContentType.objects.filter(app_label="ai", model="modelversion").exists()


def test_a_shop_content_type_made_before_the_migration_is_merged_with_the_grants(
    before_the_move,
):
    # Given a database where Django already made a shop content type and permission for jobs (an
    # odd partial migration) while the grant is on ai's
    content_types = before_the_move.get_model("contenttypes", "ContentType").objects
    permissions = before_the_move.get_model("auth", "Permission").objects
    old_permission = permissions.get(content_type__app_label="ai", codename="start_job")
    twin_type = content_types.create(app_label="shop", model="job")
    twin = permissions.create(
        content_type=twin_type, codename="start_job", name="Can start AI jobs"
    )
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_permission.pk)

    # When the store migrates to the kernel's job framework
    migrate_to(None)

    # Then the grant is on the shop permission, and ai's content type for jobs is gone
    fresh = type(granted).objects.get(pk=granted.pk)
    assert fresh.has_perm("shop.start_job")
    assert list(fresh.user_permissions.values_list("pk", flat=True)) == [twin.pk]
    assert not ContentType.objects.filter(app_label="ai", model="job").exists()
    assert Permission.objects.get(codename="view_job").content_type_id == twin_type.pk


def test_migrating_back_gives_the_jobs_and_grants_to_ai_again(transactional_db):
    # Given a store on the kernel's jobs, with a job and a grant of shop.start_job
    job = Job.objects.create(kind="recommend.train", status=JobStatus.SUCCEEDED)
    start = Permission.objects.get(content_type__app_label="shop", codename="start_job")
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(start)

    try:
        # When it migrates back to before the move
        old_apps = migrate_to(BEFORE_THE_MOVE)

        # Then ai's model reads the job and the grant is ai.start_job again
        assert old_apps.get_model("ai", "Job").objects.get(pk=job.pk).kind == "recommend.train"
        fresh = type(granted).objects.get(pk=granted.pk)
        assert fresh.has_perm("ai.start_job")
        assert Permission.objects.get(pk=start.pk).content_type.app_label == "ai"
    finally:
        migrate_to(None)
