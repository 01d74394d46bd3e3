"""Forms of the cart and checkout pages. The card number is validated here and handed to the
gateway; it is never stored, logged or rendered back into a page."""

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from .payments import card_digits
from .selectors import shipping_methods_for_country
from .services import MAX_LINE_QUANTITY, ShippingAddress
from .services.checkout import IDEMPOTENCY_KEY_RE

# Larger ids cannot exist; bounding them keeps a crafted number from reaching the database.
MAX_ID = 2**62


class CartAddForm(forms.Form):
    variant = forms.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = forms.IntegerField(
        min_value=1, max_value=MAX_LINE_QUANTITY, initial=1, required=False
    )
    next = forms.CharField(required=False, max_length=2000)

    def clean_quantity(self) -> int:
        return self.cleaned_data.get("quantity") or 1


class CartLineForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_LINE_QUANTITY)


ADDRESS_FIELDS = (
    "full_name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
)


def country_choices() -> list[tuple[str, str]]:
    """Every country, named (and sorted) in the active language, after an empty choice."""
    return [("", _("Choose a country")), *countries]


REQUIRED_ADDRESS_FIELDS = ("full_name", "line1", "city", "country")


class CheckoutDetailsForm(forms.Form):
    """Step 1: who is buying and where it goes (a saved address or a new one)."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, help_text=_("We send the order confirmation here.")
    )
    saved_address = forms.ModelChoiceField(
        label=_("Ship to"),
        queryset=None,
        required=False,
        empty_label=_("A new address"),
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    company = forms.CharField(label=_("Company (optional)"), max_length=150, required=False)
    line1 = forms.CharField(label=_("Address line 1"), max_length=200, required=False)
    line2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(label=_("State / province / region"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = LazyTypedChoiceField(
        label=_("Country"),
        # A callable: the names are listed in the language of each request, not in the one
        # active when this module was imported (English).
        choices=country_choices,
        required=False,
    )
    phone = forms.CharField(label=_("Phone (for the courier)"), max_length=40, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            self.fields["saved_address"].queryset = self.user.addresses.all()
            if not self.user.addresses.exists():
                del self.fields["saved_address"]
        else:
            del self.fields["saved_address"]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        autocomplete = {
            "full_name": "name",
            "line1": "address-line1",
            "line2": "address-line2",
            "city": "address-level2",
            "region": "address-level1",
            "postal_code": "postal-code",
            "country": "country",
            "phone": "tel",
            "company": "organization",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def clean(self):
        data = super().clean()
        saved = data.get("saved_address")
        if saved is not None:
            self.address = ShippingAddress.from_address(saved)
        else:
            for name in REQUIRED_ADDRESS_FIELDS:
                if not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, _("This field is required."))
            if self.errors:
                return data
            self.address = ShippingAddress(
                **{name: (data.get(name) or "").strip() for name in ADDRESS_FIELDS}
            )
        if not shipping_methods_for_country(self.address.country):
            message = _("Sorry, we do not ship to %(country)s yet.") % {
                "country": dict(countries).get(self.address.country, self.address.country)
            }
            self.add_error("country" if saved is None else "saved_address", message)
        return data

    def session_data(self) -> dict:
        saved = self.cleaned_data.get("saved_address")
        return {
            "email": self.cleaned_data["email"],
            "address_id": saved.pk if saved is not None else None,
            "address": {name: getattr(self.address, name) for name in ADDRESS_FIELDS},
        }


class ShippingMethodForm(forms.Form):
    """Step 2: one of the methods that serve the destination country."""

    method = forms.ChoiceField(label=_("Shipping method"), widget=forms.RadioSelect)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [
            (option.method.code, option.method.code) for option in options
        ]


class CardNumberInput(forms.TextInput):
    """Never writes the card number back into the page (e.g. after a declined payment)."""

    def format_value(self, value):
        return None


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, character in enumerate(reversed(digits)):
        value = int(character)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


class PaymentForm(forms.Form):
    """Step 3: the card, and the key that makes a double submit place one order."""

    card_number = forms.CharField(
        label=_("Card number"),
        max_length=30,
        widget=CardNumberInput(
            attrs={
                "autocomplete": "cc-number",
                "inputmode": "numeric",
                "placeholder": "4242 4242 4242 4242",
            }
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # The total the page showed: the order is refused, not charged, if it is no longer right.
    expected_total = forms.DecimalField(
        widget=forms.HiddenInput,
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages={
            code: _("The checkout form has expired. Please reload the page.")
            for code in ("invalid", "max_digits", "max_decimal_places", "max_whole_digits")
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)

    def clean_card_number(self) -> str:
        raw = self.cleaned_data["card_number"]
        digits = card_digits(raw)
        if re.search(r"[^\d\s-]", raw) or not 12 <= len(digits) <= 19 or not luhn_valid(digits):
            raise forms.ValidationError(_("Enter a valid card number."))
        return digits

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"].strip()
        if not IDEMPOTENCY_KEY_RE.match(key):
            raise forms.ValidationError(_("The checkout form has expired. Please reload the page."))
        return key


# --- After-sales (the customer's order page) --------------------------------------------------


class OrderCancelForm(forms.Form):
    """Cancelling an order: the confirmation page posts this (the reason is optional)."""

    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"),
        max_length=180,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you returning it?"),
        help_text=_("For example: the size, the colour, it arrived damaged."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


ADDRESS_AUTOCOMPLETE = {
    "full_name": "name",
    "line1": "address-line1",
    "line2": "address-line2",
    "city": "address-level2",
    "region": "address-level1",
    "postal_code": "postal-code",
    "country": "country",
    "phone": "tel",
    "company": "organization",
}


class AddressChangeForm(forms.Form):
    """The new shipping address of an order that has not shipped, with the checkout's fields;
    the service (orders.services.order_change_shipping_address) checks it again and decides
    whether the country can change."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    company = forms.CharField(label=_("Company (optional)"), max_length=150, required=False)
    line1 = forms.CharField(label=_("Address line 1"), max_length=200)
    line2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    region = forms.CharField(label=_("State / province / region"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = LazyTypedChoiceField(label=_("Country"), choices=country_choices)
    phone = forms.CharField(label=_("Phone (for the courier)"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in ADDRESS_AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    @classmethod
    def initial_for(cls, order) -> dict:
        return {
            "full_name": order.shipping_name,
            "company": order.shipping_company,
            "line1": order.shipping_line1,
            "line2": order.shipping_line2,
            "city": order.shipping_city,
            "region": order.shipping_region,
            "postal_code": order.shipping_postal_code,
            "country": order.shipping_country.code if order.shipping_country else "",
            "phone": order.shipping_phone,
        }

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in ADDRESS_FIELDS}
