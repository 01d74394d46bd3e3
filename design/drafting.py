"""Generating design drafts: the job kinds `design.generate`, `design.variations` and
`design.interpolate`, run on the design worker (queue settings.DESIGN_QUEUE).

This module is imported by the web process too (DesignConfig.ready registers the kinds, so the
admin can start them and the sweep can send them), so it never imports TensorFlow at its top:
the generator (design.gan.generation, the GAN's own package) is loaded inside the work, which
only the design worker or a management command runs. A loaded generator is kept per artifact
folder (design.gan.generation's cache), so a worker's second run starts at once.

Reproducible: draft i of a seed is drawn from design.latents.latents_for(seed)[i], whatever the
count and the other categories asked, and is stored with its latent vector; a variation or a
blend is stored with its own seed and latent and its parent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ai.services import JobReporter, ModelVersion, model_version_active
from shop.jobs import job_kind, job_start
from shop.models import Job

from . import latents as latent_space
from .drafts import DraftBatch, DraftError, drafts_store
from .models import DesignDraft, DesignSet, DraftOrigin
from .similarity import set_features

logger = logging.getLogger(__name__)

JOB_DESIGN_GENERATE = "design.generate"
JOB_DESIGN_VARIATIONS = "design.variations"
JOB_DESIGN_INTERPOLATE = "design.interpolate"
CAPABILITY = "design"
BATCH = 16  # pictures per generator call
MAX_VARIATIONS = 32
MAX_STEPS = 16


def generator_for(model_version: ModelVersion):
    """The loaded generator of a model version (TensorFlow is imported here, on first use;
    design.gan.generation keeps it loaded per artifact folder)."""
    path = model_version.artifact_path
    if not path or not Path(path).is_dir():
        raise DraftError(
            _("The design model %(version)s has no files at %(path)s: train it again.")
            % {"version": model_version, "path": path or "—"}
        )
    from design.gan.generation import load_generator  # TensorFlow: the design worker only

    return load_generator(path)


def design_model(model_version_id: int | None = None) -> ModelVersion:
    """The given design model version, or the active one; DraftError when there is none."""
    if model_version_id is not None:
        model_version = ModelVersion.objects.filter(
            pk=model_version_id, capability=CAPABILITY
        ).first()
        if model_version is None:
            raise DraftError(_("That design model version no longer exists."))
        return model_version
    model_version = model_version_active(capability=CAPABILITY)
    if model_version is None:
        raise DraftError(
            _("There is no trained design model yet: train one on a design set first.")
        )
    return model_version


def training_set(model_version: ModelVersion) -> DesignSet | None:
    """The design set the model learnt from (recorded in its parameters by the training job),
    whose pictures a draft is compared with; None when it is gone."""
    parameters = model_version.parameters or {}
    for key in ("design_set_id", "design_set"):
        value = parameters.get(key)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = DesignSet.objects.filter(pk=int(value)).first()
            if found is not None:
                return found
    name = parameters.get("design_set_name") or parameters.get("set")
    if isinstance(name, str) and name:
        return DesignSet.objects.filter(name=name).first()
    return None


def parse_categories(value) -> list[str]:
    """Categories from a list, or a comma-separated string; order kept, duplicates dropped."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    seen: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return seen


