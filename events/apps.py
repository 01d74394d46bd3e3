from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Interaction events (views, bag adds, wishlist adds, purchases, ratings): what shoppers did
    with products, recorded from the domain apps' signals for the recommender. Above catalog,
    customers and orders (it imports them, never the other way round), beside reviews."""

    name = "events"
    verbose_name = _("Interaction events")
