"""Training the design GAN: resumable, reproducible, reporting as it goes.

`train_gan(...)` fits the networks of model.py on pictures in memory. The run's folder holds:

    checkpoints/           tf.train.Checkpoint after every epoch (networks, optimisers, the
                           random generator and the epoch): a cancelled or crashed run started
                           again on the same folder goes on from the last finished epoch
    samples/epoch_001.png  a grid per epoch, a row per category, the same latent vectors every
                           epoch so the grids show the model learning
    generator.weights.h5   the generator (its moving average of weights) once training ends
    meta.json              what generation.load_generator needs to rebuild it

Reproducible: the seed fixes the initial weights, the shuffling (drawn per epoch from the seed,
so a resumed run shuffles as an uninterrupted one) and every random draw (a tf.random.Generator
kept in the checkpoint); TensorFlow's op determinism is on, so the same seed on the same machine
gives the same generator.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from .model import (
    GanConfig,
    build_discriminator,
    build_generator,
    d_hinge_loss,
    diff_augment,
    g_hinge_loss,
    parse_augment_policy,
)
from .precision import resolve_precision

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "generator.weights.h5"
META_FILE = "meta.json"
GRID_COLUMNS = 8
# The unconditional baseline's grid: this many rows of random pictures.
UNCONDITIONAL_ROWS = 4
SAMPLE_SEED_OFFSET = 7919

try:
    tf.config.experimental.enable_op_determinism()
except Exception:  # an older TensorFlow: runs stay seeded, only not bit for bit
    logger.warning("TensorFlow op determinism is not available", exc_info=True)


def to_float(images: np.ndarray) -> np.ndarray:
    """uint8 pictures -> float32 in [-1, 1]."""
    return images.astype(np.float32) / 127.5 - 1.0


def to_uint8(images: np.ndarray) -> np.ndarray:
    return np.clip(np.rint((np.asarray(images) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def sample_latents(*, count: int, latent_dim: int, seed: int) -> np.ndarray:
    """Standard normal latent vectors drawn from `seed` (numpy: the same on every machine)."""
    return np.random.default_rng(seed).standard_normal((count, latent_dim)).astype(np.float32)


def save_grid(path: Path, images: np.ndarray, *, rows: int) -> None:
    """Writes (rows * columns, S, S, 3) uint8 pictures as one PNG, row by row."""
    count, size = images.shape[0], images.shape[1]
    columns = count // rows
    grid = images[: rows * columns].reshape(rows, columns, size, size, 3)
    grid = grid.transpose(0, 2, 1, 3, 4).reshape(rows * size, columns * size, 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    Image.fromarray(grid).save(tmp, format="PNG")
    tmp.replace(path)  # the admin never shows a half-written grid


def _check_inputs(images, labels, categories, size) -> None:
    if images.ndim != 4 or images.shape[1:] != (size, size, 3) or images.dtype != np.uint8:
        raise ValueError(
            f"images must be uint8 of shape (N, {size}, {size}, 3), not {images.shape}"
        )
    if labels.shape != (images.shape[0],):
        raise ValueError("one label per picture is needed")
    if not len(images):
        raise ValueError("no pictures to train on")
    if len(labels) and (labels.min() < 0 or labels.max() >= len(categories)):
        raise ValueError("a label names no category")


def train_gan(
    *,
    images: np.ndarray,
    labels: np.ndarray,
    categories: list[str],
    out_dir: Path,
    epochs: int,
    batch_size: int = 32,
    size: int = 64,
    seed: int = 0,
    conditional: bool = True,
    progress: Callable[[dict], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    diff_augment_on: bool = True,
    diff_augment_policy: str = "colour,translation,cutout",
    spectral_norm: bool = True,
    latent_dim: int = 128,
    channels: int = 256,
    lr_g: float = 2e-4,
    lr_d: float = 2e-4,
    beta_1: float = 0.5,
    beta_2: float = 0.999,
    ema_decay: float = 0.999,
    precision: str = "auto",
    jit_compile: bool = False,
) -> dict:
    """Trains (or goes on training) the GAN in `out_dir`; returns what happened.

    `progress(info)` gets {epoch, epochs, step, steps, d_loss, g_loss, seconds_left} after every
    step (epoch counts from 1); `should_stop()` is asked after every step: when true, training
    stops (the last finished epoch's checkpoint stays, so the next call resumes there) and the
    result says {"stopped": True}. The result otherwise holds the final losses, the seconds
    spent and the files written.

    `precision`: "float32", "mixed_bfloat16" (bfloat16 arithmetic in the hidden layers, float32
    weights, losses and pictures) or "auto" (bfloat16 on a CPU with bfloat16 hardware, see
    model.resolve_precision). A run resumes in the precision it is given, not the one it started
    in: the checkpoint holds float32 weights either way. `jit_compile` (XLA) is there to be
    measured (bench/design_speed.py): on the 2-core CPU it made the step slower, not faster.
    """
    out_dir = Path(out_dir)
    images = np.asarray(images)
    labels = np.asarray(labels, dtype=np.int32)
    _check_inputs(images, labels, categories, size)
    if not conditional:
        labels = np.zeros_like(labels)
    config = GanConfig(
        size=size,
        num_classes=max(1, len(categories)),
        conditional=conditional,
        latent_dim=latent_dim,
        channels=channels,
        spectral_norm=spectral_norm,
    )
    precision = resolve_precision(precision)
    policy = parse_augment_policy(diff_augment_policy)
    keras.utils.set_random_seed(seed)
    generator = build_generator(config, precision)
    discriminator = build_discriminator(config, precision)
    ema = build_generator(config, precision)
    ema.set_weights(generator.get_weights())
    g_opt = keras.optimizers.Adam(lr_g, beta_1=beta_1, beta_2=beta_2)
    d_opt = keras.optimizers.Adam(lr_d, beta_1=beta_1, beta_2=beta_2)
    g_opt.build(generator.trainable_variables)
    d_opt.build(discriminator.trainable_variables)
    rng = tf.random.Generator.from_seed(seed)
    epoch_done = tf.Variable(0, dtype=tf.int64, trainable=False)
    checkpoint = tf.train.Checkpoint(
        generator=generator,
        discriminator=discriminator,
        ema=ema,
        g_opt=g_opt,
        d_opt=d_opt,
        rng=rng,
        epoch=epoch_done,
    )
    manager = tf.train.CheckpointManager(checkpoint, str(out_dir / "checkpoints"), max_to_keep=2)
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_existing_objects_matched()
        logger.info("Resuming %s from epoch %d", out_dir, int(epoch_done.numpy()))
    start_epoch = int(epoch_done.numpy())

    data = to_float(images)
    count = len(data)
    batch = min(batch_size, count)
    steps = count // batch  # a fixed batch shape: one trace of the step
    pair_g = list(zip(generator.trainable_variables, ema.trainable_variables, strict=True))
    pair_stats = list(
        zip(generator.non_trainable_variables, ema.non_trainable_variables, strict=True)
    )

    def augment(x):
        return diff_augment(x, rng, policy) if diff_augment_on else x

    def d_inputs(x, y):
        return [x, y] if conditional else [x]

    def g_inputs(z, y):
        return [z, y] if conditional else [z]

    @tf.function(reduce_retracing=True, jit_compile=jit_compile)
    def train_step(real, y, decay):
        z = rng.normal([batch, latent_dim])
        with tf.GradientTape() as tape:
            fake = generator(g_inputs(z, y), training=True)
            real_scores = discriminator(d_inputs(augment(real), y), training=True)
            fake_scores = discriminator(d_inputs(augment(fake), y), training=True)
            d_loss = d_hinge_loss(real_scores, fake_scores)
        grads = tape.gradient(d_loss, discriminator.trainable_variables)
        d_opt.apply_gradients(zip(grads, discriminator.trainable_variables, strict=True))

        z = rng.normal([batch, latent_dim])
        with tf.GradientTape() as tape:
            fake = generator(g_inputs(z, y), training=True)
            fake_scores = discriminator(d_inputs(augment(fake), y), training=True)
            g_loss = g_hinge_loss(fake_scores)
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_opt.apply_gradients(zip(grads, generator.trainable_variables, strict=True))
        for variable, average in pair_g:
            average.assign(decay * average + (1.0 - decay) * variable)
        for variable, average in pair_stats:
            average.assign(variable)
        return d_loss, g_loss

    rows = len(categories) if conditional else UNCONDITIONAL_ROWS
    sample_z = sample_latents(
        count=rows * GRID_COLUMNS, latent_dim=latent_dim, seed=seed + SAMPLE_SEED_OFFSET
    )
    sample_y = np.repeat(np.arange(rows, dtype=np.int32) % config.num_classes, GRID_COLUMNS)

    def sample_grid(epoch: int) -> Path:
        path = out_dir / "samples" / f"epoch_{epoch:03d}.png"
        fake = ema(g_inputs(sample_z, sample_y), training=False)
        save_grid(path, to_uint8(fake.numpy()), rows=rows)
        return path

    started = time.monotonic()
    run_steps = 0
    d_loss = g_loss = float("nan")
    stopped = False
    total_steps = (epochs - start_epoch) * steps
    for epoch in range(start_epoch, epochs):
        order = np.random.default_rng([seed, epoch]).permutation(count)
        for step in range(steps):
            index = order[step * batch : (step + 1) * batch]
            global_step = epoch * steps + step
            decay = min(ema_decay, (1.0 + global_step) / (10.0 + global_step))
            d_t, g_t = train_step(
                tf.constant(data[index]), tf.constant(labels[index]), tf.constant(decay)
            )
            d_loss, g_loss = float(d_t), float(g_t)
            run_steps += 1
            if progress is not None:
                elapsed = time.monotonic() - started
                left = elapsed / run_steps * (total_steps - run_steps)
                progress(
                    {
                        "epoch": epoch + 1,
                        "epochs": epochs,
                        "step": step + 1,
                        "steps": steps,
                        "d_loss": d_loss,
                        "g_loss": g_loss,
                        "seconds_left": left,
                    }
                )
            if should_stop is not None and should_stop():
                stopped = True
                break
        if stopped:
            break
        epoch_done.assign(epoch + 1)
        manager.save(checkpoint_number=epoch + 1)
        sample_grid(epoch + 1)
    seconds = time.monotonic() - started
    result = {
        "stopped": stopped,
        "epochs": epochs,
        "epochs_run": int(epoch_done.numpy()) - start_epoch,
        "resumed_from_epoch": start_epoch,
        "steps_per_epoch": steps,
        "batch_size": batch,
        "precision": precision,
        "d_loss": None if math.isnan(d_loss) else d_loss,
        "g_loss": None if math.isnan(g_loss) else g_loss,
        "seconds": round(seconds, 2),
        "seconds_per_epoch": round(seconds / run_steps * steps, 2) if run_steps else None,
        "samples": sorted(str(p.name) for p in (out_dir / "samples").glob("epoch_*.png")),
    }
    if stopped:
        return result
    ema.save_weights(str(out_dir / WEIGHTS_FILE))
    meta = {
        "categories": list(categories),
        "config": config.as_dict(),
        "latent_dim": latent_dim,
        "size": size,
        "conditional": conditional,
        "seed": seed,
        "epochs": epochs,
        "precision": precision,  # of the training; drafts are drawn in float32
    }
    tmp = out_dir / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, indent=2))
    tmp.replace(out_dir / META_FILE)
    result["artifact_dir"] = str(out_dir)
    return result
