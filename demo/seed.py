"""The demo store: a believable multilingual jewelry catalog generated from a seed.

`seed_demo()` runs a list of steps (`STEPS`); each step gets its own random generator derived
from the seed and the step's name, so adding a step later (orders, reviews, ...) does not
change what the existing steps generate. A step receives the shared `DemoContext` (what the
earlier steps created) and returns the counts it reports.

Product texts are composed from per-language grammar tables (demo/tables.py, demo/plan.py and
the vocabulary in catalog/vocabulary.py), not machine-translated: each language orders the
words its own way.

The steps write through the other apps' services where one exists (`option_labels_fill`,
`seed_history`, `reviews_bulk_load`, `store_content_load`). Categories, materials, products,
variants, images, collections, exchange rates and the demo customers are bulk-created on the
models: thousands of rows in seconds, and no app has a bulk service for them yet (issue 13 step
6, one catalog write path).
"""

from __future__ import annotations

import os
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from catalog.images import product_images_create_bulk
from catalog.models import (
    Category,
    Collection,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)
from catalog.option_labels import option_labels_fill
from catalog.services import (
    NewProduct,
    ProductText,
    collection_set_products,
    products_create_bulk,
    translated_object_save,
)
from catalog.vocabulary import GEMS, LANGS, METALS, OTHER_MATERIALS
from content.services import read_content_file, store_content_load
from customers.services import customers_create_bulk
from demo.images import _image_job, _render_all
from demo.plan import ProductPlan, _clip, _rng, plan_catalog
from demo.reviews import seed_reviews
from demo.tables import (
    BIRTHSTONES,
    CATEGORIES,
    COLLECTIONS,
    CUSTOMERS,
    DEFAULT_PRODUCTS,
    DEFAULT_SEED,
    EMAIL_DOMAINS,
    EXCHANGE_RATES,
    LEAVES,
    MERCHANT_EMAIL,
    RING_LEAVES,
)
from design.models import DesignSet
from design.services import design_set_add_catalog_images
from events.demo_history import seed_history
from shop.money import exchange_rate_set

# =============================================================================================
# Steps writing to the database
# =============================================================================================


class CatalogNotEmpty(Exception):
    """seed_demo fills an empty store only."""


@dataclass
class DemoContext:
    seed: int
    products: int
    processes: int
    log: Callable[[str], None]
    categories: dict[str, Category] = field(default_factory=dict)
    metals: dict[str, Material] = field(default_factory=dict)
    materials: dict[str, Material] = field(default_factory=dict)
    gems: dict[str, GemstoneType] = field(default_factory=dict)
    plans: list[ProductPlan] = field(default_factory=list)
    product_ids: dict[str, int] = field(default_factory=dict)  # handle -> id
    written_files: list[str] = field(default_factory=list)
    merchant_password: str | None = None
    now: datetime | None = None

    def rng(self, step: str) -> random.Random:
        return _rng(self.seed, step)


def _translate(obj, values: dict[str, dict[str, str]]) -> None:
    """Sets the given fields in every language and saves the object with its translations."""
    translated_object_save(
        obj=obj,
        texts={lang: values[lang] for lang in LANGS},
        default_language=settings.LANGUAGE_CODE,
    )


def step_categories(ctx: DemoContext) -> dict[str, int]:
    shop = settings.SHOP_NAME
    for position, (slug, parent, names, descriptions) in enumerate(CATEGORIES):
        category = Category.objects.filter(slug=slug).first() or Category(slug=slug)
        category.parent = ctx.categories.get(parent) if parent else None
        category.position = position
        _translate(
            category,
            {
                lang: {
                    "name": names[i],
                    "description": descriptions[i],
                    "seo_title": _clip(f"{names[i]} | {shop}", 70),
                    "seo_description": _clip(descriptions[i], 320),
                }
                for i, lang in enumerate(LANGS)
            },
        )
        ctx.categories[slug] = category
    return {"categories": len(ctx.categories)}


