"""Where review photos live: a private folder outside MEDIA_ROOT (settings.REVIEW_PHOTOS_ROOT).

A photo of a review that is not approved (pending, rejected) must not be reachable by URL, so
the files are never under the public media root; reviews.views.review_photo serves
them after checking who asks. The storage has no URL of its own: a photo's address is
ReviewPhoto.get_absolute_url().
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ReviewPhotoStorage(FileSystemStorage):
    """A FileSystemStorage rooted at settings.REVIEW_PHOTOS_ROOT, read on every use (not cached)
    so a changed setting (tests, a management command) is followed without a restart."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.REVIEW_PHOTOS_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        # A storage URL would be public; refuse loudly rather than leak a private file's path.
        raise ValueError("Review photos are private: use ReviewPhoto.get_absolute_url().")


_storage = ReviewPhotoStorage()


def review_photo_storage() -> ReviewPhotoStorage:
    """The field's storage, as a callable so migrations record the reference, not a path."""
    return _storage
