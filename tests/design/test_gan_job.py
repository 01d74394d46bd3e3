"""Training as a job: "Train a model" in the admin, the design.train job (progress, grids, model
version, retry resumes), `manage.py train_design_gan`, and the runs' pages and grids.

The job runs in this process (job_run_here, or job_run for a queued job), at 16 x 16 pixels on
18 drawn pictures in three categories, one or two epochs (TensorFlow: marked slow).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ai.services import model_version_active
from design.jobs import (
    JOB_DESIGN_TRAIN,
    design_training_create,
    design_training_start,
    progress_message,
    run_dir,
    sample_epochs,
    training_params,
)
from design.models import DesignSet, DesignTraining
from design.services import design_set_add_uploads
from shop.jobs import get_job_kind, job_cancel, job_retry, job_run, job_run_here
from shop.models import Job, JobStatus
from tests.factories import UserFactory

from .conftest import picture_bytes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]
CATEGORIES = ["earrings", "pendants", "rings"]


@pytest.fixture(autouse=True)
def _model_dir(settings, tmp_path):
    settings.DESIGN_MODEL_DIR = tmp_path / "design-models"
    settings.DESIGN_GAN_BATCH_SIZE = 6
    # Smaller networks than the defaults: quicker, and proves the options reach train_gan
    # (a key that is not an option is dropped).
    settings.DESIGN_GAN_OPTIONS = {"channels": 64, "latent_dim": 16, "bogus": 1}


@pytest.fixture
def filled_set(design_set):
    for index, category in enumerate(CATEGORIES):
        files = [
            SimpleUploadedFile(f"{category}{n}.png", picture_bytes(100 * index + n))
            for n in range(6)
        ]
        report = design_set_add_uploads(design_set=design_set, files=files, category=category)
        assert report.ok and len(report.added) == 6, report.duplicates
    return design_set


def test_the_progress_message_says_epoch_step_losses_and_time_left():
    info = {"epoch": 3, "epochs": 40, "step": 12, "steps": 50, "d_loss": 1.0212, "g_loss": 0.8666}
    assert (
        progress_message({**info, "seconds_left": 100})
        == "epoch 3/40 · step 12/50 · D 1.02 · G 0.87 · 2 min left"
    )
    assert progress_message({**info, "seconds_left": 41.2}).endswith("· 42 s left")


def test_the_kind_is_routed_to_the_design_queue(settings):
    task = get_job_kind(JOB_DESIGN_TRAIN).task
    assert task.name == "design.job.design.train"
    assert settings.CELERY_TASK_ROUTES[task.name] == {"queue": settings.DESIGN_QUEUE}


def test_a_set_without_pictures_or_a_size_too_large_is_refused(design_set, settings):
    from design.jobs import TrainingError

    with pytest.raises(TrainingError):
        design_training_create(design_set=design_set, epochs=1, size=16)
    settings.DESIGN_IMAGE_SIZE = 64
    design_set_add_uploads(
        design_set=design_set,
        files=[SimpleUploadedFile("a.png", picture_bytes(1))],
        category="rings",
    )
    with pytest.raises(TrainingError):
        design_training_create(design_set=design_set, epochs=1, size=128)
    assert not DesignTraining.objects.exists()


def test_the_job_reports_progress_writes_grids_and_registers_an_active_model_version(
    filled_set,
):
    training = design_training_create(design_set=filled_set, epochs=2, size=16, seed=3)
    reports = []
    job = job_run_here(
        kind=JOB_DESIGN_TRAIN,
        params=training_params(training),
        progress=lambda done, total, message: reports.append((done, total, message)),
    )
    assert job.status == JobStatus.SUCCEEDED, job.error
    # 18 pictures, batches of 6: 3 steps per epoch, 6 in all, reported with the message.
    steps = [r for r in reports if r[1] == 6]
    assert [r[0] for r in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[3][2].startswith("epoch 2/2 · step 1/3 · D ")
    training.refresh_from_db()
    assert training.job == job
    assert sample_epochs(training) == [1, 2]
    version = model_version_active(capability="design")
    assert training.model_version == version and version.artifact_path == str(run_dir(training))
    assert version.parameters["categories"] == CATEGORIES
    assert version.parameters["size"] == 16 and version.parameters["epochs"] == 2
    assert version.parameters["options"] == {"channels": 64, "latent_dim": 16}
    assert version.metrics["pictures_per_category"] == dict.fromkeys(CATEGORIES, 6)
    assert version.metrics["seconds"] > 0 and version.metrics["d_loss"] is not None
    assert job.result["model_version"] == version.pk

    # The artifact is what the drafts load: a conditional generator of the set's categories.
    from design.gan.generation import load_generator

    generator = load_generator(version.artifact_path)
    assert generator.categories == CATEGORIES and generator.size == 16
    assert generator.latent_dim == 16 and generator.conditional is True


def test_a_cancelled_job_retried_resumes_from_its_last_epoch(filled_set, merchant, monkeypatch):
    training = design_training_start(
        design_set=filled_set, epochs=2, size=16, batch_size=6, user=merchant
    )
    job = training.job
    assert job.queue == "design" and job.params["training"] == training.pk

    # The merchant cancels during the second epoch: the work stops at its next report.
    original = DesignTraining.objects.get(pk=training.pk)
    calls = []

    from design import jobs as design_jobs

    real_message = design_jobs.progress_message

    def cancel_in_epoch_two(info):
        calls.append(info)
        if info["epoch"] == 2:
            job_cancel(job=Job.objects.get(pk=job.pk))
        return real_message(info)

    monkeypatch.setattr(design_jobs, "progress_message", cancel_in_epoch_two)
    job_run(job_id=job.pk, work=get_job_kind(JOB_DESIGN_TRAIN).task.work)
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert sample_epochs(original) == [1]
    assert model_version_active(capability="design") is None

    retry = job_retry(job=job)
    assert retry.params == job.params and retry.queue == "design"
    job_run(job_id=retry.pk, work=get_job_kind(JOB_DESIGN_TRAIN).task.work)
    retry.refresh_from_db()
    assert retry.status == JobStatus.SUCCEEDED, retry.error
    assert retry.result["resumed_from_epoch"] == 1
    training.refresh_from_db()
    assert training.job == retry and training.model_version is not None
    assert sample_epochs(training) == [1, 2]


def test_the_command_trains_in_the_foreground(filled_set):
    out, err = StringIO(), StringIO()
    call_command(
        "train_design_gan", "--epochs", "1", "--size", "16", "--batch-size", "6",
        stdout=out, stderr=err,
    )  # fmt: skip
    training = DesignTraining.objects.get()
    assert training.job.status == JobStatus.SUCCEEDED
    assert "Trained design model v1 on Spring references: 16px, 1 epochs" in out.getvalue()
    assert sample_epochs(training) == [1]
    DesignSet.objects.create(name="Other")
    with pytest.raises(CommandError, match="Choose a set with --set"):
        call_command("train_design_gan", "--epochs", "1", "--size", "16", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="no design set named"):
        call_command("train_design_gan", "--set", "Nope", stdout=out, stderr=err)


def test_train_a_model_starts_a_run_and_its_pages_show_progress_and_grids(
    filled_set, merchant_client, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    change = merchant_client.get(reverse("admin:design_designset_change", args=[filled_set.pk]))
    train_url = reverse("admin:design_designset_train", args=[filled_set.pk])
    assert train_url in change.content.decode()
    assert merchant_client.get(train_url).status_code == 200
    bad = merchant_client.post(
        train_url, {"epochs": "0", "size": "16", "batch_size": "6", "seed": "0"}
    )
    assert bad.status_code == 400 and not DesignTraining.objects.exists()
    response = merchant_client.post(
        train_url, {"epochs": "1", "size": "16", "batch_size": "6", "seed": "0"}
    )
    training = DesignTraining.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:design_designtraining_change", args=[training.pk])
    assert training.job.kind == JOB_DESIGN_TRAIN and training.job.queue == "design"

    page = merchant_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html and "data-job-progress" in html
    assert "No sample grid yet." in html

    # The job runs (here, in this process) and writes its grid; the pages show it.
    job_run(job_id=training.job.pk, work=get_job_kind(JOB_DESIGN_TRAIN).task.work)
    grid_url = reverse("admin:design_designtraining_sample", args=[training.pk, 1])
    listing = merchant_client.get(reverse("admin:design_designtraining_changelist"))
    assert listing.status_code == 200 and grid_url in listing.content.decode()
    assert 'http-equiv="refresh"' not in listing.content.decode()
    grid = merchant_client.get(grid_url)
    assert grid.status_code == 200 and grid["Content-Type"] == "image/png"
    assert b"".join(grid.streaming_content).startswith(b"\x89PNG")

    for url in (
        f"/admin/design/designtraining/{training.pk}/samples/2/",
        f"/admin/design/designtraining/{training.pk}/samples/-1/",
        "/admin/design/designtraining/abc/samples/1/",
        "/admin/design/designtraining/99999999999999999999999/samples/1/",
        "/admin/design/designset/abc/train/",
    ):
        assert merchant_client.get(url).status_code == 404, url
    # A malformed run id on its page: the admin's own "does not exist" (a redirect), no error.
    assert merchant_client.get("/admin/design/designtraining/abc/change/").status_code == 302
    # Not a sample URL at all (the admin's catch-all sends it to a change page that is not).
    escape = merchant_client.get(
        f"/admin/design/designtraining/{training.pk}/samples/..%2F..%2Fmeta.json/", follow=True
    )
    assert escape.status_code in (200, 404) and b"categories" not in escape.content


def test_training_needs_its_permission_and_the_grids_the_view_permission(filled_set, client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_designset"))
    client.force_login(staff)
    train_url = reverse("admin:design_designset_train", args=[filled_set.pk])
    assert client.get(train_url).status_code == 403
    assert client.post(train_url, {"epochs": "1", "size": "16"}).status_code == 403
    training = design_training_create(design_set=filled_set, epochs=1, size=16)
    grid_url = reverse("admin:design_designtraining_sample", args=[training.pk, 1])
    assert client.get(grid_url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_designtraining"))
    staff = type(staff).objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get(train_url).status_code == 200
