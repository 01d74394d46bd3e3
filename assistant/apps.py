from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "assistant"
    verbose_name = _("Shop assistant")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-in moves the session's conversations to the account (assistant/receivers.py).
        from django.contrib.auth.signals import user_logged_in

        from .receivers import merge_conversations_at_sign_in

        user_logged_in.connect(
            merge_conversations_at_sign_in, dispatch_uid="assistant-merge-at-sign-in"
        )