def step_materials(ctx: DemoContext) -> dict[str, int]:
    rows = [(m.slug, Material.Kind.METAL, m.hex, m.names) for m in METALS.values()]
    rows += [(slug, Material.Kind.OTHER, hex_, names) for slug, hex_, names in OTHER_MATERIALS]
    for slug, kind, hex_, names in rows:
        material = Material.objects.filter(slug=slug).first() or Material(slug=slug)
        material.kind = kind
        material.colour_hex = hex_
        _translate(material, {lang: {"name": names[i]} for i, lang in enumerate(LANGS)})
        ctx.materials[slug] = material
        if kind == Material.Kind.METAL:
            ctx.metals[slug] = material
    for gem in GEMS.values():
        gem_type = GemstoneType.objects.filter(slug=gem.slug).first() or GemstoneType(slug=gem.slug)
        gem_type.colour_hex = gem.hex
        _translate(gem_type, {lang: {"name": gem.names[i]} for i, lang in enumerate(LANGS)})
        ctx.gems[gem.slug] = gem_type
    return {"materials": len(ctx.materials), "gemstone types": len(ctx.gems)}


def step_exchange_rates(ctx: DemoContext) -> dict[str, int]:
    for currency, rate in EXCHANGE_RATES.items():
        exchange_rate_set(currency=currency, rate=rate)
    return {"exchange rates": len(EXCHANGE_RATES)}


def step_products(ctx: DemoContext) -> dict[str, int]:
    if Product.objects.exists():
        raise CatalogNotEmpty(
            f"The catalog already has {Product.objects.count()} products; "
            "seed_demo only fills an empty store (use --if-empty to skip quietly)."
        )
    ctx.plans = plan_catalog(products=ctx.products, seed=ctx.seed)
    now = ctx.now
    vendor = settings.SHOP_NAME
    items = []
    for plan in ctx.plans:
        leaf_type = LEAVES[plan.design.leaf][1]
        has_sizes = plan.design.leaf in RING_LEAVES or plan.design.leaf == "chains"
        # The catalog spreads over the past year, so "new arrivals" and the new-season
        # collection mean something.
        created = now - timedelta(days=plan.age_days)
        product = Product(
            handle=plan.handle,
            category=ctx.categories[plan.design.leaf],
            vendor=vendor,
            product_type=leaf_type,
            tags=plan.tags,
            status=plan.status,
            is_featured=plan.featured,
            option1_name="Metal",
            option2_name=(
                ("Ring size" if plan.design.leaf in RING_LEAVES else "Length") if has_sizes else ""
            ),
            created_at=created,
            updated_at=created + timedelta(hours=2),
            published_at=(
                created + timedelta(hours=1) if plan.status == PublicationStatus.PUBLISHED else None
            ),
        )
        slugs = dict.fromkeys(m for m, _p in plan.metals)
        if plan.gem == "pearl":
            slugs["pearl"] = None
        items.append(
            NewProduct(
                product=product,
                texts={lang: ProductText(*plan.texts[lang]) for lang in LANGS},
                variants=[
                    ProductVariant(
                        sku=v.sku,
                        option1=v.option1,
                        option2=v.option2,
                        metal=ctx.metals[v.metal],
                        purity=v.purity,
                        ring_size=v.ring_size,
                        price=v.price,
                        compare_at_price=v.compare_at_price,
                        stock_quantity=v.stock,
                        weight_grams=v.weight,
                        position=v.position,
                    )
                    for v in plan.variants
                ],
                stones=[
                    ProductGemstone(
                        gemstone_type=ctx.gems[s.gem],
                        count=s.count,
                        carat=s.carat,
                        colour=s.colour,
                        clarity=s.clarity,
                        cut=s.cut,
                    )
                    for s in plan.stones
                ],
                materials=[ctx.materials[slug] for slug in slugs],
            )
        )
    products = products_create_bulk(items=items)
    for product in products:
        ctx.product_ids[product.handle] = product.pk
    variants = [v for item in items for v in item.variants]
    stones = [s for item in items for s in item.stones]
    # Option names and values in every language, from the catalog's vocabulary.
    option_labels_fill(
        names=[p.option1_name for p in products] + [p.option2_name for p in products],
        values=[v.option1 for v in variants] + [v.option2 for v in variants],
        languages=LANGS,
    )
    published = sum(1 for p in ctx.plans if p.status == PublicationStatus.PUBLISHED)
    return {
        "products": len(products),
        "published": published,
        "drafts": len(products) - published,
        "variants": len(variants),
        "gemstone rows": len(stones),
    }


