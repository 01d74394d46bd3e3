"""Connects the sign-in receiver. Imported by customers.urls (apps.py belongs to another part
of the project); importing it from CustomersConfig.ready() as well is harmless (dispatch_uid)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import customer_apply_preferences


@receiver(user_logged_in, dispatch_uid="customers.apply_preferences")
def apply_preferences_on_login(sender, request, user, **kwargs) -> None:
    customer_apply_preferences(sender, request=request, user=user, **kwargs)
