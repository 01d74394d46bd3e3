"""shop.events.after_commit: work after a commit runs once it commits and never undoes it."""

import logging
import re
from pathlib import Path

import pytest
from django.db import transaction

from shop.events import after_commit

ROOT = Path(__file__).resolve().parents[2]


def fail(message: str) -> None:
    raise ConnectionError(message)


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_commit_is_logged_and_never_reaches_the_committed_code(caplog):
    done = []

    # When work queued on commit fails as the transaction commits
    with caplog.at_level(logging.ERROR, logger="shop.events"), transaction.atomic():
        after_commit(fail, "broker unreachable")
        after_commit(done.append, "the next callback")

    # Then the code that committed goes on, the failure is logged, the next callback runs
    assert "broker unreachable" in caplog.text
    assert "tests.shop.test_events.fail" in caplog.text
    assert done == ["the next callback"]


@pytest.mark.django_db(transaction=True)
def test_nothing_runs_when_the_transaction_rolls_back():
    done = []
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(done.append, "never")
        raise RuntimeError("rolled back")
    assert done == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_runs_at_once_and_still_never_raises(caplog):
    done = []
    after_commit(done.append, "now")
    with caplog.at_level(logging.ERROR, logger="shop.events"):
        after_commit(fail, "at once")
    assert done == ["now"]
    assert "at once" in caplog.text


def test_it_passes_keyword_arguments_and_runs_on_the_commit_of_the_transaction(
    db, django_capture_on_commit_callbacks
):
    done = {}
    with django_capture_on_commit_callbacks() as callbacks:
        after_commit(done.update, kind="confirmation")
        assert done == {}
    for callback in callbacks:
        callback()
    assert done == {"kind": "confirmation"}


def test_every_after_commit_callback_in_the_project_goes_through_the_helper():
    """Closes the class for good: a bare transaction.on_commit elsewhere would let a failure
    (a broker outage) surface in the code that committed."""
    apps = [
        folder
        for folder in ROOT.iterdir()
        if (folder / "__init__.py").exists() and folder.name not in {"tests", "bench"}
    ]
    assert {"shop", "orders", "ai", "catalog", "customers"} <= {app.name for app in apps}
    offenders = []
    for app in apps:
        for path in sorted(app.rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative == Path("shop/events.py"):
                continue
            if re.search(r"\bon_commit\s*\(", path.read_text(encoding="utf-8")):
                offenders.append(str(relative))
    assert offenders == [], f"use shop.events.after_commit instead of on_commit in {offenders}"


@pytest.mark.django_db(transaction=True)
def test_a_domain_signal_sent_on_commit_reaches_every_receiver_once_committed(caplog):
    from django.dispatch import Signal

    from shop.events import send_on_commit

    something_happened = Signal()
    heard = []

    def broken(sender, **kwargs):
        raise ConnectionError("receiver down")

    def listener(sender, **kwargs):
        heard.append(kwargs)

    something_happened.connect(broken)
    something_happened.connect(listener)

    # When it is announced inside a transaction, nobody hears it before the commit
    with caplog.at_level(logging.ERROR, logger="shop.events"), transaction.atomic():
        send_on_commit(something_happened, sender=None, thing_id=7)
        assert heard == []

    # Then a failing receiver is logged and the next one still hears it
    assert heard == [{"signal": something_happened, "thing_id": 7}]
    assert "receiver down" in caplog.text

    # And a rolled-back announcement is never heard
    with pytest.raises(RuntimeError), transaction.atomic():
        send_on_commit(something_happened, sender=None, thing_id=8)
        raise RuntimeError("rolled back")
    assert [kwargs["thing_id"] for kwargs in heard] == [7]
