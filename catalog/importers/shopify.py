"""Import of Shopify product CSV files (the format every Shopify store exports).

A Shopify file groups rows by Handle: the first row of a handle carries the product (title,
description, vendor, type, tags, published, option names, SEO), every row may carry one variant
(option values, SKU, price, stock...) and/or one image (Image Src, position, alt text).

The import is all or nothing. Every row is parsed and checked first and every problem is
collected with its line number as the merchant sees it in a spreadsheet (the header is line 1;
a description spanning several lines counts them all). Only a file without a single problem is
written, inside one transaction. The file is the truth for the products it contains: their
variants missing from the file are deleted (unless the file gives the product no variant row at
all). Products that are not in the file are untouched.

Images cannot be downloaded (a store must import offline), so each distinct Image Src becomes a
locally drawn picture that keeps the URL in `source_url`; re-imports match images on it.

Columns missing from the header (other than the required ones) leave the matching fields of
existing products as they are, so a file with only prices and stock updates only those.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any, BinaryIO, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.models import (
    Category,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
    Purity,
)
from catalog.option_labels import option_labels_fill
from catalog.services import (
    product_refresh_availability,
    product_set_translation,
    products_mark_search_dirty,
)
from catalog.signals import announce_products_changed
from catalog.vocabulary import (
    CATEGORY_BY_TYPE,
    CATEGORY_PARENTS,
    GEM_KEYWORDS,
    METAL,
    METAL_KEYWORDS,
    OTHER,
    OTHER_MATERIAL_KEYWORDS,
    RING_CATEGORY_SLUGS,
    Term,
)

# The 46 columns of Shopify's product CSV, in Shopify's order (the export writes them so).
SHOPIFY_COLUMNS: tuple[str, ...] = (
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Gift Card",
    "SEO Title",
    "SEO Description",
    "Google Shopping / Google Product Category",
    "Google Shopping / Gender",
    "Google Shopping / Age Group",
    "Google Shopping / MPN",
    "Google Shopping / AdWords Grouping",
    "Google Shopping / AdWords Labels",
    "Google Shopping / Condition",
    "Google Shopping / Custom Product",
    "Google Shopping / Custom Label 0",
    "Google Shopping / Custom Label 1",
    "Google Shopping / Custom Label 2",
    "Google Shopping / Custom Label 3",
    "Google Shopping / Custom Label 4",
    "Variant Image",
    "Variant Weight Unit",
    "Variant Tax Code",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("Handle", "Title", "Variant Price")

# A continuation row with any of these filled in is a variant; otherwise it only adds an image.
VARIANT_COLUMNS = (
    "Option1 Value",
    "Option2 Value",
    "Option3 Value",
    "Variant SKU",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Inventory Qty",
    "Variant Grams",
    "Variant Barcode",
)
OPTION_NAME_COLUMNS = ("Option1 Name", "Option2 Name", "Option3 Name")
OPTION_VALUE_COLUMNS = ("Option1 Value", "Option2 Value", "Option3 Value")

# Shopify's placeholder for a product without options.
DEFAULT_OPTION_NAME = "Title"
DEFAULT_OPTION_VALUE = "Default Title"

HANDLE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
INTEGER_RE = re.compile(r"^[+-]?\d+$")
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
MAX_PRICE = Decimal("9999999999.99")
MAX_GRAMS = Decimal("9999999.99")
MAX_STOCK = 2_147_483_647
PLACEHOLDER_SIZE = 800


# --- purity and option names (the keyword tables are in catalog.vocabulary) -----------

# Karat marks (18K, 14kt, 9ct) and fineness (925 sterling, 950 platinum, 999 fine).
PURITY_RE = re.compile(
    r"(?<![\w.])(?:(9|10|14|18|22|24)\s*(?:k|kt|ct|karat|carat)|(925|950|999))(?!\w)",
    re.IGNORECASE,
)
METAL_OPTION_NAMES = {"metal", "material", "color", "colour", "metal type", "metal colour"}
METAL_OPTION_NAMES |= {"metal color", "finish"}
RING_SIZE_OPTION_NAMES = {"ring size", "size"}

DEFAULT_METAL_HEX = METAL_KEYWORDS["yellow gold"].colour_hex


def _keyword_regex(keywords: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({k for k in keywords if k}, key=len, reverse=True)
    if not words:
        return None
    # "rose gold", "rose-gold" and "Rose  Gold" are the same words.
    parts = [r"[\s\-]+".join(re.escape(piece) for piece in word.split()) for word in words]
    return re.compile(r"(?<!\w)(" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class Vocabulary:
    """Finds metals, other materials and gemstones named in tags and option values.

    The built-in keywords are extended with the names of the store's own materials and gemstone
    types, which win, so an import reuses what the merchant already has.
    """

    def __init__(
        self,
        metals: dict[str, Term],
        others: dict[str, Term],
        gems: dict[str, Term],
    ):
        self.metals = metals
        self.others = others
        self.gems = gems
        self._metal_re = _keyword_regex(metals)
        self._material_re = _keyword_regex([*metals, *others])
        self._gem_re = _keyword_regex(gems)

    @classmethod
    def load(cls) -> Vocabulary:
        metals = dict(METAL_KEYWORDS)
        others = dict(OTHER_MATERIAL_KEYWORDS)
        gems = dict(GEM_KEYWORDS)
        for material in Material.objects.prefetch_related("translations"):
            name = material.safe_translation_getter("name", language_code="en", any_language=True)
            term = Term(material.slug, name or material.slug, material.colour_hex, material.kind)
            target = metals if material.kind == METAL else others
            for keyword in {(name or "").lower().strip(), material.slug.replace("-", " ")}:
                if keyword:
                    target[keyword] = term
        for gem in GemstoneType.objects.prefetch_related("translations"):
            name = gem.safe_translation_getter("name", language_code="en", any_language=True)
            term = Term(gem.slug, name or gem.slug, gem.colour_hex)
            for keyword in {(name or "").lower().strip(), gem.slug.replace("-", " ")}:
                if keyword:
                    gems[keyword] = term
        return cls(metals, others, gems)

    @staticmethod
    def _find(pattern, table: dict[str, Term], text: str) -> list[Term]:
        found: dict[str, Term] = {}
        if pattern is None or not text:
            return []
        for match in pattern.finditer(text):
            key = " ".join(re.split(r"[\s\-]+", match.group(1).lower()))
            term = table.get(key)
            if term is not None:
                found.setdefault(term.slug, term)
        return list(found.values())

    def metals_in(self, text: str) -> list[Term]:
        return self._find(self._metal_re, self.metals, text)

    def materials_in(self, text: str) -> list[Term]:
        return self._find(self._material_re, {**self.others, **self.metals}, text)

    def gems_in(self, text: str) -> list[Term]:
        return self._find(self._gem_re, self.gems, text)


def purity_in(text: str) -> str:
    """The Purity value named in text (18K, 925...), or "" when there is none."""
    match = PURITY_RE.search(text or "")
    if match:
        value = f"{match.group(1)}K" if match.group(1) else match.group(2)
        if value in Purity.values:
            return value
    if re.search(r"(?<!\w)sterling(?!\w)", text or "", re.IGNORECASE):
        return Purity.S925.value
    return ""


def purity_fits(purity: str, metal_slug: str) -> bool:
    """Whether a purity read from the tags can describe a variant of this metal.

    Tags speak for the whole product: "18K, Platinum" must not make a platinum variant 18K.
    """
    if not purity or not metal_slug:
        return bool(purity)
    if purity.endswith("K"):
        return "gold" in metal_slug
    if purity == Purity.S925:
        return "silver" in metal_slug or "sterling" in metal_slug
    if purity == Purity.P950:
        return metal_slug in {"platinum", "palladium"}
    return True


def category_term_for_type(product_type: str) -> Term | None:
    """The category a Shopify Type goes to: a known one, or one named after the type."""
    text = " ".join(product_type.lower().split())
    if not text:
        return None
    if text in CATEGORY_BY_TYPE:
        return CATEGORY_BY_TYPE[text]
    name = " ".join(product_type.split())[:120]
    slug = slugify(name)[:120].strip("-")
    if not slug:
        # A type in a script slugify cannot spell (e.g. Chinese) still needs a stable slug.
        slug = "type-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    return Term(slug, name)


def is_ring(category_slug: str, product_type: str) -> bool:
    return category_slug in RING_CATEGORY_SLUGS or bool(
        re.search(r"(?<!ear)ring", product_type.lower())
    )


def image_public_url(image: ProductImage) -> str:
    """The URL an export writes for an image: where it came from, else where the shop serves it."""
    if image.source_url:
        return image.source_url
    if not image.image:
        return ""
    url = image.image.url
    if url.startswith("/"):
        url = settings.SITE_URL + url
    return url


# --- the report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """One problem: the CSV line (None for the whole file), the column and what is wrong."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = (
            str(_("File")) if self.line is None else str(_("Line %(line)s") % {"line": self.line})
        )
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    variants_deleted: int = 0
    images_added: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, line: int | None, column: str, message: Any) -> None:
        self.errors.append(RowError(line, column, str(message)))

    @property
    def sorted_errors(self) -> list[RowError]:
        return sorted(
            self.errors,
            key=lambda e: (
                e.line or 0,
                SHOPIFY_COLUMNS.index(e.column) if e.column in SHOPIFY_COLUMNS else -1,
            ),
        )

    def summary(self) -> str:
        parts = [
            ngettext("%(n)s product created", "%(n)s products created", self.products_created),
            ngettext("%(n)s product updated", "%(n)s products updated", self.products_updated),
            ngettext("%(n)s variant created", "%(n)s variants created", self.variants_created),
            ngettext("%(n)s variant updated", "%(n)s variants updated", self.variants_updated),
            ngettext("%(n)s variant deleted", "%(n)s variants deleted", self.variants_deleted),
            ngettext("%(n)s image added", "%(n)s images added", self.images_added),
        ]
        counts = (
            self.products_created,
            self.products_updated,
            self.variants_created,
            self.variants_updated,
            self.variants_deleted,
            self.images_added,
        )
        text = ", ".join(part % {"n": n} for part, n in zip(parts, counts, strict=True))
        if self.dry_run:
            return str(_("Dry run, nothing was saved. The import would give: %(counts)s.")) % {
                "counts": text
            }
        return str(_("Import done: %(counts)s.")) % {"counts": text}

    def as_text(self) -> str:
        if self.ok:
            return self.summary()
        lines = [
            ngettext(
                "The import found %(n)s problem; nothing was saved.",
                "The import found %(n)s problems; nothing was saved.",
                len(self.errors),
            )
            % {"n": len(self.errors)}
        ]
        lines += [f"  {error}" for error in self.sorted_errors]
        return "\n".join(lines)


