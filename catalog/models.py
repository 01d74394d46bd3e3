"""Catalog data: categories, collections, products, variants, materials, gemstones, images.

Translatable content (names, descriptions, SEO fields) lives in one translation table per
model through django-parler; a missing translation falls back to the default language.
Business flows live in services.py, reads in selectors.py.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from shop.rich_text import RichTextField

ZERO = Decimal("0.00")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Purity(models.TextChoices):
    K9 = "9K", "9K"
    K10 = "10K", "10K"
    K14 = "14K", "14K"
    K18 = "18K", "18K"
    K22 = "22K", "22K"
    K24 = "24K", "24K"
    S925 = "925", _("925 sterling")
    P950 = "950", _("950 platinum")
    F999 = "999", _("999 fine")


class GemClarity(models.TextChoices):
    FL = "FL", "FL"
    IF = "IF", "IF"
    VVS1 = "VVS1", "VVS1"
    VVS2 = "VVS2", "VVS2"
    VS1 = "VS1", "VS1"
    VS2 = "VS2", "VS2"
    SI1 = "SI1", "SI1"
    SI2 = "SI2", "SI2"
    I1 = "I1", "I1"


class GemCut(models.TextChoices):
    ROUND = "round", _("Round")
    PRINCESS = "princess", _("Princess")
    OVAL = "oval", _("Oval")
    CUSHION = "cushion", _("Cushion")
    EMERALD = "emerald", _("Emerald cut")
    PEAR = "pear", _("Pear")
    MARQUISE = "marquise", _("Marquise")
    HEART = "heart", _("Heart")
    CABOCHON = "cabochon", _("Cabochon")


class Category(TranslatableModel):
    """A node of the category tree (Rings > Engagement rings, ...)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=120),
        description=models.TextField(_("description"), blank=True),
        seo_title=models.CharField(_("SEO title"), max_length=70, blank=True),
        seo_description=models.CharField(_("SEO description"), max_length=320, blank=True),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug

    def get_absolute_url(self) -> str:
        return reverse("catalog:category", kwargs={"slug": self.slug})


class Collection(TranslatableModel):
    """A merchandised group of products (Bridal, Everyday gold, ...), shown on the home page."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    products = models.ManyToManyField(
        "Product", verbose_name=_("products"), blank=True, related_name="collections"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=120),
        description=models.TextField(_("description"), blank=True),
    )

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug

    def get_absolute_url(self) -> str:
        return reverse("catalog:collection", kwargs={"slug": self.slug})


class Material(TranslatableModel):
    """A metal (yellow gold, platinum, silver, ...) or another material (leather, pearl, ...)."""

    class Kind(models.TextChoices):
        METAL = "metal", _("Metal")
        OTHER = "other", _("Other material")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.METAL)
    colour_hex = models.CharField(_("colour"), max_length=7, default="#c9a227")
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ("kind", "slug")

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug


class GemstoneType(TranslatableModel):
    """A kind of gemstone: diamond, sapphire, ruby, emerald, pearl, ..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    colour_hex = models.CharField(_("colour"), max_length=7, default="#e8f4ff")
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=80))

    class Meta:
        verbose_name = _("gemstone type")
        verbose_name_plural = _("gemstone types")
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug


