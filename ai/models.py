"""Data of the AI platform: model versions, product embeddings for semantic search,
recommendation lists and outside ratings.

Flows live in services.py (the public face) and registry.py (model versions); the embedding
backends in ai/embeddings/, the vector indexes in ai/index/. Jobs (long work with progress) are
the kernel's since issue 13 step 7: shop.models.Job, shop.jobs (re-exported below and in
ai/jobs.py for older imports).
"""

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The job framework moved to the kernel (issue 13, step 7): Job lives in shop.models, on the same
# table (ai_job). Re-exported for code written against `ai.models` (branches in flight, scripts);
# new code imports shop.models.
from shop.models import (  # noqa: F401
    ACTIVE_JOB_STATUSES,
    FINISHED_JOB_STATUSES,
    Job,
    JobStatus,
)

from .assistant.intents import INTENT_CHOICES
from .assistant.intents import LANGUAGES as ASSISTANT_LANGUAGES


class Capability(models.TextChoices):
    SEARCH = "search", _("Search")
    RECOMMEND = "recommend", _("Recommendations")
    SENTIMENT = "sentiment", _("Review sentiment")
    CHAT = "chat", _("Chat assistant")
    DESIGN = "design", _("Design drafts")
    ASSISTANT = "assistant", _("Shop assistant (intents)")


class ModelVersion(models.Model):
    """One trained or built model of a capability; exactly one per capability is active."""

    capability = models.CharField(_("capability"), max_length=20, choices=Capability.choices)
    version = models.PositiveIntegerField(_("version"))
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    artifact_path = models.CharField(_("artifact path"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ("capability", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=["capability", "version"], name="ai_modelversion_unique_version"
            ),
            models.UniqueConstraint(
                fields=["capability"],
                condition=Q(is_active=True),
                name="ai_modelversion_one_active_per_capability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_capability_display()} v{self.version}"


class ProductEmbedding(models.Model):
    """A product's text in one language, embedded by one embedding backend.

    `vector` holds the L2-normalised float32 vector as raw bytes on every database. On
    PostgreSQL with pgvector, the table also has an `embedding vector` column (added by a
    conditional migration, outside this model because SQLite cannot have it) that the
    pgvector index keeps in step; see ai/index/pgvector.py.
    """

    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=10)
    backend = models.CharField(_("embedding backend"), max_length=200)
    dimension = models.PositiveSmallIntegerField(_("dimension"))
    vector = models.BinaryField(_("vector"))
    text_hash = models.CharField(_("text hash"), max_length=64)
    # Set explicitly by the indexer: bulk_update() does not apply auto_now.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("product embedding")
        verbose_name_plural = _("product embeddings")
        # backend first: the index loads every row of one backend.
        constraints = [
            models.UniqueConstraint(
                fields=["backend", "product", "language"], name="ai_productembedding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id} [{self.language}] {self.backend}"

    def as_array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=np.float32)


class SearchIndexVersion(models.Model):
    """A counter bumped whenever the embeddings of a backend change.

    Every web process caches its in-process index with the counter it was built from and
    reloads when the counter moved, so a re-index by a worker reaches all web processes.
    """

    backend = models.CharField(max_length=200, unique=True)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index version")
        verbose_name_plural = _("search index versions")

    def __str__(self) -> str:
        return f"{self.backend} @{self.version}"


# --- recommendations (issue 5) -----------------------------------------------------------------
class RecommendationKind(models.TextChoices):
    USER = "user", _("For a shopper")
    SIMILAR = "similar", _("Similar products")
    TOGETHER = "together", _("Often bought together")
    POPULAR = "popular", _("Popular in a segment")


class RecommendationList(models.Model):
    """A precomputed top-N list: for a shopper, for a product, or popular in a segment.

    Written by the training job (ai/recommend/training.py); serving reads one row by its
    unique index. `items` holds [product id, score, id of the product that explains it or
    null], best first; exclusions that can change after training (stock, publication) are
    applied when the cards are loaded.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=RecommendationKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # "all", "country:FR" or "language:fr" for popular lists; empty otherwise.
    segment = models.CharField(_("segment"), max_length=20, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    model_version = models.ForeignKey(
        ModelVersion,
        verbose_name=_("model version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("recommendation list")
        verbose_name_plural = _("recommendation lists")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=Q(user__isnull=False),
                name="ai_reclist_unique_user",
            ),
            models.UniqueConstraint(
                fields=["kind", "product"],
                condition=Q(product__isnull=False),
                name="ai_reclist_unique_product",
            ),
            models.UniqueConstraint(
                fields=["kind", "segment"],
                condition=~Q(segment=""),
                name="ai_reclist_unique_segment",
            ),
        ]

    def __str__(self) -> str:
        subject = self.user_id or self.product_id or self.segment
        return f"{self.kind} {subject} ({len(self.items or [])})"


class ExternalRating(models.Model):
    """A rating loaded from an outside file (`import_ratings`), for offline evaluation only."""

    dataset = models.CharField(_("dataset"), max_length=100)
    user_ref = models.CharField(_("user"), max_length=64)
    item_ref = models.CharField(_("item"), max_length=64)
    rating = models.FloatField(_("rating"))
    timestamp = models.BigIntegerField(_("timestamp"), default=0)

    class Meta:
        verbose_name = _("external rating")
        verbose_name_plural = _("external ratings")
        indexes = [models.Index(fields=["dataset", "id"], name="ai_extrating_dataset")]

    def __str__(self) -> str:
        return f"{self.dataset}: {self.user_ref} → {self.item_ref} {self.rating}"


# --- shop assistant (issue 14) -----------------------------------------------------------------
class IntentExampleSource(models.TextChoices):
    MERCHANT = "merchant", _("Added by the merchant")
    CONVERSATION = "conversation", _("Relabelled from a conversation")


class IntentExample(models.Model):
    """A training example of the assistant's intent model added by the merchant.

    The next training (ai/assistant/training.py) fits on the shipped examples plus every active
    row; deactivating a row takes it out without losing it.
    """

    text = models.TextField(_("text"), max_length=1000)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[(code, name) for code, name in settings.LANGUAGES if code in ASSISTANT_LANGUAGES],
    )
    intent = models.CharField(_("intent"), max_length=40, choices=INTENT_CHOICES, db_index=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=IntentExampleSource.choices,
        default=IntentExampleSource.MERCHANT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active examples are used for training.")
    )

    class Meta:
        verbose_name = _("assistant training example")
        verbose_name_plural = _("assistant training examples")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["is_active", "language"], name="ai_intentex_active_lang")]

    def __str__(self) -> str:
        return f"[{self.language}] {self.intent}: {self.text[:60]}"
