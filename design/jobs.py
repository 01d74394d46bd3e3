"""Training the design GAN as a job (issue 15, "Training"): the kind "design.train".

The kind registers wherever this module is imported (DesignConfig.ready: the web process has
the button and job_start, the main worker knows the task), but its Celery task
`design.job.design.train` is routed to DESIGN_QUEUE (CELERY_TASK_ROUTES, and written on the job
so its retries keep it), which only the design worker serves. TensorFlow is imported inside the
job's function, so only that worker ever loads it (tests/design/test_gan_imports.py).

    design_training_start(...)   a run (DesignTraining) and its queued job, on commit
    design_training_create(...)  the run alone (the command runs its job in the foreground)
    train_design_model(...)      the job's work: pictures -> train_gan -> ModelVersion
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from ai.services import model_version_register
from shop.jobs import JobReporter, job_kind, job_start

from .models import DesignSet, DesignTraining

logger = logging.getLogger(__name__)

JOB_DESIGN_TRAIN = "design.train"
CAPABILITY_DESIGN = "design"
GAN_SIZES = (16, 32, 64, 128)
# What DESIGN_GAN_OPTIONS may set (train_gan's keyword options); anything else is ignored.
TRAIN_OPTIONS = {
    "channels",
    "latent_dim",
    "lr_g",
    "lr_d",
    "beta_1",
    "beta_2",
    "ema_decay",
    "diff_augment_on",
    "diff_augment_policy",
    "spectral_norm",
    "precision",
}


class TrainingError(ValueError):
    """A run that cannot start: no pictures, or a size the pictures or the model do not have."""


def run_dir(training: DesignTraining | int) -> Path:
    """DESIGN_MODEL_DIR/run-<id>: the run's checkpoints, sample grids and generator."""
    pk = training if isinstance(training, int) else training.pk
    return Path(settings.DESIGN_MODEL_DIR) / f"run-{int(pk)}"


def sample_grid_path(training: DesignTraining, epoch: int) -> Path:
    return run_dir(training) / "samples" / f"epoch_{int(epoch):03d}.png"


def sample_epochs(training: DesignTraining) -> list[int]:
    """The epochs whose sample grid is written, in order."""
    folder = run_dir(training) / "samples"
    epochs = []
    for path in folder.glob("epoch_*.png"):
        try:
            epochs.append(int(path.stem.split("_", 1)[1]))
        except ValueError:
            continue
    return sorted(epochs)


def _check(*, design_set: DesignSet, size: int, epochs: int, batch_size: int) -> None:
    if size not in GAN_SIZES:
        raise TrainingError(
            _("The size must be one of %(sizes)s.") % {"sizes": ", ".join(map(str, GAN_SIZES))}
        )
    if size > settings.DESIGN_IMAGE_SIZE:
        raise TrainingError(
            _("The pictures are %(have)d pixels wide; a model of %(size)d cannot learn from them.")
            % {"have": settings.DESIGN_IMAGE_SIZE, "size": size}
        )
    if epochs < 1 or batch_size < 1:
        raise TrainingError(_("Epochs and batch size must be at least 1."))
    if not design_set.images.exists():
        raise TrainingError(_("The set %(set)s has no pictures.") % {"set": design_set})


