"""The design studio's GAN (issue 15): the only package of the project that imports TensorFlow.

    model.py       the class-conditional DCGAN for small data (spectral norm, projection
                   discriminator, hinge loss, DiffAugment) and its unconditional baseline
    training.py    train_gan(...): checkpoints every epoch (a stopped run resumes), progress,
                   a sample grid per epoch, the generator saved with its meta
    generation.py  load_generator(artifact_dir) -> LoadedGenerator (.generate(latents, categories))

It is imported only inside the design worker's job (design/jobs.py imports it in the job's
function) and by the benchmark: the web process and the main worker never load TensorFlow
(tests/design/test_gan_imports.py proves it).
"""

from __future__ import annotations

import os

# TensorFlow's C++ start-up chatter (oneDNN notices, CPU feature lists) is not the worker's log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
