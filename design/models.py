"""Design sets: the pictures a generative model learns from (issue 15, "Pictures to learn from").

A picture's category is a label (a string), not a foreign key: a reference folder may name a
category the catalog does not have ("art-deco"), and the model is conditioned on the label. When
a folder name matches a catalog category's slug, the slug is the label (design.pictures).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DesignSet(models.Model):
    """A named collection of normalised pictures, from the catalog and from uploads."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("design set")
        verbose_name_plural = _("design sets")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class ImageSource(models.TextChoices):
    CATALOG = "catalog", _("Catalog")
    UPLOAD = "upload", _("Upload")


def design_image_path(instance: DesignImage, filename: str) -> str:
    """MEDIA_ROOT/design/<set>/<random>.png: nothing of the uploaded name reaches the disk."""
    return f"design/{instance.design_set_id}/{secrets.token_hex(8)}.png"


class DesignImage(models.Model):
    """One picture of a set, normalised (square RGB PNG of DESIGN_IMAGE_SIZE pixels)."""

    design_set = models.ForeignKey(
        DesignSet, verbose_name=_("design set"), on_delete=models.CASCADE, related_name="images"
    )
    category = models.CharField(_("category"), max_length=120, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=ImageSource.choices)
    product_image = models.ForeignKey(
        "catalog.ProductImage",
        verbose_name=_("product image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    image = models.ImageField(_("image"), upload_to=design_image_path, max_length=255)
    # 64-bit DCT perceptual hash as 16 hex digits (design.pictures.perceptual_hash).
    phash = models.CharField(_("perceptual hash"), max_length=16)
    width = models.PositiveIntegerField(_("original width"))
    height = models.PositiveIntegerField(_("original height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # design.similarity's feature vector of the picture (its version byte, then float32),
    # computed the first time a draft is compared with the set: the file never changes.
    features = models.BinaryField(_("features"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("design picture")
        verbose_name_plural = _("design pictures")
        ordering = ("category", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("design_set", "phash"), name="design_image_unique_phash_per_set"
            )
        ]

    def __str__(self) -> str:
        return self.original_filename or self.image.name


class DesignTraining(models.Model):
    """One training run of the design GAN on a set (issue 15, "Training").

    The run's folder (DESIGN_MODEL_DIR/run-<id>) holds its checkpoints, its sample grid per
    epoch and, once done, the generator: a retry of its job (a new Job with the same params,
    which name this run) goes on from the last checkpoint there. `job` is the latest attempt.
    """

    design_set = models.ForeignKey(
        DesignSet, verbose_name=_("design set"), on_delete=models.CASCADE, related_name="trainings"
    )
    job = models.ForeignKey(
        "shop.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    size = models.PositiveIntegerField(_("size (pixels)"))
    epochs = models.PositiveIntegerField(_("epochs"))
    batch_size = models.PositiveIntegerField(_("batch size"))
    seed = models.IntegerField(_("seed"), default=0)
    # Reached from design only by id through ai.services; the FK (by name) keeps it tidy.
    model_version = models.ForeignKey(
        "ai.ModelVersion",
        verbose_name=_("model version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("design model training")
        verbose_name_plural = _("design model trainings")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return _("Training %(id)s of %(set)s") % {"id": self.pk, "set": self.design_set}


def design_draft_path(instance: DesignDraft, filename: str) -> str:
    """MEDIA_ROOT/design/drafts/<random>.png."""
    return f"design/drafts/{secrets.token_hex(8)}.png"


class DraftStatus(models.TextChoices):
    NEW = "new", _("New")
    KEPT = "kept", _("Kept")
    DISCARDED = "discarded", _("Discarded")


class DraftOrigin(models.TextChoices):
    GENERATED = "generated", _("Generated")
    VARIATION = "variation", _("Variation")
    INTERPOLATION = "interpolation", _("Interpolation")


class DesignDraft(models.Model):
    """A picture drawn by a design model, kept with what regenerates it (model version,
    category, seed, latent vector) and what the designer decided about it.

    `nearest` lists the training pictures most like it, best first, as
    [{"image": DesignImage id, "similarity": cosine}]; `near_copy` says the first of them is
    at least DESIGN_NEAR_COPY_SIMILARITY alike (design.similarity)."""

    model_version = models.ForeignKey(
        "ai.ModelVersion",
        verbose_name=_("model version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    design_set = models.ForeignKey(
        DesignSet,
        verbose_name=_("design set"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )
    category = models.CharField(_("category"), max_length=120, db_index=True)
    origin = models.CharField(
        _("origin"), max_length=15, choices=DraftOrigin.choices, default=DraftOrigin.GENERATED
    )
    seed = models.BigIntegerField(_("seed"))
    # The draft's place in its run: generated draft i of a seed is the same whatever the count.
    position = models.PositiveIntegerField(_("position"), default=0)
    latent = models.JSONField(_("latent vector"), default=list, editable=False)
    diversity = models.FloatField(_("diversity"), default=1.0)
    image = models.ImageField(_("image"), upload_to=design_draft_path, max_length=255)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DraftStatus.choices,
        default=DraftStatus.NEW,
        db_index=True,
    )
    favourite = models.BooleanField(_("favourite"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("variation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="variations",
    )
    nearest = models.JSONField(_("nearest training pictures"), default=list, blank=True)
    nearest_similarity = models.FloatField(_("nearest similarity"), null=True, blank=True)
    near_copy = models.BooleanField(_("near copy"), default=False, db_index=True)
    job = models.ForeignKey(
        "shop.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("draft product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("design draft")
        verbose_name_plural = _("design drafts")
        ordering = ("category", "-created_at", "position", "id")
        permissions = [
            ("screen_designdraft", _("Can keep, discard, favourite and annotate design drafts")),
            ("generate_designdraft", _("Can generate design drafts, variations and blends")),
        ]

    def __str__(self) -> str:
        return _("%(category)s draft %(id)s") % {"category": self.category, "id": self.pk}
