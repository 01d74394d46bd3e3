"""The stock list's and the product page's variant form: stock and prices never written back
stale (shop.admin_forms explains how)."""

from django.utils.translation import gettext_lazy as _

from shop.admin_forms import ConcurrentEditForm

from .models import ProductVariant

GUARDED_FIELDS = ("price", "compare_at_price", "stock_quantity")


class StaleSafeVariantForm(ConcurrentEditForm):
    """Stock and prices are written only when the merchant changed them and nobody else (a
    sale) changed them since the page was shown."""

    guarded_fields = GUARDED_FIELDS
    meanwhile = _("a sale, or another person's edit")

    class Meta:
        model = ProductVariant
        # The admin names the fields (list_editable, the inline's fields).
        fields = GUARDED_FIELDS
