"""Search warm-up when a gunicorn worker starts (gunicorn.conf.py, ai/search/warmup.py): the
real encoder, snapshot and in-process index are loaded before any search, and a failure is
logged, never raised."""

from __future__ import annotations

import logging
import runpy
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from ai import embeddings, services
from ai.embeddings import Embedder, get_embedder
from ai.index import get_index
from ai.index.indexer import reindex_products
from ai.search import snapshot
from ai.search.warmup import warm_up_search

from .helpers import jewelry_catalog

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def _no_snapshot():
    snapshot.clear_cache()
    yield
    snapshot.clear_cache()


def worker_hook():
    """The hook exactly as gunicorn loads it from the configuration file."""
    return runpy.run_path(str(GUNICORN_CONF))["post_worker_init"]


def warm_up_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "search-warm-up"]


# The thread uses a connection of its own: it must see committed rows.
@pytest.mark.django_db(transaction=True)
def test_the_worker_hook_loads_encoder_snapshot_and_index_before_the_first_search(
    settings, use_embedder
):
    settings.AI_SEARCH_WARM_UP = True
    shop = jewelry_catalog()
    reindex_products(embedder=use_embedder)
    embeddings.clear_cache()  # as in a fresh worker: nothing loaded yet
    assert snapshot._snapshot is None

    worker_hook()(worker=None)
    threads = warm_up_threads()
    assert len(threads) == 1
    threads[0].join(timeout=120)
    assert not threads[0].is_alive()

    encoder = embeddings._cache.get(("use-multilingual", ""))
    assert isinstance(encoder, Embedder)
    assert encoder is not use_embedder  # loaded by the warm-up, not the session's copy
    built = snapshot._snapshot
    assert built is not None
    assert sorted(built.product_ids.tolist()) == sorted(item.pk for item in shop.values())
    assert built.signature[0] == encoder.name
    for language, _name in django_settings.LANGUAGES:
        assert ("query-tables", language) in built.memo
    index = get_index(backend=encoder.name, dimension=encoder.dimension)
    assert index._snapshot is not None
    assert set(index._snapshot.product_ids.tolist()) == {item.pk for item in shop.values()}

    # The first shopper's search uses what was loaded: same encoder, same snapshot.
    result = services.search_products("diamond ring", language="en")
    assert result.product_ids[0] == shop["ring"].pk
    assert get_embedder() is encoder
    assert snapshot._snapshot is built


def test_with_the_setting_off_the_hook_loads_nothing(db, settings):
    settings.AI_SEARCH_WARM_UP = False
    jewelry_catalog()

    worker_hook()(worker=None)

    assert warm_up_threads() == []
    assert snapshot._snapshot is None


def test_a_broken_encoder_is_logged_not_raised_and_the_snapshot_still_builds(db, settings, caplog):
    settings.AI_EMBEDDING_BACKEND = "no-such-encoder"
    shop = jewelry_catalog()

    with caplog.at_level(logging.INFO, logger="ai.search.warmup"):
        timings = warm_up_search()

    assert "encoder" not in timings and "vector_index" not in timings
    assert {"snapshot", "searches"} <= set(timings)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "encoder failed" in errors[0].getMessage()
    assert "Unknown embedding backend" in str(errors[0].exc_info[1])
    # The snapshot is the one the search (BM25 alone) asks for: it is not built again.
    built = snapshot._snapshot
    assert built is not None and built.signature[0] == "no-such-encoder"
    result = services.search_products("solitaire", language="en")
    assert result.product_ids == [shop["ring"].pk]
    assert snapshot._snapshot is built


def test_a_failing_snapshot_load_is_logged_and_the_first_search_builds_it(
    db, caplog, monkeypatch, use_embedder
):
    shop = jewelry_catalog()

    def broken(signature):
        raise RuntimeError("database went away")

    monkeypatch.setattr(snapshot, "load", broken)
    with caplog.at_level(logging.INFO, logger="ai.search.warmup"):
        timings = warm_up_search()

    assert "snapshot" not in timings and "searches" not in timings
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "snapshot failed" in errors[0].getMessage()
    assert snapshot._snapshot is None

    monkeypatch.undo()
    result = services.search_products("solitaire", language="en")
    assert result.product_ids == [shop["ring"].pk]
    assert snapshot._snapshot is not None