class _FileProblem(Exception):
    def __init__(self, message: Any, line: int | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.line = line


class _Rollback(Exception):
    """Raised inside the transaction to undo everything written so far."""


# --- reading the file -------------------------------------------------------------------------
def _read_bytes(file: IO[bytes] | IO[str] | Any) -> bytes:
    limit = settings.SHOP_MAX_IMPORT_BYTES
    too_large = _(
        "The file is too large (%(size)s). The largest file you can import is %(limit)s; "
        "split it into several files."
    )
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _FileProblem(
            too_large % {"size": filesizeformat(declared), "limit": filesizeformat(limit)}
        )
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    try:
        data = file.read(limit + 1)
    except UnicodeDecodeError as exc:
        raise _FileProblem(_not_utf8_message()) from exc
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limit:
        raise _FileProblem(
            too_large
            % {
                "size": _("more than %(limit)s") % {"limit": filesizeformat(limit)},
                "limit": filesizeformat(limit),
            }
        )
    return data


def _not_utf8_message() -> str:
    return str(
        _(
            "The file is not UTF-8 text. In your spreadsheet choose “Save as… CSV UTF-8” "
            "(Shopify exports are already UTF-8) and import that file."
        )
    )


def _decode(data: bytes) -> str:
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _FileProblem(_("The file is empty."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _FileProblem(
            _(
                "The file is UTF-16 text (“Unicode text” in Excel). Save it as “CSV UTF-8” "
                "and import that file."
            )
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileProblem(
            _(
                "This is a spreadsheet workbook, not a CSV file. Open it and choose "
                "“Save as… CSV UTF-8”, then import that file."
            )
        )
    head = data[:65536]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in data or controls > len(head) // 100:
        raise _FileProblem(_("The file is not a CSV file (it contains binary data)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(_not_utf8_message(), line=line) from exc


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yields (line of the record's first line, cells); the header is line 1."""
    # A long description must not hit the csv module's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), settings.SHOP_MAX_IMPORT_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        start = previous + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _FileProblem(
                _(
                    "The CSV cannot be read from here on (%(reason)s). Check the quotes of "
                    "this row: a field that contains commas, quotes or line breaks must be "
                    "quoted, and a quote inside it doubled."
                )
                % {"reason": exc},
                line=start,
            ) from exc
        previous = reader.line_num
        yield start, cells


@dataclass
class _Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def any(self, columns: Iterable[str]) -> bool:
        return any(self.cells.get(column) for column in columns)


# --- parsed file ------------------------------------------------------------------------------
@dataclass
class _Image:
    src: str
    line: int
    position: int | None = None
    alt_text: str = ""
    from_variant: bool = False


@dataclass
class _Variant:
    line: int
    options: tuple[str, str, str]
    sku: str = ""
    price: Decimal | None = None
    compare_at_price: Decimal | None = None
    stock: int = 0
    grams: Decimal | None = None
    barcode: str = ""
    image_src: str = ""


@dataclass
class _Product:
    handle: str
    line: int
    title: str = ""
    body: str = ""
    vendor: str = ""
    product_type: str = ""
    tags: str = ""
    published: bool | None = None
    option_names: tuple[str, str, str] = ("", "", "")
    seo_title: str = ""
    seo_description: str = ""
    variants: list[_Variant] = field(default_factory=list)
    images: dict[str, _Image] = field(default_factory=dict)


TEXT_LIMITS = {
    "Title": 255,
    "Vendor": 120,
    "Type": 120,
    "Tags": 500,
    "Option1 Name": 60,
    "Option2 Name": 60,
    "Option3 Name": 60,
    "Option1 Value": 120,
    "Option2 Value": 120,
    "Option3 Value": 120,
    "Variant SKU": 64,
    "Variant Barcode": 64,
    "Image Alt Text": 255,
}


class _Parser:
    """Turns rows into products, collecting every problem instead of stopping at the first."""

    def __init__(self, report: ImportReport, columns: set[str]):
        self.report = report
        self.columns = columns
        self.products: dict[str, _Product] = {}
        self.sku_lines: dict[str, int] = {}
        self._url = URLValidator(schemes=["http", "https"])

    def error(self, line: int, column: str, message: Any) -> None:
        self.report.add_error(line, column, message)

    # values
    def text(self, row: _Row, column: str) -> str:
        value = row.get(column)
        limit = TEXT_LIMITS.get(column)
        if limit and len(value) > limit:
            self.error(
                row.line,
                column,
                _("This is %(length)s characters long; at most %(limit)s are allowed.")
                % {"length": len(value), "limit": limit},
            )
            return value[:limit]
        return value

    def decimal(
        self, row: _Row, column: str, *, required: bool = False, maximum: Decimal = MAX_PRICE
    ) -> Decimal | None:
        raw = row.get(column)
        if not raw:
            if required:
                self.error(row.line, column, _("A price is required for every variant."))
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(row.line, column, _("“%(value)s” is not a number.") % {"value": raw})
            return None
        if value < 0:
            self.error(row.line, column, _("“%(value)s” is negative.") % {"value": raw})
            return None
        if value != value.quantize(Decimal("0.01")):
            self.error(
                row.line,
                column,
                _("“%(value)s” has more than two decimal places.") % {"value": raw},
            )
            return None
        if value > maximum:
            self.error(row.line, column, _("“%(value)s” is too large.") % {"value": raw})
            return None
        return value.quantize(Decimal("0.01"))

    def integer(self, row: _Row, column: str, *, minimum: int = 0) -> int | None:
        raw = row.get(column)
        if not raw:
            return None
        if not INTEGER_RE.match(raw):
            self.error(row.line, column, _("“%(value)s” is not a whole number.") % {"value": raw})
            return None
        value = int(raw)
        if value < minimum:
            self.error(
                row.line,
                column,
                _("“%(value)s” is below %(minimum)s.") % {"value": raw, "minimum": minimum},
            )
            return None
        if value > MAX_STOCK:
            self.error(row.line, column, _("“%(value)s” is too large.") % {"value": raw})
            return None
        return value

    def boolean(self, row: _Row, column: str) -> bool | None:
        raw = row.get(column)
        if not raw:
            return None
        if raw.lower() in TRUE_WORDS:
            return True
        if raw.lower() in FALSE_WORDS:
            return False
        self.error(row.line, column, _("“%(value)s” is not true or false.") % {"value": raw})
        return None

    def url(self, row: _Row, column: str) -> str:
        raw = row.get(column)
        if not raw:
            return ""
        try:
            if len(raw) > 1000:
                raise ValidationError("too long")
            self._url(raw)
        except ValidationError:
            self.error(
                row.line,
                column,
                _(
                    "“%(value)s” is not a web address (http:// or https://, at most 1000 "
                    "characters)."
                )
                % {"value": raw[:80]},
            )
            return ""
        return raw

    # rows
    def add(self, row: _Row) -> None:
        handle = row.get("Handle")
        if not handle:
            self.error(row.line, "Handle", _("The handle is missing."))
            return
        if len(handle) > 255 or not HANDLE_RE.match(handle):
            self.error(
                row.line,
                "Handle",
                _(
                    "“%(value)s” is not a valid handle: use only letters, numbers, hyphens "
                    "and underscores (for example gold-hoop-earrings)."
                )
                % {"value": handle[:80]},
            )
            return
        product = self.products.get(handle)
        first = product is None
        if first:
            product = self._product(handle, row)
            self.products[handle] = product
        # A product row without any variant value (no price, no options...) leaves the
        # product's variants alone: a file may update only the product's texts.
        if row.any(VARIANT_COLUMNS):
            self._variant(product, row)
        self._images(product, row)

    def _product(self, handle: str, row: _Row) -> _Product:
        names = tuple(self.text(row, column) for column in OPTION_NAME_COLUMNS)
        return _Product(
            handle=handle,
            line=row.line,
            title=self.text(row, "Title"),
            body=row.get("Body (HTML)"),
            vendor=self.text(row, "Vendor"),
            product_type=self.text(row, "Type"),
            tags=self.text(row, "Tags"),
            published=self.boolean(row, "Published"),
            option_names=_drop_default_option(names),  # type: ignore[arg-type]
            seo_title=row.get("SEO Title"),
            seo_description=row.get("SEO Description"),
        )

    def _variant(self, product: _Product, row: _Row) -> None:
        options = tuple(self.text(row, column) for column in OPTION_VALUE_COLUMNS)
        if options[0].lower() == DEFAULT_OPTION_VALUE.lower() and not any(options[1:]):
            options = ("", "", "")
        variant = _Variant(line=row.line, options=options)  # type: ignore[arg-type]
        variant.sku = self.text(row, "Variant SKU")
        variant.price = self.decimal(row, "Variant Price", required=True)
        variant.compare_at_price = self.decimal(row, "Variant Compare At Price")
        variant.stock = self.integer(row, "Variant Inventory Qty") or 0
        variant.grams = self.decimal(row, "Variant Grams", maximum=MAX_GRAMS)
        variant.barcode = self.text(row, "Variant Barcode")
        variant.image_src = self.url(row, "Variant Image")
        if variant.sku:
            seen = self.sku_lines.get(variant.sku)
            if seen is not None:
                self.error(
                    row.line,
                    "Variant SKU",
                    _("SKU “%(sku)s” is already used on line %(line)s of this file.")
                    % {"sku": variant.sku, "line": seen},
                )
            else:
                self.sku_lines[variant.sku] = row.line
        for other in product.variants:
            if other.options == variant.options:
                self.error(
                    row.line,
                    "Option1 Value",
                    _(
                        "The variant on line %(line)s of this product has the same option "
                        "values (%(options)s); each variant needs its own."
                    )
                    % {
                        "line": other.line,
                        "options": " / ".join(v for v in options if v) or _("none"),
                    },
                )
                break
        product.variants.append(variant)
        if variant.image_src and variant.image_src not in product.images:
            product.images[variant.image_src] = _Image(
                src=variant.image_src, line=row.line, from_variant=True
            )

    def _images(self, product: _Product, row: _Row) -> None:
        src = self.url(row, "Image Src")
        if not src:
            return
        position = self.integer(row, "Image Position", minimum=0)
        alt_text = self.text(row, "Image Alt Text")
        image = product.images.get(src)
        if image is None or image.from_variant:
            # A picture listed in Image Src takes its place in the gallery even when a variant
            # row above already named it.
            product.images.pop(src, None)
            product.images[src] = _Image(
                src=src, line=row.line, position=position, alt_text=alt_text
            )


def _drop_default_option(names: tuple[str, ...]) -> tuple[str, ...]:
    if names[0].lower() == DEFAULT_OPTION_NAME.lower() and not any(names[1:]):
        return ("", "", "")
    return names


def _parse(text: str, report: ImportReport) -> _Parser | None:
    records = _records(text)
    header_line, header = next(
        ((line, cells) for line, cells in records if any(cell.strip() for cell in cells)),
        (0, []),
    )
    if not header:
        raise _FileProblem(_("The file is empty."))
    canonical = {column.lower(): column for column in SHOPIFY_COLUMNS}
    names = [canonical.get(cell.strip().lower(), "") for cell in header]
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        raise _FileProblem(
            _("The header has these columns more than once: %(columns)s.")
            % {"columns": ", ".join(duplicates)},
            line=header_line,
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise _FileProblem(
            _(
                "The header line lacks the required columns %(columns)s. Is this a Shopify "
                "product CSV? Its first line must name the columns (Handle, Title, Body "
                "(HTML), ...)."
            )
            % {"columns": ", ".join(missing)},
            line=header_line,
        )
    parser = _Parser(report, {n for n in names if n})
    width = len(names)
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        report.rows += 1
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            parser.error(
                line,
                "",
                _(
                    "This row has %(count)s values but the header has %(width)s columns; "
                    "check the quotes and commas of this row."
                )
                % {"count": len(cells), "width": width},
            )
            continue
        row = _Row(
            line,
            {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name},
        )
        parser.add(row)
    if report.rows == 0:
        raise _FileProblem(_("The file has a header but no product rows."))
    return parser


# --- checks against the database and writing -------------------------------------------------
class _Writer:
    def __init__(self, parser: _Parser, report: ImportReport, dry_run: bool):
        self.parser = parser
        self.columns = parser.columns
        self.report = report
        self.dry_run = dry_run
        self.vocabulary = Vocabulary.load()
        self.categories: dict[str, Category] = {}
        self.materials: dict[str, Material] = {}
        self.gemstones: dict[str, GemstoneType] = {}
        self.created_images: list[ProductImage] = []
        handles = list(parser.products)
        self.existing: dict[str, Product] = {
            product.handle: product
            for product in Product.objects.filter(handle__in=handles)
            .select_related("category")
            .prefetch_related("translations", "variants", "images", "materials", "gemstones")
        }

    def has(self, column: str) -> bool:
        return column in self.columns

    def check(self) -> None:
        """The problems only the database can reveal: new products without title, SKUs in use."""
        for product in self.parser.products.values():
            if not product.title and product.handle not in self.existing:
                self.report.add_error(
                    product.line,
                    "Title",
                    _("The first row of a new product needs a title."),
                )
        owners = {}
        for product in self.parser.products.values():
            for variant in product.variants:
                if variant.sku:
                    owners[variant.sku] = (product.handle, variant.line)
        if not owners:
            return
        taken = ProductVariant.objects.filter(sku__in=list(owners)).select_related("product")
        for variant in taken:
            handle, line = owners[variant.sku]
            if variant.product.handle != handle:
                self.report.add_error(
                    line,
                    "Variant SKU",
                    _("SKU “%(sku)s” already belongs to the product “%(handle)s”.")
                    % {"sku": variant.sku, "handle": variant.product.handle},
                )

    def write(self) -> None:
        for parsed in self.parser.products.values():
            try:
                self._write_product(parsed)
            except ValidationError as exc:
                for message in exc.messages:
                    self.report.add_error(parsed.line, "", message)
                raise _Rollback from exc
        self._write_option_labels()

    def _write_option_labels(self) -> None:
        """Option names and values in every language the vocabulary knows them in ("14K Rose
        Gold" -> "Or rose 14 carats"); the others get their source text only, for translators.
        A label a translator already wrote is kept."""
        products = self.parser.products.values()
        option_labels_fill(
            names=[name for parsed in products for name in parsed.option_names],
            values=[value for parsed in products for v in parsed.variants for value in v.options],
        )

    # lookups that create what is missing
    def _category(self, term: Term) -> Category:
        if term.slug in self.categories:
            return self.categories[term.slug]
        category = Category.objects.filter(slug=term.slug).first()
        if category is None:
            parent_term = CATEGORY_PARENTS.get(term.slug)
            category = Category(
                slug=term.slug, parent=self._category(parent_term) if parent_term else None
            )
            category.set_current_language("en")
            category.name = term.name
            category.full_clean()
            category.save()
        self.categories[term.slug] = category
        return category

    def _material(self, term: Term) -> Material:
        if term.slug not in self.materials:
            material = Material.objects.filter(slug=term.slug).first()
            if material is None:
                material = Material(
                    slug=term.slug, kind=term.kind or OTHER, colour_hex=term.colour_hex
                )
                material.set_current_language("en")
                material.name = term.name
                material.full_clean()
                material.save()
            self.materials[term.slug] = material
        return self.materials[term.slug]

    def _gemstone(self, term: Term) -> GemstoneType:
        if term.slug not in self.gemstones:
            gem = GemstoneType.objects.filter(slug=term.slug).first()
            if gem is None:
                gem = GemstoneType(slug=term.slug, colour_hex=term.colour_hex)
                gem.set_current_language("en")
                gem.name = term.name
                gem.full_clean()
                gem.save()
            self.gemstones[term.slug] = gem
        return self.gemstones[term.slug]

    # one product
    def _write_product(self, parsed: _Product) -> None:
        product = self.existing.get(parsed.handle)
        created = product is None
        if product is None:
            product = Product(handle=parsed.handle)
        self._set_product_fields(product, parsed, created)
        english = {
            name: product.safe_translation_getter(name, default="", language_code="en")
            if not created
            else ""
            for name in ("name", "description", "seo_title", "seo_description")
        }
        product_set_translation(
            product=product,
            language="en",
            name=parsed.title or english["name"],
            description=parsed.body if self.has("Body (HTML)") else english["description"],
            seo_title=parsed.seo_title if self.has("SEO Title") else english["seo_title"],
            seo_description=(
                parsed.seo_description
                if self.has("SEO Description")
                else english["seo_description"]
            ),
        )
        if created:
            self.report.products_created += 1
        else:
            self.report.products_updated += 1

        category_slug = product.category.slug if product.category else ""
        tag_metals = self.vocabulary.metals_in(product.tags)
        variant_metals = {
            id(variant): self._variant_metal(parsed, variant) for variant in parsed.variants
        }
        gems = self.vocabulary.gems_in(product.tags)
        self._set_materials(product, created, [t for t in variant_metals.values() if t])
        if self.has("Tags"):
            self._set_gemstones(product, created, gems)
        first_metal = next((t for t in variant_metals.values() if t), None) or next(
            iter(tag_metals), None
        )
        images = self._write_images(
            product,
            parsed,
            created,
            category_slug=category_slug,
            metal_hex=first_metal.colour_hex if first_metal else DEFAULT_METAL_HEX,
            gem_hex=gems[0].colour_hex if gems else None,
            # A variant's own picture shows that variant's metal.
            image_metals={
                variant.image_src: metal.colour_hex
                for variant in parsed.variants
                if variant.image_src and (metal := variant_metals[id(variant)])
            },
        )
        if parsed.variants:
            self._write_variants(product, parsed, created, images, variant_metals, category_slug)
        product_refresh_availability(product=product)

    def _set_product_fields(self, product: Product, parsed: _Product, created: bool) -> None:
        if self.has("Vendor") or created:
            product.vendor = parsed.vendor
        if self.has("Tags") or created:
            product.tags = parsed.tags
        if self.has("Type") or created:
            # A merchant who moved a product to another category in the admin keeps that
            # choice as long as the file does not change its type.
            keep = (
                not created
                and product.category_id is not None
                and product.product_type == parsed.product_type
            )
            product.product_type = parsed.product_type
            if not keep:
                term = category_term_for_type(parsed.product_type)
                product.category = self._category(term) if term else None
        for index, column in enumerate(OPTION_NAME_COLUMNS, start=1):
            if self.has(column) or created:
                setattr(product, f"option{index}_name", parsed.option_names[index - 1])
        if parsed.published is True:
            product.status = PublicationStatus.PUBLISHED
            product.published_at = product.published_at or timezone.now()
        elif parsed.published is False:
            if product.status != PublicationStatus.ARCHIVED:
                product.status = PublicationStatus.DRAFT
        elif created:
            # Nothing goes live by accident: a new product without Published is a draft.
            product.status = PublicationStatus.DRAFT

    def _variant_metal(self, parsed: _Product, variant: _Variant) -> Term | None:
        for name, value in zip(parsed.option_names, variant.options, strict=True):
            if value and name.strip().lower() in METAL_OPTION_NAMES:
                found = self.vocabulary.metals_in(value)
                if found:
                    return found[0]
        return None

    def _set_materials(self, product: Product, created: bool, metals: list[Term]) -> None:
        if self.has("Tags") or created:
            terms = {t.slug: t for t in [*self.vocabulary.materials_in(product.tags), *metals]}
            wanted = [self._material(term) for term in terms.values()]
            current = set() if created else {m.pk for m in product.materials.all()}
            if current != {m.pk for m in wanted}:
                product.materials.set(wanted)
        elif metals:
            product.materials.add(*[self._material(term) for term in metals])

    def _set_gemstones(self, product: Product, created: bool, gems: list[Term]) -> None:
        wanted = {term.slug: term for term in gems}
        existing = [] if created else list(product.gemstones.select_related("gemstone_type"))
        have = set()
        for row in existing:
            if row.gemstone_type.slug in wanted:
                have.add(row.gemstone_type.slug)
            else:
                row.delete()
        for slug, term in wanted.items():
            if slug not in have:
                gem = ProductGemstone(product=product, gemstone_type=self._gemstone(term))
                gem.full_clean()
                gem.save()

    def _write_images(
        self,
        product: Product,
        parsed: _Product,
        created: bool,
        *,
        category_slug: str,
        metal_hex: str,
        gem_hex: str | None,
        image_metals: dict[str, str],
    ) -> dict[str, ProductImage]:
        existing = [] if created else list(product.images.all())
        known: dict[str, ProductImage] = {}
        for image in existing:
            known.setdefault(image_public_url(image), image)
            if image.source_url:
                known.setdefault(image.source_url, image)
        by_src: dict[str, ProductImage] = {}
        next_position = 1 + max(
            [i.position for i in parsed.images.values() if i.position is not None] or [0]
        )
        hint = _drawing_hint(category_slug, parsed.handle, product.product_type, product.tags)
        for index, (src, parsed_image) in enumerate(parsed.images.items()):
            position = parsed_image.position
            if position is None:
                position = index + 1 if not parsed_image.from_variant else next_position
                next_position = max(next_position, position) + 1
            image = known.get(src)
            if image is not None:
                changed = image.position != position
                image.position = position
                if self.has("Image Alt Text") and not parsed_image.from_variant:
                    changed |= image.alt_text != parsed_image.alt_text
                    image.alt_text = parsed_image.alt_text
                if changed:
                    ProductImage.objects.filter(pk=image.pk).update(
                        position=image.position, alt_text=image.alt_text
                    )
                by_src[src] = image
                continue
            self.report.images_added += 1
            if self.dry_run:
                continue
            by_src[src] = self._placeholder(
                product,
                parsed_image,
                position,
                index,
                hint,
                image_metals.get(src, metal_hex),
                gem_hex,
            )
        return by_src

    def _placeholder(
        self,
        product: Product,
        parsed_image: _Image,
        position: int,
        index: int,
        hint: str,
        metal_hex: str,
        gem_hex: str | None,
    ) -> ProductImage:
        from catalog.drawing import render_product_png
        from catalog.images import product_image_create

        png = render_product_png(
            seed=product.handle,
            category_slug=hint,
            metal_hex=metal_hex,
            gem_hex=gem_hex,
            size=getattr(settings, "SHOP_IMPORT_PLACEHOLDER_SIZE", PLACEHOLDER_SIZE),
            view=index,
        )
        image = product_image_create(
            product=product,
            file=io.BytesIO(png),
            alt_text=parsed_image.alt_text,
            position=position,
            source_url=parsed_image.src,
        )
        self.created_images.append(image)
        return image

    def _write_variants(
        self,
        product: Product,
        parsed: _Product,
        created: bool,
        images: dict[str, ProductImage],
        metals: dict[int, Term | None],
        category_slug: str,
    ) -> None:
        existing = [] if created else list(product.variants.all())
        used: set[int] = set()
        plan: list[tuple[_Variant, ProductVariant | None]] = []
        by_sku = {v.sku: v for v in existing if v.sku}
        for variant in parsed.variants:
            target = by_sku.get(variant.sku) if variant.sku else None
            if target is not None and target.pk in used:
                target = None
            if target is None:
                target = next(
                    (
                        v
                        for v in existing
                        if v.pk not in used and (v.option1, v.option2, v.option3) == variant.options
                    ),
                    None,
                )
            if target is not None:
                used.add(target.pk)
            plan.append((variant, target))

        gone = [v.pk for v in existing if v.pk not in used]
        if gone:
            ProductVariant.objects.filter(pk__in=gone).delete()
            self.report.variants_deleted += len(gone)
        # Free the SKUs that move between variants of this product before any is saved.
        moving = [
            target.pk
            for variant, target in plan
            if target is not None and self.has("Variant SKU") and target.sku != variant.sku
        ]
        if moving:
            ProductVariant.objects.filter(pk__in=moving).update(sku="")

        ring = is_ring(category_slug, product.product_type)
        tag_purity = purity_in(product.tags)
        for position, (variant, target) in enumerate(plan):
            row = target or ProductVariant(product=product)
            row.position = position
            row.option1, row.option2, row.option3 = variant.options
            row.price = variant.price
            if self.has("Variant SKU") or target is None:
                row.sku = variant.sku
            if self.has("Variant Compare At Price"):
                row.compare_at_price = variant.compare_at_price
            if self.has("Variant Inventory Qty"):
                row.stock_quantity = variant.stock
            if self.has("Variant Grams"):
                row.weight_grams = variant.grams
            if self.has("Variant Barcode"):
                row.barcode = variant.barcode
            if self.has("Variant Image"):
                row.image = images.get(variant.image_src) if variant.image_src else None
            metal = metals.get(id(variant))
            if metal is not None:
                row.metal = self._material(metal)
            purity = purity_in(" ".join(variant.options))
            if not purity and purity_fits(tag_purity, row.metal.slug if row.metal else ""):
                purity = tag_purity
            if purity:
                row.purity = purity
            if ring:
                for name, value in zip(parsed.option_names, variant.options, strict=True):
                    if value and name.strip().lower() in RING_SIZE_OPTION_NAMES:
                        row.ring_size = value[:8]
            try:
                row.full_clean()
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    for message in messages:
                        self.report.add_error(variant.line, _variant_column(column), message)
                raise _Rollback from exc
            row.save()
            if target is None:
                self.report.variants_created += 1
            else:
                self.report.variants_updated += 1

    def discard_created_files(self) -> None:
        for image in self.created_images:
            for stored in (image.image, image.thumbnail):
                if stored and stored.name:
                    with contextlib.suppress(OSError):
                        stored.storage.delete(stored.name)


def _variant_column(field_name: str) -> str:
    return {
        "sku": "Variant SKU",
        "price": "Variant Price",
        "compare_at_price": "Variant Compare At Price",
        "stock_quantity": "Variant Inventory Qty",
        "weight_grams": "Variant Grams",
        "barcode": "Variant Barcode",
        "ring_size": "Option1 Value",
        "option1": "Option1 Value",
        "option2": "Option2 Value",
        "option3": "Option3 Value",
    }.get(field_name, "")


def _drawing_hint(category_slug: str, handle: str, product_type: str, tags: str) -> str:
    """What the placeholder should show: the category, refined by words such as bangle or hoop."""
    text = f"{handle} {product_type} {tags}".lower()
    words = ("bangle", "cuff", "tennis", "hoop", "drop", "dangle", "stud", "pendant", "cocktail")
    hints = [word for word in words if word in text]
    return "-".join([*hints, category_slug or slugify(product_type) or "ring"])


# --- the service ------------------------------------------------------------------------------
def import_shopify_csv(*, file: BinaryIO | TextIO, dry_run: bool = False) -> ImportReport:
    """Imports a Shopify product CSV; all or nothing. Returns what was done or what is wrong.

    `file` is a binary file (or a text file already decoded). Nothing is written when the
    report has errors, nor when dry_run is set (the counts then say what would happen).
    """
    report = ImportReport(dry_run=dry_run)
    try:
        text = _decode(_read_bytes(file))
        parser = _parse(text, report)
    except _FileProblem as problem:
        report.errors.append(RowError(problem.line, "", problem.message))
        return report
    if parser is None:
        return report

    writer: _Writer | None = None
    committed = False
    try:
        with transaction.atomic():
            writer = _Writer(parser, report, dry_run)
            writer.check()
            if not report.ok:
                raise _Rollback
            writer.write()
            if dry_run:
                transaction.set_rollback(True)
        committed = True
    except _Rollback:
        pass
    except IntegrityError:
        report.add_error(
            None,
            "",
            _("The catalogue changed while the file was being imported. Please import it again."),
        )
    finally:
        # Rolled back rows leave their picture files behind unless removed here.
        if writer is not None and not committed:
            writer.discard_created_files()
    if not report.ok:
        _reset_counts(report)
    elif committed and not dry_run:
        # The imported products' text changed: mark them for the search (the periodic sweep
        # re-embeds them) and announce it (ai re-embeds them soon, in a job).
        product_ids = list(
            Product.objects.filter(handle__in=list(parser.products)).values_list("pk", flat=True)
        )
        products_mark_search_dirty(product_ids=product_ids)
        announce_products_changed(product_ids=product_ids)
    return report


def _reset_counts(report: ImportReport) -> None:
    report.products_created = report.products_updated = 0
    report.variants_created = report.variants_updated = report.variants_deleted = 0
    report.images_added = 0
