"""Interaction events: what shoppers did with products, the recommender's training data.

The model was customers' until issue 13 (step 4) gave events an app of its own; it keeps the
table customers made (`customers_interactionevent`), so no row moved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InteractionEvent(models.Model):
    """What a shopper did with a product; the recommender learns from these.

    Written with one INSERT per event (never a read first), so recording costs one query.
    Guests are identified by session key until they sign in.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("Product view")
        CART_ADD = "cart_add", _("Added to cart")
        WISHLIST_ADD = "wishlist_add", _("Added to wishlist")
        PURCHASE = "purchase", _("Purchase")
        RATING = "rating", _("Rating")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    # Quantity for cart adds and purchases, stars for ratings, 1 otherwise.
    value = models.FloatField(default=1.0)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table customers made: the model moved here in the migration state only (issue 13).
        db_table = "customers_interactionevent"
        verbose_name = _("interaction event")
        verbose_name_plural = _("interaction events")
        indexes = [
            models.Index(fields=["user", "created_at"], name="event_user_created"),
            models.Index(fields=["session_key", "created_at"], name="event_session_created"),
            models.Index(fields=["product", "kind"], name="event_product_kind"),
            models.Index(fields=["created_at"], name="event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.product_id} by {self.user_id or self.session_key}"
