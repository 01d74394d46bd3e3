from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo store (`manage.py seed_demo`): the top layer, above ai. It fills an empty store
    through the other apps (their models and services); no app imports it."""

    name = "demo"
    verbose_name = _("Demo store")
