"""The GAN itself (design.gan): a tiny run saves, resumes, generates, and is the same by seed.

TensorFlow is imported once for this module; the runs are 16 x 16 pictures, a few dozen of
them, one or two epochs of a few steps (most of the seconds are TensorFlow tracing the step).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from .gan_data import CATEGORIES, synthetic_set

# slow: TensorFlow traces the training step anew for each run (`-m "not slow"` skips them).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]
SIZE = 16
OPTIONS = {"batch_size": 8, "size": SIZE, "channels": 64, "latent_dim": 16}


def train(out_dir, *, epochs=2, seed=0, **extra):
    from design.gan.training import train_gan

    images, labels = synthetic_set(count=24, size=SIZE)
    return train_gan(
        images=images,
        labels=labels,
        categories=CATEGORIES,
        out_dir=out_dir,
        epochs=epochs,
        seed=seed,
        **{**OPTIONS, **extra},
    )


@pytest.fixture(scope="module")
def gan_training():
    """TensorFlow is imported here, when the first test of the module runs, not at collection:
    a `-m "not slow"` run of tests/design never loads it."""
    from design.gan import training

    return training


@pytest.fixture(scope="module")
def gan_generation():
    from design.gan import generation

    return generation


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One uninterrupted run of two epochs, with every progress report it made."""
    out_dir = tmp_path_factory.mktemp("gan") / "run"
    reports = []
    result = train(out_dir, progress=reports.append)
    return out_dir, result, reports


def test_a_run_saves_the_generator_checkpoints_and_a_grid_per_epoch(trained, gan_training):
    out_dir, result, reports = trained
    assert result["stopped"] is False and result["epochs_run"] == 2
    assert (out_dir / "generator.weights.h5").is_file()
    meta = json.loads((out_dir / "meta.json").read_text())
    assert meta["categories"] == CATEGORIES and meta["size"] == SIZE
    assert meta["latent_dim"] == 16 and meta["conditional"] is True
    assert sorted(p.name for p in (out_dir / "samples").iterdir()) == [
        "epoch_001.png",
        "epoch_002.png",
    ]
    with Image.open(out_dir / "samples" / "epoch_002.png") as grid:
        # A row per category, GRID_COLUMNS pictures per row.
        assert grid.size == (gan_training.GRID_COLUMNS * SIZE, len(CATEGORIES) * SIZE)
    assert len(list((out_dir / "checkpoints").glob("ckpt-*.index"))) == 2
    # 24 pictures in batches of 8: 3 steps per epoch, reported one by one.
    assert [(r["epoch"], r["step"]) for r in reports] == [(e, s) for e in (1, 2) for s in (1, 2, 3)]
    assert all(r["epochs"] == 2 and r["steps"] == 3 for r in reports)
    assert all(np.isfinite(r["d_loss"]) and np.isfinite(r["g_loss"]) for r in reports)
    assert reports[-1]["seconds_left"] == 0
    assert result["d_loss"] == pytest.approx(reports[-1]["d_loss"])


def test_the_loaded_generator_draws_the_asked_shapes_and_is_cached(trained, gan_generation):
    out_dir, _, _ = trained
    generator = gan_generation.load_generator(out_dir)
    assert gan_generation.load_generator(str(out_dir)) is generator
    assert generator.categories == CATEGORIES
    assert (generator.latent_dim, generator.size, generator.conditional) == (16, SIZE, True)
    latents = np.random.default_rng(1).standard_normal((70, 16)).astype(np.float32)
    names = [CATEGORIES[i % 3] for i in range(70)]
    pictures = generator.generate(latents, names)  # more than one batch of 64
    assert pictures.shape == (70, SIZE, SIZE, 3) and pictures.dtype == np.uint8
    # The same latent and category, the same picture; another category, another picture.
    again = generator.generate(latents[:2], names[:2])
    assert np.array_equal(again, pictures[:2])
    other = generator.generate(latents[:1], ["pendants"])
    assert not np.array_equal(other[0], pictures[0])
    with pytest.raises(ValueError):
        generator.generate(latents[:2], ["rings"])
    with pytest.raises(gan_generation.UnknownCategory):
        generator.generate(latents[:1], ["tiaras"])


