from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models
        from .cache import catalog_changed
        from .translation_coverage import register_coverage_columns

        register_coverage_columns()

        # Any write to what listings count invalidates their cached facet and result counts.
        watched = (
            models.Product,
            models.ProductVariant,
            models.ProductGemstone,
            models.Category,
            models.Collection,
            models.Material,
            models.GemstoneType,
            models.ProductImage,
            # django-parler's translation rows: a name saved without its product.
            models.Product._parler_meta.root_model,
            models.Category._parler_meta.root_model,
            models.Collection._parler_meta.root_model,
            models.Material._parler_meta.root_model,
            models.GemstoneType._parler_meta.root_model,
        )
        for model in watched:
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-v-{model}")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-d-{model}")
        for through in (models.Product.materials.through, models.Collection.products.through):
            uid = f"catalog-m-{through}"
            m2m_changed.connect(catalog_changed, sender=through, dispatch_uid=uid)
