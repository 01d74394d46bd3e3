from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ExchangeRate
from .selectors import clear_exchange_rate_cache


@receiver(post_save, sender=ExchangeRate)
@receiver(post_delete, sender=ExchangeRate)
def exchange_rate_changed(**kwargs) -> None:
    clear_exchange_rate_cache()
