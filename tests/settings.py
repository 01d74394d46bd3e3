"""Settings of the test suite: the project's settings with a broker folder of its own.

A test run never writes into the store's `var/celery` folder (the default filesystem broker):
messages queued by tests would otherwise wait there for the developer's worker, which would run
them against its own database, where job and order ids mean other rows. Each run gets a fresh
temporary folder (removed at the end, tests/conftest.py), and a Celery worker started by the
tests (tests/worker.py) inherits it through the environment.
"""

import os
import tempfile

RUN_DIR_VARIABLE = "SHOP_TEST_RUN_DIR"

# The process that makes the folder owns it (and removes it); a worker it starts inherits it.
TEST_RUN_DIR_OWNED = not os.environ.get(RUN_DIR_VARIABLE)
if TEST_RUN_DIR_OWNED:
    os.environ[RUN_DIR_VARIABLE] = tempfile.mkdtemp(prefix="shop-test-run-")
os.environ["SHOP_CELERY_DIR"] = os.path.join(os.environ[RUN_DIR_VARIABLE], "celery")

from shop.settings import *  # noqa: E402, F403

TEST_RUN_DIR = os.environ[RUN_DIR_VARIABLE]

# Nothing in the tests starts gunicorn's hook; off so that one never warms search or the
# assistant up by accident (the tests that run the hook turn them on).
AI_SEARCH_WARM_UP = False
AI_ASSISTANT_WARM_UP = False
