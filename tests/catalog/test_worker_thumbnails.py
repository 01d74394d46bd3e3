"""A real Celery worker on the configured broker runs catalog jobs against the real database."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from catalog.models import ProductImage
from tests.factories import ProductFactory
from tests.worker import celery_worker, wait_until


def _png_bytes(size=(900, 700)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b76e79").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_generates_missing_thumbnails(tmp_path):
    from catalog.tasks import regenerate_thumbnails

    # Given a product photo saved without its thumbnail (as after a bulk file copy)
    product = ProductFactory(handle="rose-gold-ring")
    image = ProductImage(product=product, alt_text="Rose gold ring")
    image.image.save("ring.png", ContentFile(_png_bytes()), save=True)
    assert not image.thumbnail

    # When the job is queued for a real worker on the real broker
    log_path = tmp_path / "worker.log"
    with celery_worker(log_path) as queue:
        regenerate_thumbnails.apply_async(args=[[image.pk]], queue=queue)

        # Then the worker writes a small thumbnail that opens as an image
        def thumbnail_ready() -> bool:
            image.refresh_from_db()
            return bool(image.thumbnail)

        wait_until(thumbnail_ready, log_path=log_path)
    with Image.open(image.thumbnail.path) as thumbnail:
        assert max(thumbnail.size) <= 480
