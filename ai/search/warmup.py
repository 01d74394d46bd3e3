"""Loading what search needs when a web worker starts, so no shopper waits for it.

Without it the first search in each web process loads the multilingual encoder, builds the
catalog snapshot (BM25 index, filter masks), loads the in-process vector index, the Chinese
and Japanese segmenters and the catalog words' vectors, and builds the query tables of the
shopper's language: seconds on an idle machine, 24 s measured under load.
gunicorn.conf.py calls start_warm_up() in each worker after it has loaded the application
(`post_worker_init`); management commands, Celery workers and the tests never do.

Nothing here raises: a step that fails is logged and the search loads it lazily on first
use, as it would without a warm-up (a broken encoder leaves the search on BM25 alone).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

# A word every language's search understands (a category): the searches below only warm the
# code paths and the per-language query tables, their results are thrown away.
WARM_UP_QUERY = "ring"


def _timed(timings: dict[str, float], step: str, work) -> bool:
    began = time.perf_counter()
    try:
        work()
    except Exception:  # noqa: BLE001 - warm-up is best effort; the first search retries lazily
        logger.exception("Search warm-up: %s failed; the first search will load it", step)
        return False
    timings[step] = round(time.perf_counter() - began, 3)
    return True


def warm_up_search() -> dict[str, float]:
    """Loads the encoder, the catalog snapshot, the vector index and the query tables.

    Returns the seconds each step took (a step that failed is missing). Never raises.
    """
    from ai.embeddings import get_embedder
    from ai.index import get_index

    from . import crosslingual, snapshot
    from .ranking import search

    began = time.perf_counter()
    timings: dict[str, float] = {}
    loaded: dict = {}

    def encoder() -> None:
        embedder = get_embedder()
        embedder.embed([WARM_UP_QUERY])  # the first inference is slower than the next ones
        loaded["embedder"] = embedder

    def catalog() -> None:
        # The name the search itself uses: with a broken encoder, the setting's (as ranking
        # does), so the snapshot built here is the one the first search asks for.
        embedder = loaded.get("embedder")
        backend = embedder.name if embedder else str(settings.AI_EMBEDDING_BACKEND)
        snapshot.current(backend=backend)

    def vectors() -> None:
        embedder = loaded["embedder"]
        index = get_index(backend=embedder.name, dimension=embedder.dimension)
        len(index)  # the in-process index loads its matrix here; pgvector counts its rows

    def words() -> None:
        # The CJK segmenters' dictionaries and the catalog words' vectors that a query word
        # no table knows is compared with (ai.search.crosslingual).
        crosslingual.load_segmenters()
        embedder = loaded["embedder"]
        crosslingual.catalog_vectors(snapshot.current(backend=embedder.name), embedder)

    def searches() -> None:
        # One search per language: its query tables (snapshot.memo) and every lazy import.
        for language, _name in settings.LANGUAGES:
            search(WARM_UP_QUERY, language=language, limit=1)

    encoder_ok = _timed(timings, "encoder", encoder)
    catalog_ok = _timed(timings, "snapshot", catalog)
    if encoder_ok:
        _timed(timings, "vector_index", vectors)
    if catalog_ok and encoder_ok:
        _timed(timings, "words", words)
    if catalog_ok:
        _timed(timings, "searches", searches)
    steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in timings.items())
    timings["total"] = round(time.perf_counter() - began, 3)
    logger.info("Search warm-up done in %.1f s (%s)", timings["total"], steps)
    return timings


def start_warm_up() -> threading.Thread | None:
    """Warms search up when AI_SEARCH_WARM_UP is on: in a thread (the worker serves at once).

    A search that arrives during the warm-up does not load anything a second time: the
    encoder (ai.embeddings), the snapshot (ai.search.snapshot) and the in-process vector
    index (ai.index.memory) each load under a lock and check again inside it, so that search
    waits for the load in progress and then uses it. Only the per-language query tables
    (milliseconds) may be built twice. Returns the thread, or None when the setting is off.
    """
    if not getattr(settings, "AI_SEARCH_WARM_UP", False):
        return None

    def work() -> None:
        try:
            warm_up_search()
        finally:
            connections.close_all()  # this thread's own database connections

    thread = threading.Thread(target=work, name="search-warm-up", daemon=True)
    thread.start()
    return thread
