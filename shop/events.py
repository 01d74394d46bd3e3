"""Work that runs after the current transaction commits, and can never undo it.

Saleor's `call_event` in one helper: `after_commit(func, *args, **kwargs)` runs the call once
the transaction around it commits (at once when there is none), and a failure of the call is
logged, never raised. Why it matters: Django runs on-commit callbacks inside the
`transaction.atomic()` exit of the outermost block, so an exception raised by one (a broker
outage while queueing an e-mail, say) surfaces in the code that just committed, which may then
"clean up" work that is already durable: refund a paid order, show the shopper an error for an
order they did place.

Everything the project does after a commit goes through here (queueing order e-mails, AI jobs
such as review scoring and search re-indexing, interaction events, cache version bumps), and a
test keeps it that way (tests/shop/test_events.py). What must eventually happen is not lost
when the call fails: each caller keeps the fact in its committed state and a periodic sweep
finishes the work (an order's e-mail sent marker, a job still queued but never enqueued, a
product's search_index_dirty flag).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def _describe(func: Callable) -> str:
    func = getattr(func, "func", func)  # functools.partial
    module = getattr(func, "__module__", "") or ""
    name = getattr(func, "__qualname__", None) or repr(func)
    return f"{module}.{name}" if module else name


def run_logged(func: Callable, /, *args, **kwargs) -> bool:
    """Calls func(*args, **kwargs); an exception is logged with its traceback, not raised.

    Returns whether the call succeeded.
    """
    try:
        func(*args, **kwargs)
    except Exception:
        logger.exception("After-commit work %s failed; the committed work stands", _describe(func))
        return False
    return True


def after_commit(func: Callable, /, *args, using: str | None = None, **kwargs) -> None:
    """Runs func(*args, **kwargs) after the current transaction on `using` commits.

    Outside a transaction (autocommit) it runs at once. Never raises because of func: the
    committed work is done whatever happens to the work queued after it. Nothing runs when the
    transaction rolls back.
    """
    transaction.on_commit(lambda: run_logged(func, *args, **kwargs), using=using)
