from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "shop"
    # Shown in the admin since the kernel has a model (Job, issue 13 step 7): translated.
    verbose_name = _("Shop")

    def ready(self) -> None:
        from rosetta.signals import entry_changed

        from . import (
            admin_checks,  # noqa: F401 - registers the admin-actions check
            checks,  # noqa: F401 - registers the store's system checks
            i18n_tags,
        )
        from .money import exchange_rate_changed, exchange_rate_model
        from .permissions import ensure_translators_group
        from .rosetta import flag_translation_with_foreign_markup

        # After every migrate (also of the test database): the Translators group and its rights.
        post_migrate.connect(ensure_translators_group, dispatch_uid="shop.translators_group")

        # A merchant's change of an exchange rate shows on every page at once (shop/money.py);
        # orders/receivers.py did this while orders owned the model.
        rate_model = exchange_rate_model()
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                exchange_rate_changed, sender=rate_model, dispatch_uid=f"shop.rate.{name}"
            )

        # Translated UI strings are text a translator typed: escaped in pages like any other,
        # and one that adds markup is saved by Rosetta as fuzzy (never compiled).
        i18n_tags.install()
        entry_changed.connect(
            flag_translation_with_foreign_markup, dispatch_uid="shop.translation_markup"
        )
