"""A class-conditional DCGAN for a few hundred to a few thousand pictures, on a CPU.

Why these pieces (issue 15, "built for small data"):
- DiffAugment (Zhao et al. 2020: colour, translation, cutout), applied to the real and the fake
  pictures alike, for D's step and G's: with a few hundred pictures the discriminator otherwise
  memorises the set within a few epochs and the generator's gradients die.
- Spectral normalisation on every discriminator layer (Miyato et al. 2018) and the hinge loss:
  a Lipschitz-bounded D whose loss saturates, so neither network runs away on small batches.
- A projection discriminator (Miyato & Koyama 2018): D(x, y) = psi(phi(x)) + <embed(y), phi(x)>,
  the condition entering as an inner product with D's features rather than as an extra input
  channel; the generator gets a learned category embedding beside its latent vector.
- Upsampling (nearest) then a 3x3 convolution in the generator, not transposed convolutions:
  no checkerboard pattern, which small training runs never unlearn.

`conditional=False` gives the baseline of the benchmark (bench/design.py): the same networks
without the condition; `diff_augment=False` and `spectral_norm=False` switch the stabilisers off
one by one so their effect can be measured.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass

import keras
import tensorflow as tf  # the design worker alone loads this module
from keras import layers

from .precision import resolve_precision

SIZES = (16, 32, 64, 128)


def _configure_threads() -> None:
    """TensorFlow takes every core by default; the design worker shares the machine with the web
    workers and the other Celery workers, so it takes DESIGN_GAN_THREADS (default: all cores,
    at most 4). Only possible before TensorFlow starts its runtime; later calls are ignored."""
    threads = int(os.environ.get("DESIGN_GAN_THREADS") or min(4, os.cpu_count() or 1))
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass


_configure_threads()


@dataclass(frozen=True)
class GanConfig:
    """What rebuilds a generator: saved beside its weights (meta.json)."""

    size: int = 64
    num_classes: int = 1
    conditional: bool = True
    latent_dim: int = 128
    embed_dim: int = 32
    # Channels at the 4 x 4 start of G (and the end of D); halved at each doubling of the size,
    # never below `min_channels`.
    channels: int = 256
    min_channels: int = 32
    spectral_norm: bool = True

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"size must be one of {SIZES}, not {self.size}")
        if self.num_classes < 1:
            raise ValueError("at least one category is needed")

    @property
    def blocks(self) -> int:
        return int(math.log2(self.size)) - 2  # 4 -> size

    def channels_at(self, level: int) -> int:
        """Channels at 4 * 2**level pixels."""
        return max(self.min_channels, self.channels // (2**level))

    def as_dict(self) -> dict:
        return asdict(self)


def _policy(precision: str) -> str | None:
    """The Keras dtype policy of the hidden layers: None (Keras' float32) or "mixed_bfloat16"
    (bfloat16 arithmetic, float32 weights, so the optimisers, the EMA and the checkpoints stay
    float32). The layers that end a network stay float32 (see the builders)."""
    precision = resolve_precision(precision)
    return None if precision == "float32" else precision


def build_generator(config: GanConfig, precision: str = "float32") -> keras.Model:
    """latent (+ category embedding) -> 4x4 -> upsampling conv blocks -> tanh RGB in [-1, 1].

    Under mixed precision the last convolution and its tanh run in float32: the pictures (and
    what D, DiffAugment and the saved drafts see) keep float32's 24-bit steps, not bfloat16's 8."""
    dtype = _policy(precision)
    latent = keras.Input(shape=(config.latent_dim,), name="latent")
    inputs = [latent]
    x = latent
    if config.conditional:
        label = keras.Input(shape=(), dtype="int32", name="category")
        inputs.append(label)
        embedded = layers.Embedding(
            config.num_classes, config.embed_dim, name="category_embed", dtype=dtype
        )(label)
        x = layers.Concatenate(dtype=dtype)([latent, embedded])
    start = config.channels_at(0)
    x = layers.Dense(4 * 4 * start, use_bias=False, dtype=dtype)(x)
    x = layers.Reshape((4, 4, start), dtype=dtype)(x)
    # Keras normalises bfloat16 inputs in float32 inside BatchNormalization.
    x = layers.BatchNormalization(momentum=0.9, dtype=dtype)(x)
    x = layers.ReLU(dtype=dtype)(x)
    for level in range(1, config.blocks + 1):
        x = layers.UpSampling2D(interpolation="nearest", dtype=dtype)(x)
        x = layers.Conv2D(
            config.channels_at(level), 3, padding="same", use_bias=False, dtype=dtype
        )(x)
        x = layers.BatchNormalization(momentum=0.9, dtype=dtype)(x)
        x = layers.ReLU(dtype=dtype)(x)
    x = layers.Conv2D(3, 3, padding="same", activation="tanh", name="rgb", dtype="float32")(x)
    return keras.Model(inputs, x, name="generator")


def _sn(layer: layers.Layer, config: GanConfig, dtype: str | None) -> layers.Layer:
    # The wrapper's power iteration reads the float32 kernel variable, so sigma and the
    # normalised kernel are computed in float32 whatever the layer's compute dtype.
    return layers.SpectralNormalization(layer, dtype=dtype) if config.spectral_norm else layer


def build_discriminator(config: GanConfig, precision: str = "float32") -> keras.Model:
    """Strided conv blocks down to 4x4, summed features phi(x); the output is a score (hinge).

    Under mixed precision the convolutions run in bfloat16; the pooled features are cast to
    float32 and the score, the projection and their sum (what the hinge loss sees) are float32."""
    dtype = _policy(precision)
    image = keras.Input(shape=(config.size, config.size, 3), name="image")
    inputs = [image]
    x = _sn(
        layers.Conv2D(config.channels_at(config.blocks), 3, padding="same", dtype=dtype),
        config,
        dtype,
    )(image)
    x = layers.LeakyReLU(0.2, dtype=dtype)(x)
    for level in range(config.blocks - 1, -1, -1):
        x = _sn(
            layers.Conv2D(config.channels_at(level), 4, strides=2, padding="same", dtype=dtype),
            config,
            dtype,
        )(x)
        x = layers.LeakyReLU(0.2, dtype=dtype)(x)
    # 4x4 after `blocks` halvings of `size`... one more 3x3 conv, then sum over the positions.
    x = _sn(layers.Conv2D(config.channels_at(0), 3, padding="same", dtype=dtype), config, dtype)(x)
    x = layers.LeakyReLU(0.2, dtype=dtype)(x)
    features = layers.GlobalAveragePooling2D(dtype="float32")(x)
    score = _sn(layers.Dense(1, dtype="float32"), config, "float32")(features)
    if config.conditional:
        label = keras.Input(shape=(), dtype="int32", name="category")
        inputs.append(label)
        embedded = layers.Embedding(config.num_classes, config.channels_at(0), name="projection")(
            label
        )
        projection = layers.Dot(axes=1)([embedded, features])
        score = layers.Add()([score, projection])
    return keras.Model(inputs, score, name="discriminator")  # (batch, 1)


# --- losses -----------------------------------------------------------------------------------
def d_hinge_loss(real_scores: tf.Tensor, fake_scores: tf.Tensor) -> tf.Tensor:
    real_scores, fake_scores = tf.reshape(real_scores, [-1]), tf.reshape(fake_scores, [-1])
    return tf.reduce_mean(tf.nn.relu(1.0 - real_scores)) + tf.reduce_mean(
        tf.nn.relu(1.0 + fake_scores)
    )


def g_hinge_loss(fake_scores: tf.Tensor) -> tf.Tensor:
    return -tf.reduce_mean(tf.reshape(fake_scores, [-1]))


# --- DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN
# Training"; the paper's colour, translation and cutout policies, written for NHWC tensors) -----
AUGMENTATIONS = ("colour", "translation", "cutout")


def parse_augment_policy(policy: str) -> tuple[str, ...]:
    """The parts of "colour,translation,cutout" (the paper's full policy) a policy names, in
    that order; an unknown or empty policy is a ValueError."""
    chosen = tuple(part.strip() for part in policy.split(",") if part.strip())
    unknown = set(chosen) - set(AUGMENTATIONS)
    if unknown or not chosen:
        raise ValueError(f"a DiffAugment policy names some of {AUGMENTATIONS}, not {policy!r}")
    return tuple(name for name in AUGMENTATIONS if name in chosen)


def diff_augment(
    images: tf.Tensor, rng: tf.random.Generator, policy: tuple[str, ...] = AUGMENTATIONS
) -> tf.Tensor:
    """The same kind of random change for every picture of a batch, drawn per picture;
    differentiable, so G learns through it. `images` in [-1, 1], NHWC."""
    if "colour" in policy:
        images = _colour(images, rng)
    if "translation" in policy:
        images = _translation(images, rng)
    if "cutout" in policy:
        images = _cutout(images, rng)
    return images


def _colour(x: tf.Tensor, rng: tf.random.Generator) -> tf.Tensor:
    batch = tf.shape(x)[0]
    x = x + (rng.uniform([batch, 1, 1, 1]) - 0.5)  # brightness
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - mean) * (rng.uniform([batch, 1, 1, 1]) * 2.0) + mean  # saturation
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * (rng.uniform([batch, 1, 1, 1]) + 0.5) + mean  # contrast


def _translation(x: tf.Tensor, rng: tf.random.Generator, ratio: float = 0.125) -> tf.Tensor:
    """Shifts each picture by up to `ratio` of its side, filling with zeros (mid-grey)."""
    batch = tf.shape(x)[0]
    height, width = x.shape[1], x.shape[2]
    shift_y, shift_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    ty = rng.uniform([batch, 1], -shift_y, shift_y + 1, dtype=tf.int32)
    tx = rng.uniform([batch, 1], -shift_x, shift_x + 1, dtype=tf.int32)
    padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
    rows = tf.clip_by_value(tf.range(height)[None, :] + ty + 1, 0, height + 1)
    cols = tf.clip_by_value(tf.range(width)[None, :] + tx + 1, 0, width + 1)
    x = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(x, cols, axis=2, batch_dims=1)


def _cutout(x: tf.Tensor, rng: tf.random.Generator, ratio: float = 0.5) -> tf.Tensor:
    """Blanks a square of half the side at a random place of each picture."""
    batch = tf.shape(x)[0]
    height, width = x.shape[1], x.shape[2]
    cut_h, cut_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    cy = rng.uniform([batch, 1, 1], 0, height + (1 - cut_h % 2), dtype=tf.int32)
    cx = rng.uniform([batch, 1, 1], 0, width + (1 - cut_w % 2), dtype=tf.int32)
    rows = tf.range(height)[None, :, None]
    cols = tf.range(width)[None, None, :]
    inside = (
        (rows >= cy - cut_h // 2)
        & (rows < cy - cut_h // 2 + cut_h)
        & (cols >= cx - cut_w // 2)
        & (cols < cx - cut_w // 2 + cut_w)
    )
    mask = 1.0 - tf.cast(inside, x.dtype)
    return x * mask[..., None]
