"""Celery tasks of the catalog: load ids, call a service. Safe to run twice."""

import logging

from celery import shared_task

from .images import product_image_regenerate_thumbnail
from .models import ProductImage

logger = logging.getLogger(__name__)


@shared_task(name="catalog.regenerate_thumbnails")
def regenerate_thumbnails(image_ids: list[int]) -> int:
    """Rebuilds the thumbnails of these images; returns how many were rebuilt.

    Ids of images deleted meanwhile are skipped, and an image whose original file is missing
    or unreadable is logged and skipped, so one bad file does not stop the batch.
    """
    done = 0
    for image in ProductImage.objects.filter(pk__in=list(image_ids)).order_by("pk"):
        try:
            product_image_regenerate_thumbnail(image=image)
        except (OSError, ValueError):
            logger.warning("Could not rebuild the thumbnail of image %s", image.pk, exc_info=True)
            continue
        done += 1
    return done
