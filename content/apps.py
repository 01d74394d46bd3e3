from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Store pages and FAQ")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shop.translation_coverage import coverage_column_register, parler_coverage

        from . import models
        from .selectors import content_changed
        from .signals import announce_help_content_changed, watched_models

        # The translation coverage report's columns (shop.translation_coverage).
        coverage_column_register(
            key="pages",
            label=_("Store pages"),
            count=parler_coverage(models.StorePage, "title"),
            order=70,
        )
        coverage_column_register(
            key="faq", label=_("FAQ"), count=parler_coverage(models.FaqEntry, "question"), order=80
        )
        # The footer's page list is cached per language; any write to a page or to one of its
        # translations (a translator's save touches only the translation row) invalidates it.
        for model in (models.StorePage, models.StorePage._parler_meta.root_model):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"content-s-{model}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-d-{model}")
        # Every write to the help texts is announced (content/signals.py) for the apps above.
        for model in watched_models():
            uid = f"content-announce-{model}"
            post_save.connect(announce_help_content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(announce_help_content_changed, sender=model, dispatch_uid=uid)
