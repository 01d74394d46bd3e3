"""The embedding backends, with the real installed models (nothing is downloaded)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from ai.embeddings import EmbeddingBackendError, get_embedder

ROOT = Path(__file__).resolve().parents[2]


def _similarity(embedder, a: str, b: str) -> float:
    first, second = embedder.embed([a, b])
    return float(first @ second)


def test_multilingual_encoder_puts_a_french_query_next_to_english_text(use_embedder):
    # Given the default multilingual encoder
    # When it embeds a ring in English and French and an unrelated bracelet
    same_meaning = _similarity(use_embedder, "diamond ring", "bague en diamant")
    different = _similarity(use_embedder, "diamond ring", "leather bracelet")

    # Then the translation is closer than the other product
    assert same_meaning > different


@pytest.mark.parametrize(
    "query",
    ["ダイヤモンドの指輪", "钻石戒指", "Diamantring", "anillo de diamantes", "خاتم الماس"],
)
def test_multilingual_encoder_matches_every_store_language_to_english(use_embedder, query):
    assert _similarity(use_embedder, query, "diamond ring") > _similarity(
        use_embedder, query, "leather bracelet"
    )


def test_embeddings_are_unit_length_float32_rows(use_embedder):
    vectors = use_embedder.embed(["gold hoop earrings", "", "perles"], batch_size=2)

    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_model_loads_once_per_process(settings):
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"

    assert get_embedder() is get_embedder()


def test_transformers_backend_returns_normalised_384_d_vectors(settings):
    # Given the transformers backend with its default model (all-MiniLM-L6-v2, installed)
    settings.AI_EMBEDDING_MODEL = ""
    embedder = get_embedder("transformers")

    # When it embeds texts
    vectors = embedder.embed(["diamond ring", "diamond engagement ring", "leather bracelet"])

    # Then they are unit 384-d vectors that put related texts together
    assert embedder.name == "transformers:all-MiniLM-L6-v2"
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_a_missing_model_directory_gives_a_clear_error(settings):
    settings.AI_EMBEDDING_MODEL = "/srv/models/no-such-model"

    with pytest.raises(EmbeddingBackendError, match="No embedding model directory at /srv/"):
        get_embedder("transformers")


def test_a_directory_without_a_model_gives_a_clear_error(settings, tmp_path):
    settings.AI_EMBEDDING_MODEL = str(tmp_path)

    with pytest.raises(EmbeddingBackendError, match="not a Hugging Face model directory"):
        get_embedder("transformers")


def test_a_model_name_missing_from_the_local_cache_is_not_downloaded(settings):
    # Given a Hugging Face model id that is not in the local cache
    settings.AI_EMBEDDING_MODEL = "acme-jewels/no-such-embedding-model"

    # When the backend loads, then it explains instead of downloading
    with pytest.raises(EmbeddingBackendError, match="not in the local Hugging Face cache"):
        get_embedder("transformers")


def test_an_unknown_backend_names_the_choices(settings):
    settings.AI_EMBEDDING_BACKEND = "word2vec"

    with pytest.raises(
        EmbeddingBackendError, match="use-multilingual, transformers|transformers, use-multilingual"
    ):
        get_embedder()


@pytest.mark.slow
def test_embedding_in_a_web_process_never_imports_tensorflow():
    # Given a fresh process that loads Django, the AI admin and both embedding backends
    script = (
        "import sys, django; django.setup();"
        "import ai.admin, ai.tasks; from ai import services;"
        "services.embed_texts(['ring']); services.embed_texts(['ring'], backend='transformers');"
        "print('tensorflow' in sys.modules, 'torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "PATH": "/usr/bin:/bin",
            # Never the store's own var/celery (tests/settings.py).
            "SHOP_CELERY_DIR": str(settings.SHOP_CELERY_DIR),
        },
        timeout=300,
    )

    # Then torch was loaded for the transformers backend, TensorFlow never
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