class Product(TranslatableModel):
    """A piece of jewelry as the shopper sees it; what is bought is one of its variants."""

    handle = models.SlugField(_("handle"), max_length=255, unique=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    product_type = models.CharField(_("product type"), max_length=120, blank=True)
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    materials = models.ManyToManyField(
        Material, verbose_name=_("materials"), blank=True, related_name="products"
    )
    # Shopify keeps up to three named options per product (Metal, Ring size, ...).
    option1_name = models.CharField(_("option 1 name"), max_length=60, blank=True)
    option2_name = models.CharField(_("option 2 name"), max_length=60, blank=True)
    option3_name = models.CharField(_("option 3 name"), max_length=60, blank=True)
    # Kept in step with the variants by catalog.services so listings sort and filter on
    # price and availability without touching the variant table.
    price_min = models.DecimalField(
        _("lowest price"), max_digits=12, decimal_places=2, default=ZERO
    )
    price_max = models.DecimalField(
        _("highest price"), max_digits=12, decimal_places=2, default=ZERO
    )
    in_stock = models.BooleanField(_("in stock"), default=False)
    # Set when the product's text changes; the search indexer re-embeds dirty products.
    search_index_dirty = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=255),
        # HTML the merchant, a translator or an import typed: sanitised on every write.
        description=RichTextField(_("description"), blank=True),
        seo_title=models.CharField(_("SEO title"), max_length=70, blank=True),
        seo_description=models.CharField(_("SEO description"), max_length=320, blank=True),
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("-created_at", "id")
        # "change" lets translators fix a product's text; publishing is a decision of its own.
        permissions = [("publish_product", _("Can publish, unpublish and archive products"))]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="product_status_created"),
            models.Index(fields=["status", "price_min"], name="product_status_price"),
            models.Index(fields=["status", "category"], name="product_status_category"),
        ]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.handle

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"handle": self.handle})

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class ProductGemstone(models.Model):
    """A gemstone set in a product, with the 4Cs a jewelry shopper asks about."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="gemstones")
    gemstone_type = models.ForeignKey(
        GemstoneType, verbose_name=_("gemstone"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(_("number of stones"), default=1)
    carat = models.DecimalField(
        _("carat"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    colour = models.CharField(_("colour"), max_length=40, blank=True)
    clarity = models.CharField(_("clarity"), max_length=4, choices=GemClarity.choices, blank=True)
    cut = models.CharField(_("cut"), max_length=10, choices=GemCut.choices, blank=True)

    class Meta:
        verbose_name = _("gemstone")
        verbose_name_plural = _("gemstones")
        ordering = ("id",)

    def __str__(self) -> str:
        carat = f" {self.carat} ct" if self.carat else ""
        return f"{self.gemstone_type}{carat}"


class ProductVariant(models.Model):
    """What is bought: one metal, purity and size of a product, with its price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    option1 = models.CharField(_("option 1"), max_length=120, blank=True)
    option2 = models.CharField(_("option 2"), max_length=120, blank=True)
    option3 = models.CharField(_("option 3"), max_length=120, blank=True)
    metal = models.ForeignKey(
        Material,
        verbose_name=_("metal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Material.Kind.METAL},
    )
    purity = models.CharField(_("purity"), max_length=4, choices=Purity.choices, blank=True)
    ring_size = models.CharField(_("ring size"), max_length=8, blank=True)
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    compare_at_price = models.DecimalField(
        _("compare-at price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    stock_quantity = models.PositiveIntegerField(_("stock"), default=0)
    weight_grams = models.DecimalField(
        _("weight (g)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    image = models.ForeignKey(
        "ProductImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["sku"], condition=~Q(sku=""), name="variant_sku_unique_when_set"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="variant_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.title}" if self.title else str(self.product)

    @property
    def title(self) -> str:
        options = [value for value in (self.option1, self.option2, self.option3) if value]
        return " / ".join(options)

    @property
    def is_available(self) -> bool:
        return self.stock_quantity > 0

    @property
    def is_on_sale(self) -> bool:
        return bool(self.compare_at_price and self.compare_at_price > self.price)


class OptionLabel(TranslatableModel):
    """What shoppers read for a variant option's name ("Metal") or value ("14K Rose Gold").

    Why a vocabulary and not translated fields on Product and ProductVariant: the plain fields
    Product.option1_name..option3_name and ProductVariant.option1..option3 stay the canonical
    source text (as Shopify writes it), which SKUs, stock, the import's variant matching, the
    export and the API key on; translating them in place would make each of those depend on
    the active language. A store repeats the same few values on hundreds of variants ("14K Rose
    Gold", "7"), so one row per distinct source text means a translator translates it once,
    and the coverage report counts what a translator actually has to do.

    What a shopper reads (catalog.option_labels): this row's label in their language, else the
    label composed from the catalog's jewellery vocabulary ("Or rose 14 carats"), else the
    source text. Rows are written by the migration that introduced them (source language
    only), the demo store and the Shopify import (every language the vocabulary knows), and
    translators in the admin.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("Option name")
        VALUE = "value", _("Option value")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.VALUE)
    # Exactly as stored on the product or variant: the key shown text is looked up by.
    source = models.CharField(_("source text"), max_length=120)
    translations = TranslatedFields(
        label=models.CharField(_("label"), max_length=120, blank=True),
    )

    class Meta:
        verbose_name = _("option label")
        verbose_name_plural = _("option labels")
        ordering = ("kind", "source")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="option_label_kind_source"),
        ]

    def __str__(self) -> str:
        return self.source


class ProductImage(models.Model):
    """A photo of a product; uploads are verified with Pillow and get a thumbnail (images.py)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to="products/",
        width_field="width",
        height_field="height",
        max_length=255,
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="thumbnails/", blank=True, max_length=255
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(_("alternative text"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Where an import found the image (Shopify "Image Src"), kept so exports round-trip.
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.alt_text or self.image.name
