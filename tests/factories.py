"""factory_boy factories for tests (and benchmarks that need generated catalogs)."""

from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import (
    Category,
    Collection,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductVariant,
    PublicationStatus,
)
from customers.models import User
from shop.models import ExchangeRate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"collection-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    is_featured = True


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material
        django_get_or_create = ("slug",)

    slug = "yellow-gold"
    kind = Material.Kind.METAL
    colour_hex = "#d4af37"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class GemstoneTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GemstoneType
        django_get_or_create = ("slug",)

    slug = "diamond"
    colour_hex = "#e8f4ff"
    name = factory.LazyAttribute(lambda o: o.slug.title())


class ProductFactory(factory.django.DjangoModelFactory):
    """A published product with one variant in stock, priced 100.00 in the base currency."""

    class Meta:
        model = Product
        django_get_or_create = ("handle",)
        skip_postgeneration_save = True

    handle = factory.Sequence(lambda n: f"product-{n}")
    name = factory.LazyAttribute(lambda o: o.handle.replace("-", " ").title())
    description = "A piece of fine jewelry."
    category = factory.SubFactory(CategoryFactory, slug="rings")
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    price_min = Decimal("100.00")
    price_max = Decimal("100.00")
    in_stock = True

    @factory.post_generation
    def variants(self, create, extracted, **kwargs):
        """Pass variants=[{...}, ...] to choose them; by default one 100.00 variant in stock."""
        if not create:
            return
        from catalog.services import product_refresh_availability

        specs = extracted if extracted is not None else [{"price": Decimal("100.00")}]
        for position, spec in enumerate(specs):
            fields = {"stock_quantity": 5, "position": position, **spec}
            ProductVariant.objects.create(product=self, **fields)
        product_refresh_availability(product=self)


class ProductGemstoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGemstone

    product = factory.SubFactory(ProductFactory)
    gemstone_type = factory.SubFactory(GemstoneTypeFactory)
    carat = Decimal("0.50")


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency",)

    currency = "EUR"
    rate = Decimal("0.92")


def api_token_for(user, name: str = "tests") -> str:
    """A new API token's key for `user` (send it as "Authorization: Token <key>")."""
    from customers.services import api_token_create

    return api_token_create(user=user, name=name).key