def design_training_create(
    *,
    design_set: DesignSet,
    epochs: int,
    size: int,
    batch_size: int | None = None,
    seed: int = 0,
    user=None,
) -> DesignTraining:
    """Records a run (not started): checks the set has pictures and the size fits them."""
    batch_size = batch_size or settings.DESIGN_GAN_BATCH_SIZE
    _check(design_set=design_set, size=size, epochs=epochs, batch_size=batch_size)
    training = DesignTraining(
        design_set=design_set,
        size=size,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    training.full_clean()
    training.save()
    return training


def training_params(training: DesignTraining) -> dict:
    """The job's params: they name the run, so a retry (same params) resumes in its folder."""
    return {
        "training": training.pk,
        "design_set": training.design_set_id,
        "epochs": training.epochs,
        "size": training.size,
        "batch_size": training.batch_size,
        "seed": training.seed,
    }


def design_training_start(
    *,
    design_set: DesignSet,
    epochs: int,
    size: int,
    batch_size: int | None = None,
    seed: int = 0,
    user=None,
) -> DesignTraining:
    """A new run and its job on DESIGN_QUEUE, sent when the transaction commits."""
    with transaction.atomic():
        training = design_training_create(
            design_set=design_set,
            epochs=epochs,
            size=size,
            batch_size=batch_size,
            seed=seed,
            user=user,
        )
        training.job = job_start(
            kind=JOB_DESIGN_TRAIN,
            params=training_params(training),
            user=user,
            queue=settings.DESIGN_QUEUE,
        )
        training.save(update_fields=["job"])
    return training


def load_pictures(design_set: DesignSet, *, size: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The set's pictures as (N, size, size, 3) uint8, their labels and the category names
    (sorted: the labels index them). A picture whose file is gone is skipped (and logged)."""
    rows = list(design_set.images.order_by("category", "id").only("id", "category", "image"))
    categories = sorted({row.category for row in rows})
    index = {name: i for i, name in enumerate(categories)}
    pictures, labels = [], []
    for row in rows:
        try:
            with row.image.open("rb") as stored, Image.open(stored) as opened:
                picture = opened.convert("RGB")
                if picture.size != (size, size):
                    picture = picture.resize((size, size), Image.Resampling.LANCZOS)
                pictures.append(np.asarray(picture, dtype=np.uint8))
        except (OSError, ValueError):
            logger.warning("Design picture %s cannot be read; skipped", row.pk, exc_info=True)
            continue
        labels.append(index[row.category])
    if not pictures:
        raise TrainingError(_("The set %(set)s has no readable pictures.") % {"set": design_set})
    return np.stack(pictures), np.asarray(labels, dtype=np.int32), categories


def _time_left(seconds: float) -> str:
    if seconds >= 90:
        return _("%(minutes)d min left") % {"minutes": math.ceil(seconds / 60)}
    return _("%(seconds)d s left") % {"seconds": math.ceil(seconds)}


def progress_message(info: dict) -> str:
    """ "epoch 3/40 · step 12/50 · D 1.02 · G 0.87 · 2 min left"."""
    return _(
        "epoch %(epoch)d/%(epochs)d · step %(step)d/%(steps)d · D %(d_loss).2f · "
        "G %(g_loss).2f · %(left)s"
    ) % {**info, "left": _time_left(info["seconds_left"])}


def progress_steps(info: dict) -> tuple[int, int]:
    """(steps done, steps in all) of the whole run."""
    return (info["epoch"] - 1) * info["steps"] + info["step"], info["epochs"] * info["steps"]


@job_kind(JOB_DESIGN_TRAIN, label=gettext_lazy("Train the design model"), dedupe_by_params=True)
def train_design_model(
    *,
    reporter: JobReporter,
    training: int,
    design_set: int,
    epochs: int,
    size: int,
    batch_size: int,
    seed: int = 0,
) -> dict:
    """The job: trains on the set's pictures in the run's folder (resuming from its last
    checkpoint), then registers and activates the design ModelVersion."""
    from .gan.training import train_gan  # TensorFlow: the design worker only

    run = DesignTraining.objects.select_related("design_set").get(pk=training)
    if run.design_set_id != design_set:
        raise TrainingError(_("The job names another set than its training run."))
    # The latest attempt is the one the admin follows (a retry is a new Job).
    DesignTraining.objects.filter(pk=run.pk).update(job=reporter.job_id)
    images, labels, categories = load_pictures(run.design_set, size=size)
    reporter(0, 1, _("%(count)d pictures loaded") % {"count": len(images)})

    def progress(info: dict) -> None:
        # Called, not update(): a terminal bar (job_run_here's `also`) hears it too.
        reporter(*progress_steps(info), progress_message(info))
        if info["step"] == info["steps"]:
            # Written at each epoch's end whatever the throttle: a cancelled job stops before
            # the epoch's checkpoint (JobCancelled), never after the whole run.
            reporter.flush()

    folder = run_dir(run)
    options = {
        key: value
        for key, value in (settings.DESIGN_GAN_OPTIONS or {}).items()
        if key in TRAIN_OPTIONS
    }
    result = train_gan(
        **options,
        images=images,
        labels=labels,
        categories=categories,
        out_dir=folder,
        epochs=epochs,
        batch_size=batch_size,
        size=size,
        seed=seed,
        progress=progress,
    )
    reporter.flush()
    per_category = Counter(categories[label] for label in labels.tolist())
    model_version = model_version_register(
        capability=CAPABILITY_DESIGN,
        parameters={
            "design_set": run.design_set_id,
            "design_set_name": run.design_set.name,
            "training": run.pk,
            "size": size,
            "epochs": epochs,
            "batch_size": result["batch_size"],
            "seed": seed,
            "categories": categories,
            "conditional": True,
            "options": options,
        },
        metrics={
            "d_loss": result["d_loss"],
            "g_loss": result["g_loss"],
            "seconds": result["seconds"],
            "seconds_per_epoch": result["seconds_per_epoch"],
            # What "auto" became on this machine (bfloat16 or float32).
            "precision": result["precision"],
            "resumed_from_epoch": result["resumed_from_epoch"],
            "pictures": len(images),
            "pictures_per_category": dict(sorted(per_category.items())),
        },
        artifact_path=str(folder),
        activate=True,
    )
    DesignTraining.objects.filter(pk=run.pk).update(model_version=model_version)
    return {
        "training": run.pk,
        "model_version": model_version.pk,
        "version": model_version.version,
        **{key: result[key] for key in ("d_loss", "g_loss", "seconds", "resumed_from_epoch")},
        "samples": len(result["samples"]),
    }
