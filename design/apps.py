from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    """The design studio (issue 15): pictures to learn from, for design drafts.

    Above ai beside the assistant; it may import catalog, shop and ai's facade, nothing imports
    it, and it never imports TensorFlow (the training worker alone will).
    """

    name = "design"
    verbose_name = _("Design studio")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the draft job kinds (design.generate, ...) so the admin can start them and
        # the job sweep can send them; the module imports TensorFlow only inside the work.
        from . import drafting  # noqa: F401
