from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the store's system checks)
        from .permissions import ensure_translators_group

        # After every migrate (also of the test database): the Translators group and its rights.
        post_migrate.connect(ensure_translators_group, dispatch_uid="shop.translators_group")
