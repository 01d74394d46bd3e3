"""Fixtures of the REST API tests: an API client, a small catalog, throttling switched off."""

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from catalog.models import ProductGemstone, ProductImage, PublicationStatus
from tests.factories import (
    CategoryFactory,
    CollectionFactory,
    ExchangeRateFactory,
    GemstoneTypeFactory,
    MaterialFactory,
    ProductFactory,
    api_token_for,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Customers are created in most API tests; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def no_throttling(monkeypatch):
    """Every throttle scope unlimited (DRF reads the rates once, at import, so patch them)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: None))


def png_file(name: str = "photo.png", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (212, 175, 55)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def set_translation(obj, language: str, **fields) -> None:
    obj.set_current_language(language)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    obj.set_current_language("en")


@pytest.fixture
def catalog(db):
    """Jewelry > Rings > Engagement rings, and Necklaces; three published products, a draft,
    an archived one; yellow gold and platinum; diamonds; a Bridal collection; EUR at 0.92."""
    jewelry = CategoryFactory(slug="jewelry", name="Jewelry", position=0)
    rings = CategoryFactory(slug="rings", name="Rings", parent=jewelry, position=0)
    engagement = CategoryFactory(
        slug="engagement-rings", name="Engagement rings", parent=rings, position=0
    )
    necklaces = CategoryFactory(slug="necklaces", name="Necklaces", position=1)
    set_translation(rings, "fr", name="Bagues", description="Nos bagues.")
    gold = MaterialFactory(slug="yellow-gold", name="Yellow gold")
    platinum = MaterialFactory(slug="platinum", name="Platinum", colour_hex="#e5e4e2")
    leather = MaterialFactory(slug="leather", name="Leather", kind="other")
    set_translation(gold, "fr", name="Or jaune")
    diamond = GemstoneTypeFactory(slug="diamond", name="Diamond")
    GemstoneTypeFactory(slug="sapphire", name="Sapphire", colour_hex="#0f52ba")
    ExchangeRateFactory(currency="EUR", rate=Decimal("0.92"))

    solitaire = ProductFactory(
        handle="diamond-solitaire",
        name="Diamond solitaire ring",
        category=engagement,
        is_featured=True,
        option1_name="Metal",
        option2_name="Ring size",
        variants=[
            {
                "price": Decimal("1200.00"),
                "compare_at_price": Decimal("1500.00"),
                "metal": gold,
                "purity": "18K",
                "option1": "Yellow gold",
                "option2": "6",
                "ring_size": "6",
                "sku": "SOL-YG-6",
            },
            {
                "price": Decimal("1800.00"),
                "metal": platinum,
                "purity": "950",
                "option1": "Platinum",
                "option2": "6",
                "ring_size": "6",
                "sku": "SOL-PT-6",
                "stock_quantity": 0,
            },
        ],
    )
    set_translation(
        solitaire,
        "fr",
        name="Bague solitaire diamant",
        description="<p>Un diamant.</p>",
    )
    solitaire.materials.set([gold, platinum])
    ProductGemstone.objects.create(
        product=solitaire,
        gemstone_type=diamond,
        carat=Decimal("0.75"),
        clarity="VS1",
        cut="round",
        colour="F",
    )
    image = ProductImage.objects.create(
        product=solitaire,
        image=png_file("solitaire.png"),
        thumbnail=png_file("solitaire-thumb.png", (32, 24)),
        alt_text="Solitaire on a white background",
    )
    band = ProductFactory(
        handle="gold-band",
        name="Plain gold band",
        category=rings,
        variants=[{"price": Decimal("300.00"), "metal": gold, "sku": "BAND-1"}],
    )
    pearls = ProductFactory(
        handle="pearl-necklace",
        name="Pearl necklace",
        category=necklaces,
        variants=[{"price": Decimal("90.00"), "stock_quantity": 0, "sku": "PEARL-1"}],
    )
    pearls.materials.set([leather])
    draft = ProductFactory(
        handle="secret-draft",
        name="Secret draft ring",
        category=rings,
        status=PublicationStatus.DRAFT,
    )
    archived = ProductFactory(
        handle="old-archived",
        name="Old archived ring",
        category=rings,
        status=PublicationStatus.ARCHIVED,
    )
    bridal = CollectionFactory(slug="bridal", name="Bridal", position=0)
    bridal.products.set([solitaire, band, draft])
    everyday = CollectionFactory(slug="everyday", name="Everyday", position=1, is_featured=False)
    everyday.products.set([pearls])
    return {
        "categories": {c.slug: c for c in (jewelry, rings, engagement, necklaces)},
        "solitaire": solitaire,
        "band": band,
        "pearls": pearls,
        "draft": draft,
        "archived": archived,
        "image": image,
        "bridal": bridal,
    }


# --- Customers who own things -----------------------------------------------------------------
@dataclass
class Owner:
    """A customer with an API token and one of everything a customer can own."""

    user: object
    token: str
    address: object
    wishlist_item: object
    cart: object
    cart_line: object
    order: object

    @property
    def auth(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Token {self.token}"}

    @property
    def header(self) -> dict:
        return {"Authorization": f"Token {self.token}"}


def make_owner(*, email: str, number: str, product, variant, full_name: str, line1: str) -> Owner:
    from django.utils import timezone

    from customers.models import Address, User, WishlistItem
    from orders.models import Cart, CartLine, Order, OrderLine, OrderStatusEvent

    user = User.objects.create_user(email=email, password="correct-horse-battery")
    token = api_token_for(user)
    address = Address.objects.create(
        user=user,
        full_name=full_name,
        line1=line1,
        city="London",
        postal_code="EC1N 8",
        country="GB",
        is_default=True,
    )
    wishlist_item = WishlistItem.objects.create(user=user, product=product)
    cart = Cart.objects.create(user=user)
    cart_line = CartLine.objects.create(cart=cart, variant=variant, quantity=1)
    order = Order.objects.create(
        number=number,
        user=user,
        email=email,
        status="paid",
        currency="USD",
        exchange_rate=Decimal(1),
        shipping_name=full_name,
        shipping_line1=line1,
        shipping_city="London",
        shipping_postal_code="EC1N 8",
        shipping_country="GB",
        shipping_method_name="Standard",
        subtotal=variant.price,
        shipping_cost=Decimal("15.00"),
        duties=Decimal(0),
        taxes=Decimal(0),
        total=variant.price + Decimal("15.00"),
        total_in_currency=variant.price + Decimal("15.00"),
        paid_at=timezone.now(),
    )
    OrderLine.objects.create(
        order=order,
        variant=variant,
        product_name=str(product),
        sku=variant.sku,
        unit_price=variant.price,
        quantity=1,
        line_total=variant.price,
    )
    OrderStatusEvent.objects.create(order=order, from_status="pending", to_status="paid")
    return Owner(user, token, address, wishlist_item, cart, cart_line, order)


@pytest.fixture
def shipping_setup(db):
    """Standard shipping to the UK, the US and France, with UK and French duty and VAT."""
    from orders.models import DutyRate, ShippingMethod, ShippingZone

    for position, (name, countries, price) in enumerate(
        [("UK", ["GB"], "15.00"), ("US", ["US"], "8.00"), ("EU", ["FR", "DE"], "15.00")]
    ):
        zone = ShippingZone.objects.create(name=name, countries=countries, position=position)
        method = ShippingMethod(zone=zone, code="standard", price=Decimal(price))
        method.set_current_language("en")
        method.name = "Standard"
        method.save()
    DutyRate.objects.create(country="GB", duty_percent=Decimal("2.5"), tax_percent=Decimal("20"))
    DutyRate.objects.create(
        country="FR", duty_percent=Decimal("2.5"), tax_percent=Decimal("20"), tax_name="TVA"
    )


@pytest.fixture
def alice(catalog, shipping_setup) -> Owner:
    solitaire = catalog["solitaire"]
    return make_owner(
        email="alice@example.com",
        number="AUR-100001",
        product=solitaire,
        variant=solitaire.variants.order_by("position").first(),
        full_name="Alice Archer",
        line1="1 Archer Lane",
    )


@pytest.fixture
def bob(catalog, shipping_setup) -> Owner:
    band = catalog["band"]
    return make_owner(
        email="bob@example.com",
        number="AUR-200002",
        product=band,
        variant=band.variants.get(),
        full_name="Bob Baker",
        line1="2 Baker Street",
    )