def step_images(ctx: DemoContext) -> dict[str, int]:
    jobs = [_image_job(plan) for plan in ctx.plans]
    rows = []
    for plan, rendered in zip(ctx.plans, _render_all(jobs, ctx.processes), strict=True):
        for position, (image, (original, thumbnail, width, height)) in enumerate(
            zip(plan.images, rendered, strict=True)
        ):
            stem = f"{plan.handle[:80]}-{position + 1}"
            image_name = default_storage.save(f"products/{stem}.jpg", ContentFile(original))
            ctx.written_files.append(image_name)
            thumb_name = default_storage.save(f"thumbnails/{stem}.webp", ContentFile(thumbnail))
            ctx.written_files.append(thumb_name)
            rows.append(
                ProductImage(
                    product_id=ctx.product_ids[plan.handle],
                    image=image_name,
                    thumbnail=thumb_name,
                    width=width,
                    height=height,
                    alt_text=image.alt_text[:255],
                    position=position,
                )
            )
    product_images_create_bulk(images=rows)
    return {"images": len(rows)}


def _collection_members(plans: list[ProductPlan]) -> dict[str, list[ProductPlan]]:
    live = [p for p in plans if p.status == PublicationStatus.PUBLISHED]
    bridal_leaves = ("engagement-rings", "wedding-bands")
    members = {
        "bridal": [
            p
            for p in live
            if p.design.leaf in bridal_leaves
            or (
                p.gem == "diamond"
                and p.design.leaf in ("studs", "drops", "pendants", "tennis-bracelets")
                and p.metal in ("white-gold", "platinum")
            )
        ],
        "everyday-gold": [
            p
            for p in live
            if p.metal in ("yellow-gold", "rose-gold")
            and p.price_min < 800
            and p.design.leaf in ("hoops", "chains", "studs", "bangles", "pendants", "anklets")
        ],
        "birthstones": [
            p
            for p in live
            if p.design.leaf not in bridal_leaves
            and (
                p.gem in BIRTHSTONES
                or (p.gem == "diamond" and p.design.leaf in ("pendants", "studs"))
            )
            and p.price_min < 1500
        ],
        "pearls-classics": [
            p
            for p in live
            if p.gem == "pearl"
            or p.design.leaf == "tennis-bracelets"
            or p.design.key == "classic-hoops"
            or (p.design.key == "solitaire-studs" and p.gem == "diamond")
        ],
        "gifts-under-200": [p for p in live if p.price_min < 200],
        "new-season": sorted(live, key=lambda p: p.age_days)[:24],
    }
    return members


def step_collections(ctx: DemoContext) -> dict[str, int]:
    members = _collection_members(ctx.plans)
    entries = 0
    for position, (slug, names, descriptions) in enumerate(COLLECTIONS):
        collection = Collection.objects.filter(slug=slug).first() or Collection(slug=slug)
        collection.is_featured = True
        collection.position = position
        _translate(
            collection,
            {
                lang: {"name": names[i], "description": descriptions[i]}
                for i, lang in enumerate(LANGS)
            },
        )
        entries += collection_set_products(
            collection=collection, product_ids=[ctx.product_ids[p.handle] for p in members[slug]]
        )
    return {"collections": len(COLLECTIONS), "collection entries": entries}


def step_customers(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("customers")
    # Demo shoppers cannot sign in (no usable password); a second run adds none twice.
    users = customers_create_bulk(
        customers=[
            {
                "email": f"{local}@{EMAIL_DOMAINS[n % len(EMAIL_DOMAINS)]}",
                "first_name": first,
                "last_name": last,
                "date_joined": ctx.now - timedelta(days=rng.uniform(1, 400)),
            }
            for n, (first, last, local) in enumerate(CUSTOMERS)
        ]
    )
    return {"customers": len(users)}


def step_merchant(ctx: DemoContext) -> dict[str, int]:
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=MERCHANT_EMAIL).exists():
        return {"merchant created": 0}
    ctx.merchant_password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(
        email=MERCHANT_EMAIL,
        password=ctx.merchant_password,
        first_name="Demo",
        last_name="Merchant",
    )
    return {"merchant created": 1}


