"""Review photos move to a private storage (settings.REVIEW_PHOTOS_ROOT, outside MEDIA_ROOT).

The stored names (reviews/<name>.webp) do not change, only the folder they are under: the data
step moves each existing file from MEDIA_ROOT to REVIEW_PHOTOS_ROOT (and records the width and
height the old code left empty). Files already moved, or missing, are left alone, so the step
can run again. With MEDIA_ROOT on shared storage, run the
migration where both folders are mounted.
"""

import os
import shutil

from django.conf import settings
from django.db import migrations, models

# The storage module moved with the reviews app (issue 13); the storage is the same.
import reviews.storage


def _move(apps, *, source_root, target_root) -> None:
    ReviewPhoto = apps.get_model("catalog", "ReviewPhoto")
    source_root = os.path.abspath(str(source_root))
    target_root = os.path.abspath(str(target_root))
    if source_root == target_root:
        return
    for name in ReviewPhoto.objects.exclude(image="").values_list("image", flat=True).iterator():
        source = os.path.abspath(os.path.join(source_root, name))
        target = os.path.abspath(os.path.join(target_root, name))
        # Names come from the database; never follow one outside either root.
        if not source.startswith(source_root + os.sep) or not target.startswith(
            target_root + os.sep
        ):
            continue
        if os.path.isfile(source) and not os.path.exists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.move(source, target)


def _fill_dimensions(apps, *, root) -> None:
    """Photos saved before stored no width/height, so Django opened each file to measure it
    every time a photo was loaded; measure them once here."""
    from PIL import Image

    ReviewPhoto = apps.get_model("catalog", "ReviewPhoto")
    root = os.path.abspath(str(root))
    missing = ReviewPhoto.objects.filter(width__isnull=True).exclude(image="")
    for pk, name in missing.values_list("pk", "image").iterator():
        path = os.path.abspath(os.path.join(root, name))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            continue
        try:
            with Image.open(path) as image:
                width, height = image.size
        except (OSError, SyntaxError, ValueError):
            continue  # not an image: left as it is
        ReviewPhoto.objects.filter(pk=pk).update(width=width, height=height)


def move_to_private_root(apps, schema_editor):
    _move(apps, source_root=settings.MEDIA_ROOT, target_root=settings.REVIEW_PHOTOS_ROOT)
    _fill_dimensions(apps, root=settings.REVIEW_PHOTOS_ROOT)


def move_back_to_media_root(apps, schema_editor):
    _move(apps, source_root=settings.REVIEW_PHOTOS_ROOT, target_root=settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_reviews"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewphoto",
            name="image",
            field=models.ImageField(
                height_field="height",
                max_length=255,
                storage=reviews.storage.review_photo_storage,
                upload_to="reviews/",
                verbose_name="image",
                width_field="width",
            ),
        ),
        migrations.RunPython(move_to_private_root, move_back_to_media_root, elidable=True),
    ]
