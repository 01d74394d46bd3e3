"""Work that runs after the current transaction commits, and can never undo it.

Saleor's `call_event` in one helper: `after_commit(func, *args, **kwargs)` runs the call once
the transaction around it commits (at once when there is none), and a failure of the call is
logged, never raised. Why it matters: Django runs on-commit callbacks inside the
`transaction.atomic()` exit of the outermost block, so an exception raised by one (a broker
outage while queueing an e-mail, say) surfaces in the code that just committed, which may then
"clean up" work that is already durable: refund a paid order, show the shopper an error for an
order they did place.

Everything the project does after a commit goes through here (queueing order e-mails, AI jobs
such as review scoring and search re-indexing, interaction events, cache version bumps,
domain signals sent on commit with `send_on_commit`), and a
test keeps it that way (tests/shop/test_events.py). What must eventually happen is not lost
when the call fails: each caller keeps the fact in its committed state and a periodic sweep
finishes the work (an order's e-mail sent marker, a job still queued but never enqueued, a
product's search_index_dirty flag).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.dispatch import Signal

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


# Domain signals (each app's signals.py) are sent one of two ways, by what their receivers do:
# - on commit (send_on_commit), when receivers only record what happened (interaction events
#   for the recommender): they never see work that was rolled back;
# - at once, inside the caller's transaction, when a receiver starts a job (a review to score,
#   products to re-embed): the job's row commits or rolls back with the work it is about, so
#   the job sweep can still send it if the broker was down, and only its message to the broker
#   waits for the commit (shop.jobs.job_start uses after_commit).
def send_logged(signal: Signal, /, *, sender, **kwargs) -> list:
    """Sends a domain signal to every receiver; a receiver's exception is logged, not raised,
    and never keeps the signal from the receivers after it. Returns send_robust's responses."""
    responses = signal.send_robust(sender=sender, **kwargs)
    for receiver, response in responses:
        if isinstance(response, Exception):
            logger.error(
                "Receiver %s failed; the committed work stands",
                _describe(receiver),
                exc_info=(type(response), response, response.__traceback__),
            )
    return responses


def send_on_commit(signal: Signal, /, *, sender, using: str | None = None, **kwargs) -> None:
    """Announces a domain event once the current transaction commits (at once without one).

    The domain app says what happened; the apps above it listen (ai/receivers.py) and never
    hear of work that was rolled back. Receivers get keyword arguments only: ids and codes
    rather than rows (the shopper's user aside), so that they read what was committed.
    """
    after_commit(send_logged, signal, sender=sender, using=using, **kwargs)


def after_commit(func: Callable, /, *args, using: str | None = None, **kwargs) -> None:
    """Runs func(*args, **kwargs) after the current transaction on `using` commits.

    Outside a transaction (autocommit) it runs at once. Never raises because of func: the
    committed work is done whatever happens to the work queued after it. Nothing runs when the
    transaction rolls back.
    """
    transaction.on_commit(lambda: run_logged(func, *args, **kwargs), using=using)
