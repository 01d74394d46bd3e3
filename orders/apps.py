from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders and currencies")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (clears the exchange-rate cache on change)
