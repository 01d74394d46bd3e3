"""Input and output serializers of the account, address book and wishlist API.

Inputs mirror the model limits so anything the database would refuse is a 400 first.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.templatetags.storefront import card_image, image_src
from shop.money import format_price

LANGUAGE_CHOICES = [(code, str(name)) for code, name in settings.LANGUAGES]
CURRENCY_CHOICES = [(code, code) for code in settings.SHOP_CURRENCIES]
CURRENCY_LIST = ", ".join(settings.SHOP_CURRENCIES)


def _no_surrogates(value: str) -> None:
    # JSON may carry lone UTF-16 surrogates ("\ud800"); no database can store them.
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise serializers.ValidationError(_("This text contains characters that are not allowed."))


class Text(serializers.CharField):
    """A CharField that also refuses text no database can store (NUL is refused by DRF)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_no_surrogates)


@extend_schema_field(
    {
        "type": "string",
        # Empty is allowed too: drf-spectacular adds it as a separate blank choice.
        "pattern": f"^({'|'.join(settings.SHOP_CURRENCIES)})$",
    }
)
class CurrencyField(serializers.ChoiceField):
    """The store's currencies. Documented as a pattern, not an enum: the orders API already
    names this set of values "CurrencyEnum", and one set may only have one name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"One of {CURRENCY_LIST}, or empty.")
        super().__init__(choices=CURRENCY_CHOICES, allow_blank=True, **kwargs)


# --- Account ----------------------------------------------------------------------------------
class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = Text(max_length=128, write_only=True, trim_whitespace=False)
    first_name = Text(max_length=150, required=False, allow_blank=True, default="")
    last_name = Text(max_length=150, required=False, allow_blank=True, default="")
    preferred_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_blank=True,
        help_text="Defaults to the language of the request (Accept-Language).",
    )
    preferred_currency = CurrencyField(
        required=False,
        help_text=f"One of {CURRENCY_LIST}; defaults to the usual currency for the language.",
    )


class ProfileInput(serializers.Serializer):
    """PATCH: send only what changes. The e-mail address cannot be changed here."""

    first_name = Text(max_length=150, required=False, allow_blank=True)
    last_name = Text(max_length=150, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, allow_blank=True
    )
    preferred_currency = CurrencyField(required=False)


class ProfileOutput(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    preferred_language = serializers.CharField(help_text="A language code, or empty.")
    preferred_currency = serializers.CharField(help_text="A currency code, or empty.")
    date_joined = serializers.DateTimeField()


class TokenInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = Text(max_length=128, write_only=True, trim_whitespace=False)
    name = Text(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="What the token is for (an app, a device), to tell your tokens apart.",
    )


class ApiTokenInput(serializers.Serializer):
    name = Text(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="What the token is for (an app, a device), to tell your tokens apart.",
    )


class ApiTokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The token's first characters.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True, help_text="To the minute.")
    expires_at = serializers.DateTimeField(allow_null=True, help_text="null: never expires.")
    current = serializers.SerializerMethodField(
        help_text="True for the token this request was authenticated with."
    )

    def get_current(self, token) -> bool:
        return token.pk == self.context.get("current_token_id")


class NewApiTokenOutput(ApiTokenOutput):
    token = serializers.CharField(
        help_text='The key, shown only now: send it as "Authorization: Token <token>".'
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as the header "Authorization: Token <token>".')


class RegisterOutput(serializers.Serializer):
    user = ProfileOutput()
    token = serializers.CharField(help_text='Send it as the header "Authorization: Token <token>".')


# --- Address book -----------------------------------------------------------------------------
class AddressBookInput(serializers.Serializer):
    full_name = Text(max_length=150)
    company = Text(max_length=150, required=False, allow_blank=True)
    line1 = Text(max_length=200)
    line2 = Text(max_length=200, required=False, allow_blank=True)
    city = Text(max_length=100)
    region = Text(max_length=100, required=False, allow_blank=True)
    postal_code = Text(max_length=20, required=False, allow_blank=True)
    country = CountryField(help_text="ISO 3166-1 alpha-2 code, e.g. FR.")
    phone = Text(max_length=40, required=False, allow_blank=True)
    is_default = serializers.BooleanField(
        required=False,
        help_text="Make this the default shipping address (the first address always is).",
    )


class AddressBookOutput(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    company = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = CountryField()
    country_name = serializers.SerializerMethodField()
    phone = serializers.CharField()
    is_default = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_country_name(self, address) -> str:
        return str(countries.name(address.country.code))


# --- Wishlist ---------------------------------------------------------------------------------
class WishlistInput(serializers.Serializer):
    product = serializers.SlugField(max_length=255, help_text="The product's handle.")


class WishlistProductOutput(serializers.Serializer):
    handle = serializers.CharField()
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    price = serializers.SerializerMethodField()
    in_stock = serializers.BooleanField()

    def get_name(self, product) -> str:
        return product.safe_translation_getter("name", any_language=True) or product.handle

    def get_url(self, product) -> str:
        request = self.context.get("request")
        path = product.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    def get_image(self, product) -> str:
        request = self.context.get("request")
        src = image_src(card_image(product))
        return request.build_absolute_uri(src) if request is not None else src

    @extend_schema_field(serializers.CharField(help_text="The lowest price, formatted."))
    def get_price(self, product) -> str:
        return format_price(
            product.price_min,
            currency=self.context.get("currency", settings.SHOP_BASE_CURRENCY),
            language=self.context.get("language", settings.LANGUAGE_CODE),
        )


class WishlistItemOutput(serializers.Serializer):
    product = WishlistProductOutput()
    added_at = serializers.DateTimeField(source="created_at")
