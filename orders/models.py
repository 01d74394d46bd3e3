from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """How many units of `currency` one unit of the shop's base currency buys.

    Edited by the merchant in the admin; prices are stored in the base currency and only
    converted for display (and, with the orders issue, at checkout with the rate recorded).
    """

    currency = models.CharField(
        _("currency"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))],
    )
    rate = models.DecimalField(
        _("units per base currency unit"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("currency",)

    def __str__(self) -> str:
        return f"{self.currency} {self.rate}"
