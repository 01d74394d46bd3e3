"""The test suite never writes into the store's own broker folder (var/celery).

A message a test leaves in the default folder would be taken by the developer's `make run`
worker and run against the store's database, where its job or order id names another row.
"""

import tempfile
import uuid
from pathlib import Path

from django.conf import settings

from shop.celery import app

DEFAULT_FOLDER = (Path(settings.BASE_DIR) / "var" / "celery").resolve()


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def test_the_run_uses_a_temporary_broker_folder_of_its_own():
    folder = Path(settings.SHOP_CELERY_DIR).resolve()

    assert not folder.is_relative_to(DEFAULT_FOLDER)
    assert folder.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert folder.is_relative_to(Path(settings.TEST_RUN_DIR).resolve())
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = app.conf.broker_transport_options
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            assert Path(options[key]).resolve().is_relative_to(folder), key
    assert "var/celery" not in str(app.conf.result_backend or "")


def test_a_message_sent_by_a_test_never_lands_in_the_default_folder():
    before = files_under(DEFAULT_FOLDER)
    queue = f"isolation-{uuid.uuid4().hex[:10]}"

    app.send_task("tests.never_run", queue=queue)

    assert files_under(DEFAULT_FOLDER) == before
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        outbox = Path(app.conf.broker_transport_options["data_folder_out"])
        sent = list(outbox.glob(f"*.{queue}.msg"))
        assert len(sent) == 1
        sent[0].unlink()
