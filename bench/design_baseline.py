"""The design bench's baseline: a plain unconditional DCGAN (Radford et al. 2015), TensorFlow.

No condition, no differentiable augmentation, no spectral normalisation: transposed
convolutions with batch norm and ReLU in the generator, strided convolutions with leaky ReLU
(and batch norm after the first) in the discriminator, the non-saturating loss, Adam(2e-4,
beta1 0.5). bench/design.py trains it for the same wall-clock time as the store's conditional
GAN, so the KID difference says what the condition and the stabilisers buy at equal cost.
It lives in bench/ because the store never uses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import tensorflow as tf

from design.gan.precision import resolve_precision

LATENT_DIM = 128


def _generator(size: int, dtype: str | None = None) -> tf.keras.Model:
    """dtype: the hidden layers' Keras policy (None: float32); the picture layer is float32."""
    layers = tf.keras.layers
    steps = int(np.log2(size)) - 2  # 4 -> size
    width = 64 * 2 ** (steps - 1)
    model = tf.keras.Sequential([tf.keras.Input((LATENT_DIM,))])
    model.add(layers.Dense(4 * 4 * width, use_bias=False, dtype=dtype))
    model.add(layers.BatchNormalization(dtype=dtype))
    model.add(layers.ReLU(dtype=dtype))
    model.add(layers.Reshape((4, 4, width), dtype=dtype))
    for _ in range(steps - 1):
        width //= 2
        model.add(
            layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False, dtype=dtype)
        )
        model.add(layers.BatchNormalization(dtype=dtype))
        model.add(layers.ReLU(dtype=dtype))
    model.add(
        layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh", dtype="float32")
    )
    return model


def _discriminator(size: int, dtype: str | None = None) -> tf.keras.Model:
    """dtype as in _generator; the logit (what the loss sees) is float32."""
    layers = tf.keras.layers
    steps = int(np.log2(size)) - 2
    model = tf.keras.Sequential([tf.keras.Input((size, size, 3))])
    width = 64
    for step in range(steps):
        model.add(
            layers.Conv2D(width, 4, strides=2, padding="same", use_bias=step == 0, dtype=dtype)
        )
        if step:
            model.add(layers.BatchNormalization(dtype=dtype))
        model.add(layers.LeakyReLU(0.2, dtype=dtype))
        width *= 2
    model.add(layers.Flatten(dtype="float32"))
    model.add(layers.Dense(1, dtype="float32"))
    return model


class Baseline:
    """A trained baseline generator: generate(n, seed) -> uint8 (n, size, size, 3)."""

    def __init__(self, generator: tf.keras.Model, size: int):
        self.generator = generator
        self.size = size

    def generate(self, n: int, *, seed: int = 0) -> np.ndarray:
        latents = np.random.default_rng(seed).normal(size=(n, LATENT_DIM)).astype("float32")
        out = []
        for start in range(0, n, 64):
            batch = self.generator(latents[start : start + 64], training=False).numpy()
            out.append(np.clip((batch + 1.0) * 127.5, 0, 255).round().astype(np.uint8))
        return np.concatenate(out)


def train_baseline(
    *,
    images: np.ndarray,
    seconds: float,
    batch_size: int = 32,
    seed: int = 0,
    log: Callable[[str], None] = print,
    precision: str = "auto",
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Baseline, dict]:
    """Trains for `seconds` of `clock` (wall-clock time; time.process_time for CPU seconds), in
    whole steps: the epoch in progress stops when the time is up. Returns the generator and
    {epochs, steps, seconds, precision}. `precision` as the store's GAN's
    (design.gan.precision): the same arithmetic lever for both, so the equal-time comparison
    stays fair."""
    precision = resolve_precision(precision)
    dtype = None if precision == "float32" else precision
    tf.keras.utils.set_random_seed(seed)
    size = images.shape[1]
    generator, discriminator = _generator(size, dtype), _discriminator(size, dtype)
    g_opt = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
    d_opt = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def step(real):
        n = tf.shape(real)[0]
        z = tf.random.normal((n, LATENT_DIM))
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = generator(z, training=True)
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(
                tf.zeros_like(fake_logits), fake_logits
            )
            g_loss = bce(tf.ones_like(fake_logits), fake_logits)
        d_opt.apply_gradients(
            zip(
                d_tape.gradient(d_loss, discriminator.trainable_variables),
                discriminator.trainable_variables,
                strict=True,
            )
        )
        g_opt.apply_gradients(
            zip(
                g_tape.gradient(g_loss, generator.trainable_variables),
                generator.trainable_variables,
                strict=True,
            )
        )
        return d_loss, g_loss

    data = images.astype("float32") / 127.5 - 1.0
    rng = np.random.default_rng(seed)
    start = time.monotonic()
    clock0 = clock()
    epochs = steps = 0
    done = False
    while not done:
        order = rng.permutation(len(data))
        for first in range(0, len(order) - batch_size + 1, batch_size):
            d_loss, g_loss = step(tf.constant(data[order[first : first + batch_size]]))
            steps += 1
            if clock() - clock0 >= seconds:
                done = True
                break
        else:
            epochs += 1
            log(
                f"  baseline epoch {epochs}: d {float(d_loss):.3f} g {float(g_loss):.3f} "
                f"({time.monotonic() - start:.0f} s)"
            )
    elapsed = time.monotonic() - start
    return Baseline(generator, size), {
        "epochs": epochs,
        "steps": steps,
        "seconds": round(elapsed, 1),
        "precision": precision,
    }
