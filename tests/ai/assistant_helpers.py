"""Helpers of the assistant intent tests: small training sets and hand-registered versions.

Tests train on a few examples per intent (seconds); only the tests about the built-in model use
it. The built-in model is cached on disk under a key of the shipped data, the encoder and the
recipe (ai/assistant/backends.py), so the tests keep it in one folder of the system's temporary
directory: a run after the first one loads it instead of training it again, and a change of the
data makes a new key.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

from ai.assistant.examples import Example, shipped_examples
from ai.assistant.training import fit_calibrated
from ai.models import Capability
from ai.registry import model_version_register

BUILTIN_DIR = Path(tempfile.gettempdir()) / "shop-test-assistant-models"


def subset(split: str, *, per_intent: int, languages=("en", "fr", "ja"), skip: int = 0):
    """The first `per_intent` examples of each intent in each language (after `skip`)."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    chosen = []
    for example in shipped_examples(split, languages=languages):
        key = (example.language, example.intent)
        seen[key] += 1
        if skip < seen[key] <= skip + per_intent:
            chosen.append(example)
    return chosen


def fit_small(examples: list[Example], *, folds: int = 2):
    return fit_calibrated(
        [example.text for example in examples],
        [example.intent for example in examples],
        folds=folds,
    )


def register_version(model, folder: Path, *, activate: bool = True, accuracy: float = 0.0):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"hand-{id(model)}.pkl"
    path.write_bytes(model.dumps())
    return model_version_register(
        capability=Capability.ASSISTANT,
        metrics={"accuracy": accuracy},
        artifact_path=str(path),
        activate=activate,
    )
