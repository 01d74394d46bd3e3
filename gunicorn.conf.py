"""gunicorn settings of the store (`make run` passes `-c gunicorn.conf.py`; gunicorn also reads
this file by itself when started from the project folder).

Only hooks live here: bind address, workers and timeouts stay on the command line.
"""


def post_worker_init(worker) -> None:
    """Each web worker loads search's encoder and catalog snapshot, and the shop assistant's
    intent model, as soon as it starts.

    The application (Django) is loaded by then; the warm-up runs in a thread, so the worker
    accepts requests at once. A search arriving meanwhile waits for the same load instead of
    starting its own (ai/search/warmup.py). Off with AI_SEARCH_WARM_UP=false and
    AI_ASSISTANT_WARM_UP=false.
    """
    from ai.assistant.backends import start_warm_up as start_assistant_warm_up
    from ai.search.warmup import start_warm_up

    start_warm_up()
    start_assistant_warm_up()