def test_a_stopped_run_resumes_from_its_checkpoint_and_ends_as_an_uninterrupted_one(
    trained, tmp_path, gan_generation
):
    out_dir, _, _ = trained
    calls = []

    def stop_in_the_second_epoch():
        calls.append(1)
        return len(calls) == 4  # after the first step of epoch 2

    stopped = train(tmp_path, should_stop=stop_in_the_second_epoch)
    assert stopped["stopped"] is True and stopped["epochs_run"] == 1
    assert not (tmp_path / "generator.weights.h5").exists()
    assert [p.name for p in (tmp_path / "samples").iterdir()] == ["epoch_001.png"]

    reports = []
    resumed = train(tmp_path, progress=reports.append)
    assert resumed["resumed_from_epoch"] == 1 and resumed["epochs_run"] == 1
    assert {r["epoch"] for r in reports} == {2}
    # Same seed, the same generator as the run that was never interrupted.
    latents = np.random.default_rng(2).standard_normal((6, 16)).astype(np.float32)
    names = CATEGORIES * 2
    first = gan_generation.load_generator(out_dir).generate(latents, names)
    second = gan_generation.load_generator(tmp_path).generate(latents, names)
    assert np.array_equal(first, second)


def test_another_seed_gives_another_generator_and_the_baseline_is_unconditional(
    trained, tmp_path, gan_training, gan_generation
):
    out_dir, _, _ = trained
    train(tmp_path, epochs=1, seed=1, conditional=False, diff_augment_on=False, spectral_norm=False)
    baseline = gan_generation.load_generator(tmp_path)
    assert baseline.conditional is False
    latents = np.random.default_rng(3).standard_normal((3, 16)).astype(np.float32)
    # Unconditional: the category asked for changes nothing.
    assert np.array_equal(
        baseline.generate(latents, ["rings"] * 3), baseline.generate(latents, ["pendants"] * 3)
    )
    with Image.open(tmp_path / "samples" / "epoch_001.png") as grid:
        assert grid.size[1] == gan_training.UNCONDITIONAL_ROWS * SIZE
    conditional = gan_generation.load_generator(out_dir)
    assert not np.array_equal(
        baseline.generate(latents, ["rings"] * 3), conditional.generate(latents, ["rings"] * 3)
    )


def test_bad_inputs_are_refused_before_any_training(tmp_path, gan_training):
    images, labels = synthetic_set(count=6, size=SIZE)
    with pytest.raises(ValueError):
        gan_training.train_gan(
            images=images,
            labels=labels[:3],
            categories=CATEGORIES,
            out_dir=tmp_path,
            epochs=1,
            size=SIZE,
        )
    with pytest.raises(ValueError):
        gan_training.train_gan(
            images=images,
            labels=labels + 5,
            categories=CATEGORIES,
            out_dir=tmp_path,
            epochs=1,
            size=SIZE,
        )
    with pytest.raises(ValueError):
        gan_training.train_gan(
            images=images,
            labels=labels,
            categories=CATEGORIES,
            out_dir=tmp_path,
            epochs=1,
            size=32,
        )


def test_a_diffaugment_policy_names_parts_of_the_full_one(tmp_path, gan_training):
    from design.gan.model import parse_augment_policy

    assert parse_augment_policy("cutout, colour") == ("colour", "cutout")
    assert parse_augment_policy("colour,translation,cutout") == ("colour", "translation", "cutout")
    for bad in ("", "colour,flip"):
        with pytest.raises(ValueError):
            parse_augment_policy(bad)
    images, labels = synthetic_set(count=6, size=SIZE)
    with pytest.raises(ValueError):  # refused before anything is built or written
        gan_training.train_gan(
            images=images,
            labels=labels,
            categories=CATEGORIES,
            out_dir=tmp_path / "run",
            epochs=1,
            size=SIZE,
            diff_augment_policy="colour,blur",
        )
    assert not (tmp_path / "run").exists()