def check_categories(generator, categories: Sequence[str]) -> list[str]:
    known = list(generator.categories)
    if not categories:
        raise DraftError(_("Choose at least one category."))
    unknown = [category for category in categories if category not in known]
    if unknown:
        raise DraftError(
            _("The design model does not know %(unknown)s; it knows %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(known) or "—"}
        )
    return list(categories)


def check_count(count, *, most: int) -> int:
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise DraftError(_("The number of drafts must be a whole number.")) from None
    if not 1 <= count <= most:
        raise DraftError(_("The number of drafts must be between 1 and %(most)d.") % {"most": most})
    return count


def draw(
    generator, *, categories: Sequence[str], latents: np.ndarray, progress=None, done=0, total=0
) -> np.ndarray:
    """The generator's pictures for these latents, in batches (reporting progress)."""
    pictures = []
    for start in range(0, len(latents), BATCH):
        chunk = np.ascontiguousarray(latents[start : start + BATCH], dtype=np.float32)
        pictures.append(generator.generate(chunk, list(categories[start : start + BATCH])))
        if progress is not None:
            progress(done + start + len(chunk), total, _("Drawing drafts"))
    if not pictures:
        return np.zeros((0, generator.size, generator.size, 3), dtype=np.uint8)
    return np.concatenate(pictures)


def _user(user_id):
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def generate_drafts(
    *,
    categories,
    count: int,
    seed: int = 0,
    diversity: float = 1.0,
    model_version_id: int | None = None,
    user_id: int | None = None,
    job: Job | None = None,
    progress: Callable | None = None,
) -> list[DesignDraft]:
    """Draws and stores `count` drafts per category with the design model; see the module."""
    model_version = design_model(model_version_id)
    generator = generator_for(model_version)
    categories = check_categories(generator, parse_categories(categories))
    count = check_count(count, most=settings.DESIGN_MAX_DRAFTS)
    try:
        seed, diversity = int(seed), float(diversity)
        latents = latent_space.latents_for(
            seed=seed, count=count, latent_dim=generator.latent_dim, diversity=diversity
        )
    except (TypeError, ValueError) as exc:
        raise DraftError(str(exc)) from None
    design_set = training_set(model_version)
    features = set_features(design_set) if design_set is not None else None
    total = count * len(categories)
    user = _user(user_id)
    drafts: list[DesignDraft] = []
    for number, category in enumerate(categories):
        images = draw(
            generator,
            categories=[category] * count,
            latents=latents,
            progress=progress,
            done=number * count,
            total=total,
        )
        batch = DraftBatch(
            images=images,
            latents=latents,
            categories=[category] * count,
            seed=seed,
            positions=range(count),
            diversity=diversity,
        )
        drafts += drafts_store(
            batch=batch,
            model_version=model_version,
            design_set=design_set,
            set_features=features,
            job=job,
            user=user,
        )
    return drafts


def _store(
    *, batch: DraftBatch, model_version: ModelVersion, job: Job | None, user_id: int | None
) -> list[DesignDraft]:
    """Stores one batch of a model's drafts beside the pictures of the set it learnt from."""
    design_set = training_set(model_version)
    return drafts_store(
        batch=batch,
        model_version=model_version,
        design_set=design_set,
        set_features=set_features(design_set) if design_set is not None else None,
        job=job,
        user=_user(user_id),
    )


def _model_of(draft: DesignDraft) -> ModelVersion:
    if draft.model_version_id is None:
        raise DraftError(_("The model that drew this draft no longer exists."))
    return design_model(draft.model_version_id)


def vary_draft(
    *,
    draft: DesignDraft,
    count: int = 8,
    strength: float = 0.3,
    seed: int = 0,
    user_id: int | None = None,
    job: Job | None = None,
    progress: Callable | None = None,
) -> list[DesignDraft]:
    """`count` variations of a draft: its latent moved `strength` of the way towards noise."""
    model_version = _model_of(draft)
    generator = generator_for(model_version)
    count = check_count(count, most=MAX_VARIATIONS)
    try:
        latents = latent_space.variations_of(
            latent=draft.latent, count=count, strength=float(strength), seed=int(seed)
        )
    except (TypeError, ValueError) as exc:
        raise DraftError(str(exc)) from None
    if latents.shape[1] != generator.latent_dim:
        raise DraftError(_("This draft was drawn by a model with another latent size."))
    categories = [draft.category] * count
    images = draw(generator, categories=categories, latents=latents, progress=progress, total=count)
    return _store(
        batch=DraftBatch(
            images=images,
            latents=latents,
            categories=categories,
            seed=int(seed),
            positions=range(count),
            diversity=draft.diversity,
            origin=DraftOrigin.VARIATION,
            parent=draft,
        ),
        model_version=model_version,
        job=job,
        user_id=user_id,
    )


def interpolate_drafts(
    *,
    first: DesignDraft,
    second: DesignDraft,
    steps: int = 8,
    user_id: int | None = None,
    job: Job | None = None,
    progress: Callable | None = None,
) -> list[DesignDraft]:
    """A strip of `steps` drafts blending `first` into `second` (both ends included, drawn
    again), on the great circle between their latents. Between two categories, the first
    half takes the first's category and the rest the second's."""
    if first.pk == second.pk:
        raise DraftError(_("Choose two different drafts."))
    if first.model_version_id != second.model_version_id:
        raise DraftError(_("The two drafts were drawn by different models."))
    model_version = _model_of(first)
    generator = generator_for(model_version)
    steps = check_count(steps, most=MAX_STEPS)
    if steps < 3:
        raise DraftError(_("A strip needs at least 3 steps."))
    try:
        latents = latent_space.interpolate(a=first.latent, b=second.latent, steps=steps)
    except ValueError as exc:
        raise DraftError(str(exc)) from None
    categories = [first.category if i < steps / 2 else second.category for i in range(steps)]
    images = draw(generator, categories=categories, latents=latents, progress=progress, total=steps)
    return _store(
        batch=DraftBatch(
            images=images,
            latents=latents,
            categories=categories,
            seed=first.seed,
            positions=range(steps),
            diversity=first.diversity,
            origin=DraftOrigin.INTERPOLATION,
            parent=first,
        ),
        model_version=model_version,
        job=job,
        user_id=user_id,
    )


# --- the job kinds ----------------------------------------------------------------------------
def _job_of(reporter: JobReporter) -> Job | None:
    return Job.objects.filter(pk=reporter.job_id).first()


def _summary(drafts: list[DesignDraft]) -> dict:
    return {
        "drafts": [draft.pk for draft in drafts],
        "near_copies": sum(draft.near_copy for draft in drafts),
    }


@job_kind(JOB_DESIGN_GENERATE, label=gettext_lazy("Generate design drafts"), dedupe_by_params=True)
def design_generate(
    *,
    reporter: JobReporter,
    categories,
    count: int,
    seed: int = 0,
    diversity: float = 1.0,
    model_version_id: int | None = None,
    user_id: int | None = None,
) -> dict:
    drafts = generate_drafts(
        categories=categories,
        count=count,
        seed=seed,
        diversity=diversity,
        model_version_id=model_version_id,
        user_id=user_id,
        job=_job_of(reporter),
        progress=reporter,
    )
    return _summary(drafts)


def _draft(pk) -> DesignDraft:
    draft = DesignDraft.objects.filter(pk=pk).first()
    if draft is None:
        raise DraftError(_("That draft no longer exists."))
    return draft


@job_kind(JOB_DESIGN_VARIATIONS, label=gettext_lazy("Vary a design draft"), dedupe_by_params=True)
def design_variations(
    *,
    reporter: JobReporter,
    draft_id: int,
    count: int = 8,
    strength: float = 0.3,
    seed: int = 0,
    user_id: int | None = None,
) -> dict:
    drafts = vary_draft(
        draft=_draft(draft_id),
        count=count,
        strength=strength,
        seed=seed,
        user_id=user_id,
        job=_job_of(reporter),
        progress=reporter,
    )
    return _summary(drafts)


@job_kind(
    JOB_DESIGN_INTERPOLATE, label=gettext_lazy("Blend two design drafts"), dedupe_by_params=True
)
def design_interpolate(
    *,
    reporter: JobReporter,
    first_id: int,
    second_id: int,
    steps: int = 8,
    user_id: int | None = None,
) -> dict:
    drafts = interpolate_drafts(
        first=_draft(first_id),
        second=_draft(second_id),
        steps=steps,
        user_id=user_id,
        job=_job_of(reporter),
        progress=reporter,
    )
    return _summary(drafts)


def start(*, kind: str, params: dict, user=None) -> Job:
    """Starts a design job on the design queue (the one worker that may import TensorFlow)."""
    if user is not None and user.is_authenticated:
        params = {**params, "user_id": user.pk}
    return job_start(kind=kind, params=params, user=user, queue=settings.DESIGN_QUEUE)
