from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders and currencies")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (exchange-rate cache, guest bag on sign-in)
