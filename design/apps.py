from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    """The design studio (issue 15): pictures to learn from, for design drafts.

    Above ai beside the assistant; it may import catalog, shop and ai's facade, nothing imports
    it, and it never imports TensorFlow (the design worker alone does, inside the job).
    """

    name = "design"
    verbose_name = _("Design studio")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the job kinds (design.train, design.generate, ...) so the admin can start them
        # and the job sweep can send them; both modules import TensorFlow only inside the work.
        from . import drafting, jobs, receivers  # noqa: F401

        receivers.connect()
