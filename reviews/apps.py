from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Reviews, their photos and moderation: a sub-domain of the catalog with an app of its own
    (as django-oscar's catalogue.reviews), above catalog, customers and orders."""

    name = "reviews"
    verbose_name = _("Reviews")
