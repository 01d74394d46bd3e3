"""Generating drafts end to end with a tiny trained GAN (design.gan, 16 x 16 pictures): the
`design.generate`, `design.variations` and `design.interpolate` jobs, reproducible by seed, and
`manage.py generate_designs` writing PNG files.

The model is trained once for the module (a few seconds, most of it TensorFlow tracing); the
jobs run in this process (shop.jobs.job_run_here), as the design worker runs them.
"""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from ai.services import model_version_register
from design.drafting import generate_drafts
from design.drafts import DraftError
from design.models import DesignDraft, DraftOrigin
from design.services import design_set_add_uploads
from shop.jobs import job_run_here
from shop.models import JobStatus

from .conftest import picture_bytes
from .gan_data import CATEGORIES, synthetic_set

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]
SIZE = 16
LATENT = 16


@pytest.fixture(scope="module")
def artifact_dir(tmp_path_factory):
    from design.gan import training as gan_training

    out_dir = tmp_path_factory.mktemp("gan") / "run"
    images, labels = synthetic_set(count=24, size=SIZE)
    gan_training.train_gan(
        images=images,
        labels=labels,
        categories=CATEGORIES,
        out_dir=out_dir,
        epochs=1,
        seed=0,
        batch_size=8,
        size=SIZE,
        channels=32,
        latent_dim=LATENT,
    )
    return out_dir


@pytest.fixture
def design_model(db, design_set, artifact_dir):
    files = [SimpleUploadedFile(f"ref-{seed}.png", picture_bytes(seed)) for seed in range(1, 5)]
    assert design_set_add_uploads(design_set=design_set, files=files, category="rings").ok
    return model_version_register(
        capability="design",
        artifact_path=str(artifact_dir),
        parameters={"design_set": design_set.pk, "categories": CATEGORIES},
    )


def pixels(draft: DesignDraft) -> np.ndarray:
    with draft.image.open("rb") as stored, Image.open(stored) as opened:
        return np.asarray(opened.convert("RGB"))


def run(kind: str, **params):
    job = job_run_here(kind=kind, params=params)
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job, list(DesignDraft.objects.filter(job=job).order_by("category", "position"))


def test_the_generate_job_stores_drafts_reproducible_by_seed(design_model, design_set):
    params = {"categories": ["rings", "pendants"], "count": 3, "seed": 11, "diversity": 0.8}
    job, drafts = run("design.generate", **params)

    assert len(drafts) == 6
    assert sorted(job.result["drafts"]) == sorted(d.pk for d in drafts)
    assert job.result["near_copies"] == sum(d.near_copy for d in drafts)
    assert [(d.category, d.position) for d in drafts] == [
        ("pendants", 0),
        ("pendants", 1),
        ("pendants", 2),
        ("rings", 0),
        ("rings", 1),
        ("rings", 2),
    ]
    first = drafts[0]
    assert first.model_version == design_model and first.design_set == design_set
    assert (first.seed, first.diversity, first.origin) == (11, 0.8, DraftOrigin.GENERATED)
    assert len(first.latent) == LATENT and pixels(first).shape == (SIZE, SIZE, 3)
    assert len(first.nearest) == 3 and first.nearest_similarity == first.nearest[0]["similarity"]
    assert first.image.name.startswith("design/drafts/")

    again = run("design.generate", **params)[1]
    other = run("design.generate", **{**params, "seed": 12})[1]
    assert all(np.array_equal(pixels(a), pixels(b)) for a, b in zip(drafts, again, strict=True))
    assert [a.latent for a in drafts] == [b.latent for b in again]
    assert not np.array_equal(pixels(drafts[0]), pixels(other[0]))


def test_variations_and_an_interpolation_strip_are_one_job_each(design_model):
    _, (a, b) = run("design.generate", categories=["rings"], count=2, seed=3)

    _, variations = run("design.variations", draft_id=a.pk, count=4, strength=0.2, seed=1)
    _, strip = run("design.interpolate", first_id=a.pk, second_id=b.pk, steps=5)

    assert len(variations) == 4
    assert all(v.parent == a and v.origin == DraftOrigin.VARIATION for v in variations)
    assert all(v.category == "rings" and len(v.latent) == LATENT for v in variations)
    assert len(strip) == 5 and all(s.origin == DraftOrigin.INTERPOLATION for s in strip)
    # The strip's ends are the two drafts themselves, drawn again.
    assert np.array_equal(pixels(strip[0]), pixels(a))
    assert np.array_equal(pixels(strip[-1]), pixels(b))
    assert not np.array_equal(pixels(strip[2]), pixels(a))


def test_an_unknown_category_fails_the_job_with_a_clear_message(design_model):
    job = job_run_here(kind="design.generate", params={"categories": ["tiaras"], "count": 2})
    assert job.status == JobStatus.FAILED
    assert "does not know tiaras" in job.message and "rings" in job.message
    assert not DesignDraft.objects.exists()


@pytest.mark.django_db
def test_without_a_design_model_generating_says_so():
    with pytest.raises(DraftError, match="no trained design model"):
        generate_drafts(categories=["rings"], count=2)
    with pytest.raises(CommandError, match="no trained design model"):
        call_command("generate_designs", "--category", "rings", "--out", "/nonexistent")


def test_the_command_writes_pngs_one_folder_per_category(design_model, tmp_path):
    call_command(
        "generate_designs",
        "--category",
        "rings,pendants",
        "--count",
        "2",
        "--seed",
        "3",
        "--out",
        str(tmp_path / "many"),
    )
    call_command(
        "generate_designs",
        "--category",
        "rings",
        "--count",
        "2",
        "--seed",
        "3",
        "--out",
        str(tmp_path / "one"),
    )

    many = sorted(
        p.relative_to(tmp_path / "many").as_posix() for p in (tmp_path / "many").rglob("*.png")
    )
    assert many == [
        "pendants/pendants-3-000.png",
        "pendants/pendants-3-001.png",
        "rings/rings-3-000.png",
        "rings/rings-3-001.png",
    ]
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [
        "rings-3-000.png",
        "rings-3-001.png",
    ]
    with (
        Image.open(tmp_path / "one" / "rings-3-000.png") as one,
        Image.open(tmp_path / "many" / "rings" / "rings-3-000.png") as same,
    ):
        assert one.size == (SIZE, SIZE)
        assert np.array_equal(np.asarray(one), np.asarray(same))  # same seed, same picture
    with pytest.raises(CommandError, match="does not know tiaras"):
        call_command("generate_designs", "--category", "tiaras", "--out", str(tmp_path / "x"))
    assert not DesignDraft.objects.exists()  # the command writes files only
