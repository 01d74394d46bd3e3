from django.apps import AppConfig
from django.db.models import F
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _product_deleted(sender, instance, using, **kwargs) -> None:
    """Its embeddings went with it (cascade): let every process's in-memory index reload."""

    def bump() -> None:
        from .models import SearchIndexVersion

        SearchIndexVersion.objects.using(using).update(version=F("version") + 1)

    from shop.events import after_commit

    after_commit(bump, using=using)


class AiConfig(AppConfig):
    name = "ai"
    verbose_name = _("AI")

    def ready(self) -> None:
        # Registers the job kinds (admin buttons, job_start) in every process, not only in
        # the Celery worker that autodiscovers tasks.
        from . import receivers, tasks  # noqa: F401

        # ai listens to what the domain apps announce (they never import ai).
        receivers.connect()

        post_delete.connect(
            _product_deleted, sender="catalog.Product", dispatch_uid="ai_product_deleted"
        )