def step_shopping_history(ctx: DemoContext) -> dict[str, int]:
    """Interaction events for the recommender (issue 5; see events/demo_history.py)."""
    return seed_history(seed=ctx.seed)


def step_reviews(ctx: DemoContext) -> dict[str, int]:
    """Rated reviews in several languages (issue 6; see demo/reviews.py)."""
    return seed_reviews(seed=ctx.seed, now=ctx.now)


def step_store_pages(ctx: DemoContext) -> dict[str, int]:
    """Store pages and FAQ in all seven languages (issue 14; see content/demo_content.toml)."""
    return store_content_load(data=read_content_file())


# The demo's design set (issue 15): five kinds of piece whose shapes differ most, so a design
# model trained on it shows its categories apart within a few epochs. Five of the twelve
# leaves keep the step short (about 400 pictures, checked, de-duplicated and normalised).
DEMO_DESIGN_SET = "Demo catalog pictures"
DEMO_DESIGN_CATEGORIES = ("engagement-rings", "studs", "pendants", "bangles", "brooches")


def step_design_set(ctx: DemoContext) -> dict[str, int]:
    """A design set built from the demo's own product pictures, ready to train on."""
    # get_or_create: a store whose catalog was emptied and seeded again keeps its set (the
    # pictures already in it are skipped as duplicates).
    design_set, _created = DesignSet.objects.get_or_create(
        name=DEMO_DESIGN_SET,
        defaults={"description": "The demo store's product pictures of five categories."},
    )
    categories = Category.objects.filter(slug__in=DEMO_DESIGN_CATEGORIES)
    report = design_set_add_catalog_images(design_set=design_set, categories=categories)
    ctx.written_files.extend(image.image.name for image in report.added)
    return {"design pictures": len(report.added)}


# The order matters: each step may use what the earlier ones put in the context.
STEPS: tuple[tuple[str, Callable[[DemoContext], dict[str, int]]], ...] = (
    ("categories", step_categories),
    ("materials and gemstones", step_materials),
    ("exchange rates", step_exchange_rates),
    ("products", step_products),
    ("images", step_images),
    ("collections", step_collections),
    ("customers", step_customers),
    ("merchant", step_merchant),
    ("shopping history", step_shopping_history),
    ("reviews", step_reviews),
    ("store pages", step_store_pages),
    ("design set", step_design_set),
)


@dataclass
class DemoReport:
    counts: dict[str, int]
    timings: dict[str, float]
    elapsed: float
    login_line: str | None
    login_file: Path | None


def login_line(password: str) -> str:
    return (
        f"Demo merchant login: {settings.SITE_URL}/admin/  "
        f"e-mail: {MERCHANT_EMAIL}  password: {password}"
    )


def _write_login_file(password: str) -> tuple[str, Path]:
    line = login_line(password)
    path = Path(settings.VAR_DIR) / "demo-login.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created private from the start: the password is never readable by other users.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(line + "\n")
    path.chmod(0o600)
    return line, path


def seed_demo(
    *,
    products: int = DEFAULT_PRODUCTS,
    seed: int = DEFAULT_SEED,
    processes: int | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoReport:
    """Fills an empty store with the demo catalog; raises CatalogNotEmpty otherwise."""
    started = time.monotonic()
    ctx = DemoContext(
        seed=seed,
        products=max(1, products),
        processes=processes or min(4, os.cpu_count() or 1),
        log=log or (lambda _message: None),
        now=timezone.now(),
    )
    counts: dict[str, int] = {}
    timings: dict[str, float] = {}
    try:
        with transaction.atomic():
            for name, step in STEPS:
                step_started = time.monotonic()
                counts.update(step(ctx))
                timings[name] = time.monotonic() - step_started
                ctx.log(f"  {name}: {timings[name]:.1f} s")
    except BaseException:
        # The rows were rolled back: do not leave their image files behind.
        for name in ctx.written_files:
            default_storage.delete(name)
        raise
    line = path = None
    if ctx.merchant_password:
        line, path = _write_login_file(ctx.merchant_password)
    return DemoReport(
        counts=counts,
        timings=timings,
        elapsed=time.monotonic() - started,
        login_line=line,
        login_file=path,
    )
