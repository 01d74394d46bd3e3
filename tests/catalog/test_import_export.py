"""Shopify product CSV import and export: the service, the commands and the admin upload page."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin import AdminSite, ModelAdmin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import path, reverse

from catalog.admin_import import product_import_urls
from catalog.drawing import render_product_png
from catalog.exporters import export_shopify_csv
from catalog.images import product_image_create
from catalog.importers import import_shopify_csv
from catalog.importers.shopify import SHOPIFY_COLUMNS
from catalog.models import (
    Category,
    GemstoneType,
    Material,
    Product,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)
from customers.models import User
from shop import urls as shop_urls
from tests.factories import MaterialFactory, ProductFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "shopify"
REAL_HEADER = ",".join(SHOPIFY_COLUMNS)
RING = "solitaire-engagement-ring"
FRONT = "https://cdn.example.com/photos/solitaire-front.jpg"
SIDE = "https://cdn.example.com/photos/solitaire-side.jpg"
BOX = "https://cdn.example.com/photos/solitaire-box.jpg"


# --- an admin site of its own, so the upload page is tested however catalog/admin.py is wired --
class _ProductImportAdmin(ModelAdmin):
    def get_urls(self):
        return product_import_urls(self) + super().get_urls()


_site = AdminSite(name="admin")
_site.register(Product, _ProductImportAdmin)
urlpatterns = [path("admin/", _site.urls)] + [
    pattern for pattern in shop_urls.urlpatterns if getattr(pattern, "namespace", None) != "admin"
]


@pytest.fixture(autouse=True)
def _small_placeholders(settings):
    # Placeholder pictures are drawn for every imported image; small ones keep the suite quick.
    settings.SHOP_IMPORT_PLACEHOLDER_SIZE = 160


def run_import(source, *, dry_run=False):
    data = (DATA / source).read_bytes() if isinstance(source, str) else source
    return import_shopify_csv(file=io.BytesIO(data), dry_run=dry_run)


def csv_bytes(rows, header=SHOPIFY_COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def export_text(**kwargs) -> str:
    out = io.StringIO(newline="")
    export_shopify_csv(out=out, **kwargs)
    return out.getvalue()


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def error_lines(report) -> list[int | None]:
    return sorted(error.line for error in report.errors)


# --- importing a good file --------------------------------------------------------------------
@pytest.mark.django_db
def test_good_file_creates_products_variants_and_images():
    report = run_import("good.csv")

    assert report.ok, report.as_text()
    assert (report.products_created, report.variants_created, report.images_added) == (4, 6, 5)
    assert Product.objects.count() == 4
    assert ProductVariant.objects.count() == 6
    assert ProductImage.objects.count() == 5
    assert "4 products created" in report.as_text()


@pytest.mark.django_db
def test_imported_ring_has_exact_prices_metals_sizes_and_category():
    run_import("good.csv")

    ring = Product.objects.get(handle=RING)
    variants = list(ring.variants.select_related("metal", "image"))
    assert ring.name == "Solitaire Engagement Ring"
    assert ring.status == PublicationStatus.PUBLISHED and ring.published_at is not None
    assert (ring.category.slug, ring.category.parent.slug) == ("engagement-rings", "rings")
    assert (ring.vendor, ring.product_type) == ("Aurelia", "Engagement Ring")
    assert (ring.option1_name, ring.option2_name) == ("Metal", "Ring size")
    assert ring.seo_title == "Solitaire diamond engagement ring"
    assert [v.price for v in variants] == [Decimal("1299.00"), Decimal("1199.99")]
    assert variants[0].compare_at_price == Decimal("1499.00")
    assert variants[1].compare_at_price is None
    assert [v.sku for v in variants] == ["SOL-YG-6", "SOL-WG-7"]
    assert [v.stock_quantity for v in variants] == [4, 0]
    assert variants[0].weight_grams == Decimal("3.50")
    assert variants[0].barcode == "0123456789012"
    assert [v.metal.slug for v in variants] == ["yellow-gold", "white-gold"]
    assert [v.purity for v in variants] == ["18K", "14K"]
    assert [v.ring_size for v in variants] == ["6", "7"]
    assert variants[1].image.source_url == SIDE
    assert (ring.price_min, ring.price_max, ring.in_stock) == (
        Decimal("1199.99"),
        Decimal("1299.00"),
        True,
    )
    assert {g.gemstone_type.slug for g in ring.gemstones.all()} == {"diamond"}
    assert {m.slug for m in ring.materials.all()} == {"yellow-gold", "white-gold"}
    assert ring.search_index_dirty is True


@pytest.mark.django_db
def test_an_import_marks_its_products_and_queues_their_re_embedding_on_commit(
    django_capture_on_commit_callbacks,
):
    from shop.models import Job, JobStatus

    # When a file is imported
    with django_capture_on_commit_callbacks(execute=False):
        report = run_import("good.csv")

    # Then its products wait for the search and a re-index job of the dirty ones is queued,
    # its task sent to the worker only once committed
    assert report.ok, report.as_text()
    assert Product.objects.filter(search_index_dirty=False).count() == 0
    job = Job.objects.get()
    assert (job.kind, job.status) == ("search.reindex_dirty", JobStatus.QUEUED)
    assert job.enqueued_at is None


@pytest.mark.django_db
def test_imported_images_keep_their_address_and_get_a_drawn_picture():
    run_import("good.csv")

    images = list(Product.objects.get(handle=RING).images.all())
    assert [(i.source_url, i.position) for i in images] == [(FRONT, 1), (SIDE, 2), (BOX, 3)]
    assert images[0].alt_text == "Solitaire ring seen from the front"
    for image in images:
        assert image.image.storage.exists(image.image.name)
        assert image.thumbnail.storage.exists(image.thumbnail.name)
        assert (image.width, image.height) == (160, 160)


@pytest.mark.django_db
def test_tags_types_and_published_flags_map_to_the_catalogue():
    run_import("good.csv")

    pearl = Product.objects.get(handle="pearl-drop-pendant")
    studs = Product.objects.get(handle="sapphire-studs")
    clip = Product.objects.get(handle="silk-hair-clip")
    assert pearl.status == PublicationStatus.DRAFT
    assert pearl.category.slug == "pendants"
    assert {m.slug for m in pearl.materials.all()} == {"pearl", "sterling-silver"}
    assert {g.gemstone_type.slug for g in pearl.gemstones.all()} == {"pearl"}
    pearl_variant = pearl.variants.get()
    # Shopify's "Title / Default Title" means: no options.
    assert (pearl.option1_name, pearl_variant.option1) == ("", "")
    assert (pearl_variant.price, pearl_variant.stock_quantity) == (Decimal("89.50"), 0)
    assert pearl.in_stock is False
    assert studs.status == PublicationStatus.PUBLISHED
    assert studs.category.slug == "earrings"
    assert {g.gemstone_type.slug for g in studs.gemstones.all()} == {"sapphire"}
    assert [(v.metal.slug, v.purity) for v in studs.variants.select_related("metal")] == [
        ("platinum", "950"),
        ("white-gold", ""),
    ]
    assert clip.status == PublicationStatus.PUBLISHED
    assert clip.category.slug == "hair-clip"
    assert clip.category.safe_translation_getter("name", language_code="en") == "Hair Clip"
    assert GemstoneType.objects.get(slug="sapphire").colour_hex.startswith("#")
    assert Material.objects.get(slug="silk").kind == Material.Kind.OTHER
    assert Material.objects.get(slug="platinum").kind == Material.Kind.METAL


@pytest.mark.django_db
def test_script_in_description_is_stripped_and_formatting_kept():
    run_import("good.csv")

    description = Product.objects.get(handle=RING).description
    assert "<script" not in description
    assert "stolen cookies" not in description
    assert "<strong>round brilliant</strong>" in description
    assert "<li>0.50 ct diamond</li>" in description


@pytest.mark.django_db
def test_existing_materials_and_categories_are_reused():
    MaterialFactory(slug="yellow-gold", name="Yellow gold")
    Category.objects.create(slug="rings", name="Rings")

    run_import("good.csv")

    assert Material.objects.filter(slug="yellow-gold").count() == 1
    assert Category.objects.filter(slug="rings").count() == 1
    assert Category.objects.get(slug="engagement-rings").parent.slug == "rings"


@pytest.mark.django_db
def test_an_already_decoded_text_file_imports_too():
    text = (DATA / "good.csv").read_text(encoding="utf-8")

    report = import_shopify_csv(file=io.StringIO(text, newline=""))

    assert report.ok, report.as_text()
    assert Product.objects.count() == 4


@pytest.mark.django_db
def test_new_product_without_published_is_a_draft_and_archived_stays_archived():
    ProductFactory(handle="old-ring", status=PublicationStatus.ARCHIVED)
    rows = [
        {"Handle": "new-ring", "Title": "New Ring", "Variant Price": "10"},
        {"Handle": "old-ring", "Title": "Old Ring", "Published": "false", "Variant Price": "10"},
    ]

    report = run_import(csv_bytes(rows))

    assert report.ok, report.as_text()
    assert Product.objects.get(handle="new-ring").status == PublicationStatus.DRAFT
    assert Product.objects.get(handle="old-ring").status == PublicationStatus.ARCHIVED


# --- importing again --------------------------------------------------------------------------
@pytest.mark.django_db
def test_importing_the_same_file_twice_duplicates_nothing():
    run_import("good.csv")

    report = run_import("good.csv")

    assert report.ok, report.as_text()
    assert (report.products_created, report.products_updated) == (0, 4)
    assert (report.variants_created, report.variants_updated, report.images_added) == (0, 6, 0)
    assert Product.objects.count() == 4
    assert ProductVariant.objects.count() == 6
    assert ProductImage.objects.count() == 5


@pytest.mark.django_db
def test_second_file_updates_prices_and_titles_and_drops_missing_variants():
    run_import("good.csv")
    studs_before = list(
        ProductVariant.objects.filter(product__handle="sapphire-studs").values_list("pk", "price")
    )

    report = run_import("update.csv")

    assert report.ok, report.as_text()
    assert (report.products_created, report.products_updated) == (0, 2)
    assert (report.variants_updated, report.variants_deleted) == (2, 1)
    assert report.images_added == 0
    ring = Product.objects.get(handle=RING)
    assert ring.name == "Solitaire Diamond Ring"
    assert list(ring.variants.values_list("sku", "price")) == [("SOL-YG-6", Decimal("1349.00"))]
    assert ring.price_min == ring.price_max == Decimal("1349.00")
    urls = list(ring.images.values_list("source_url", flat=True))
    assert len(urls) == len(set(urls)) == 3
    assert Product.objects.get(handle="pearl-drop-pendant").variants.get().stock_quantity == 7
    # Products that are not in the file are left alone.
    assert Product.objects.count() == 4
    assert (
        list(
            ProductVariant.objects.filter(product__handle="sapphire-studs").values_list(
                "pk", "price"
            )
        )
        == studs_before
    )


@pytest.mark.django_db
def test_row_without_title_keeps_the_name_of_an_existing_product():
    run_import("good.csv")
    data = csv_bytes([{"Handle": "silk-hair-clip", "Variant Price": "30", "Type": "Hair Clip"}])

    report = run_import(data)

    assert report.ok, report.as_text()
    clip = Product.objects.get(handle="silk-hair-clip")
    assert clip.name == "Silk Hair Clip"
    assert clip.variants.get().price == Decimal("30.00")


@pytest.mark.django_db
def test_variants_are_matched_by_options_when_the_file_has_no_sku():
    run_import("good.csv")
    clip_variant = ProductVariant.objects.get(product__handle="silk-hair-clip")
    data = csv_bytes(
        [
            {
                "Handle": "silk-hair-clip",
                "Title": "Silk Hair Clip",
                "Option1 Name": "Title",
                "Option1 Value": "Default Title",
                "Variant Price": "27.50",
            }
        ]
    )

    run_import(data)

    assert list(ProductVariant.objects.filter(product__handle="silk-hair-clip")) == [clip_variant]
    clip_variant.refresh_from_db()
    assert clip_variant.price == Decimal("27.50")


# --- files with problems ----------------------------------------------------------------------
@pytest.mark.django_db
def test_file_with_two_bad_rows_imports_nothing_and_names_both_lines(settings):
    report = run_import("bad_rows.csv")

    assert not report.ok
    # Lines as a spreadsheet shows them: the quoted descriptions span several lines.
    assert error_lines(report) == [5, 6]
    by_line = {error.line: error for error in report.errors}
    assert by_line[5].column == "Variant Price" and "abc" in by_line[5].message
    assert by_line[6].column == "Variant Inventory Qty" and "-3" in by_line[6].message
    text = report.as_text()
    assert "Line 5, Variant Price" in text and "Line 6, Variant Inventory Qty" in text
    assert "nothing was saved" in text
    assert Product.objects.count() == 0
    assert Category.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_line_numbers_hold_for_excel_files_with_bom_and_crlf():
    data = b"\xef\xbb\xbf" + (DATA / "bad_rows.csv").read_bytes().replace(b"\n", b"\r\n")

    report = run_import(data)

    assert error_lines(report) == [5, 6]


@pytest.mark.django_db
def test_each_kind_of_bad_value_is_reported_on_its_line():
    rows = [
        {"Title": "No handle", "Variant Price": "1"},
        {"Handle": "Gold Ring!", "Title": "Bad handle", "Variant Price": "1"},
        {"Handle": "no-title", "Variant Price": "1"},
        {"Handle": "bad-published", "Title": "X", "Published": "maybe", "Variant Price": "1"},
        {"Handle": "negative", "Title": "X", "Variant Price": "-5"},
        {"Handle": "too-precise", "Title": "X", "Variant Price": "12.345"},
        {
            "Handle": "fraction-stock",
            "Title": "X",
            "Variant Price": "1",
            "Variant Inventory Qty": "1.5",
        },
        {"Handle": "no-price", "Title": "X", "Option1 Name": "Size", "Option1 Value": "S"},
        {"Handle": "ftp-image", "Title": "X", "Variant Price": "1", "Image Src": "ftp://x/y.jpg"},
        {"Handle": "nan-price", "Title": "X", "Variant Price": "NaN"},
    ]

    report = run_import(csv_bytes(rows))

    found = {(error.line, error.column) for error in report.errors}
    assert found == {
        (2, "Handle"),
        (3, "Handle"),
        (4, "Title"),
        (5, "Published"),
        (6, "Variant Price"),
        (7, "Variant Price"),
        (8, "Variant Inventory Qty"),
        (9, "Variant Price"),
        (10, "Image Src"),
        (11, "Variant Price"),
    }
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"\r\n \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "workbook"),
        ((DATA / "missing_header.csv").read_bytes(), "required columns"),
        (REAL_HEADER.encode() + b"\n", "no product rows"),
        ((REAL_HEADER + "\nring,Ring\n").encode("utf-16"), "UTF-16"),
        ((REAL_HEADER + "\nbague,Bague dorée\n").encode("latin-1"), "not UTF-8"),
        ((REAL_HEADER + '\nring,"Ring\n').encode(), "quotes"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "png",
        "control-bytes",
        "xlsx",
        "missing-header",
        "header-only",
        "utf16",
        "latin1",
        "unclosed-quote",
    ],
)
@pytest.mark.django_db
def test_unreadable_files_give_one_clear_error_and_write_nothing(data, expected):
    report = run_import(data)

    assert not report.ok
    assert len(report.errors) == 1
    assert expected.lower() in report.errors[0].message.lower()
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_wrong_encoding_error_names_the_line():
    data = (REAL_HEADER + "\nring,Ring,,,,,,,,,,,,,,,,,,10\nbague,Bague dorée\n").encode("latin-1")

    report = run_import(data)

    assert report.errors[0].line == 3


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused(settings):
    settings.SHOP_MAX_IMPORT_BYTES = 500

    report = run_import("good.csv")

    assert not report.ok
    assert "too large" in report.errors[0].message
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_a_sku_twice_in_the_file_is_an_error():
    report = run_import("duplicate_sku.csv")

    assert [(e.line, e.column) for e in report.errors] == [(3, "Variant SKU")]
    assert "line 2" in report.errors[0].message
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_a_sku_of_another_product_is_an_error():
    ProductFactory(handle="existing-ring", variants=[{"price": Decimal("5"), "sku": "RING-1"}])
    data = csv_bytes(
        [{"Handle": "new-ring", "Title": "New", "Variant SKU": "RING-1", "Variant Price": "9"}]
    )

    report = run_import(data)

    assert [(e.line, e.column) for e in report.errors] == [(2, "Variant SKU")]
    assert "existing-ring" in report.errors[0].message
    assert not Product.objects.filter(handle="new-ring").exists()


@pytest.mark.django_db
def test_two_variants_with_the_same_options_are_an_error():
    rows = [
        {
            "Handle": "ring",
            "Title": "Ring",
            "Option1 Name": "Size",
            "Option1 Value": "6",
            "Variant Price": "1",
        },
        {"Handle": "ring", "Option1 Value": "6", "Variant Price": "2"},
    ]

    report = run_import(csv_bytes(rows))

    assert error_lines(report) == [3]
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_reports_what_would_change_and_writes_nothing(settings):
    report = run_import("good.csv", dry_run=True)

    assert report.ok, report.as_text()
    assert (report.products_created, report.variants_created, report.images_added) == (4, 6, 5)
    assert "Dry run" in report.as_text()
    assert Product.objects.count() == 0
    assert Material.objects.count() == 0
    assert stored_files(settings) == []


# --- export -----------------------------------------------------------------------------------
def _wipe_catalogue():
    Product.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()
    Material.objects.all().delete()
    GemstoneType.objects.all().delete()


@pytest.mark.django_db
def test_export_writes_the_shopify_layout():
    run_import("good.csv")

    rows = list(csv.reader(io.StringIO(export_text())))

    assert rows[0] == list(SHOPIFY_COLUMNS)
    assert all(len(row) == 46 for row in rows)
    # One row per variant and per extra image: 3 + 1 + 2 + 1.
    assert [row[0] for row in rows[1:]] == [RING] * 3 + ["pearl-drop-pendant"] + [
        "sapphire-studs"
    ] * 2 + ["silk-hair-clip"]
    first = dict(zip(SHOPIFY_COLUMNS, rows[1], strict=True))
    assert first["Variant Price"] == "1299.00"
    assert first["Image Src"] == FRONT
    assert first["Published"] == "true"
    pearl = dict(zip(SHOPIFY_COLUMNS, rows[4], strict=True))
    assert (pearl["Option1 Name"], pearl["Option1 Value"]) == ("Title", "Default Title")
    assert pearl["Published"] == "false"


@pytest.mark.django_db
def test_export_import_into_an_empty_shop_export_gives_the_same_file():
    run_import("good.csv")
    first = export_text()
    _wipe_catalogue()

    report = run_import(first.encode("utf-8"))
    second = export_text()

    assert report.ok, report.as_text()
    assert second == first


@pytest.mark.django_db
def test_round_trip_keeps_products_made_in_the_admin():
    product = ProductFactory(
        handle="admin-made-ring",
        variants=[{"price": Decimal("250.00"), "sku": "ADM-1", "stock_quantity": 3}],
    )
    product.materials.add(MaterialFactory(slug="rose-gold", name="Rose gold"))
    png = render_product_png(
        seed="x", category_slug="rings", metal_hex="#b76e79", gem_hex=None, size=96
    )
    product_image_create(product=product, file=io.BytesIO(png), alt_text="Uploaded photo")
    first = export_text()
    _wipe_catalogue()

    report = run_import(first.encode("utf-8"))
    second = export_text()

    assert report.ok, report.as_text()
    assert second == first
    again = Product.objects.get(handle="admin-made-ring")
    assert {m.slug for m in again.materials.all()} == {"rose-gold"}
    assert again.images.get().alt_text == "Uploaded photo"


@pytest.mark.django_db
def test_reimporting_an_export_into_the_same_shop_adds_no_images():
    product = ProductFactory(handle="photo-ring")
    png = render_product_png(
        seed="y", category_slug="rings", metal_hex="#d4af37", gem_hex=None, size=96
    )
    product_image_create(product=product, file=io.BytesIO(png))

    report = run_import(export_text().encode("utf-8"))

    assert report.ok, report.as_text()
    assert report.images_added == 0
    assert product.images.count() == 1


@pytest.mark.django_db
def test_export_of_chosen_handles_only():
    run_import("good.csv")

    rows = list(csv.reader(io.StringIO(export_text(handles=["pearl-drop-pendant"]))))

    assert [row[0] for row in rows[1:]] == ["pearl-drop-pendant"]


# --- management commands ----------------------------------------------------------------------
@pytest.mark.django_db
def test_import_command_prints_the_report():
    out = io.StringIO()

    call_command("import_products", "--format", "shopify", str(DATA / "good.csv"), stdout=out)

    assert "4 products created" in out.getvalue()
    assert "5 images added" in out.getvalue()
    assert Product.objects.count() == 4


@pytest.mark.django_db
def test_import_command_fails_with_the_bad_lines():
    with pytest.raises(CommandError) as failure:
        call_command("import_products", "--format", "shopify", str(DATA / "bad_rows.csv"))

    assert "Line 5, Variant Price" in str(failure.value)
    assert "Line 6, Variant Inventory Qty" in str(failure.value)
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_import_command_dry_run_saves_nothing():
    out = io.StringIO()

    call_command("import_products", "--dry-run", str(DATA / "good.csv"), stdout=out)

    assert "Dry run" in out.getvalue()
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_import_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_products", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_export_command_writes_a_file_that_imports_back(tmp_path):
    run_import("good.csv")
    target = tmp_path / "products.csv"

    call_command("export_products", "--format", "shopify", str(target), stderr=io.StringIO())

    assert target.read_text(encoding="utf-8") == export_text()


@pytest.mark.django_db
def test_export_command_writes_to_stdout_and_filters_handles():
    run_import("good.csv")
    out = io.StringIO()

    call_command("export_products", "-", "--handle", "silk-hair-clip", stdout=out)

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(SHOPIFY_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["silk-hair-clip"]


@pytest.mark.django_db
def test_export_command_refuses_an_unknown_handle():
    with pytest.raises(CommandError, match="no-such-thing"):
        call_command("export_products", "--handle", "no-such-thing", stdout=io.StringIO())


# --- the admin upload page --------------------------------------------------------------------
IMPORT_URL = "admin:catalog_product_import"


def _upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    content = data if data is not None else (DATA / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.urls(__name__)
def test_merchant_sees_the_upload_form(merchant_client):
    response = merchant_client.get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b"dry_run" in response.content


@pytest.mark.urls(__name__)
def test_merchant_uploads_a_good_file_and_lands_on_the_product_list(merchant_client):
    response = merchant_client.post(
        reverse(IMPORT_URL), {"file": _upload("good.csv")}, follow=False
    )

    assert response.status_code == 302
    assert response.url == reverse("admin:catalog_product_changelist")
    assert Product.objects.count() == 4
    message = list(response.wsgi_request._messages)[0]
    assert "4 products created" in str(message)


@pytest.mark.urls(__name__)
def test_merchant_sees_every_bad_row_and_nothing_is_saved(merchant_client):
    response = merchant_client.post(reverse(IMPORT_URL), {"file": _upload("bad_rows.csv")})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert "<td>5</td>" in page and "<td>6</td>" in page
    assert "abc" in page and "-3" in page
    assert Product.objects.count() == 0


@pytest.mark.urls(__name__)
def test_merchant_dry_run_shows_the_summary_and_saves_nothing(merchant_client):
    response = merchant_client.post(
        reverse(IMPORT_URL), {"file": _upload("good.csv"), "dry_run": "on"}
    )

    assert response.status_code == 200
    assert "4 products created" in response.content.decode()
    assert Product.objects.count() == 0


@pytest.mark.urls(__name__)
def test_upload_that_is_not_a_csv_is_refused_by_the_form(merchant_client):
    response = merchant_client.post(
        reverse(IMPORT_URL), {"file": _upload("products.xlsx", b"PK\x03\x04")}
    )

    assert response.status_code == 400
    assert ".csv" in response.content.decode()
    assert Product.objects.count() == 0


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_and_imports_nothing(client):
    get = client.get(reverse(IMPORT_URL))
    post = client.post(reverse(IMPORT_URL), {"file": _upload("good.csv")})

    assert get.status_code == 302 and "login" in get.url
    assert post.status_code == 302
    assert Product.objects.count() == 0


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_staff_without_the_add_product_permission_is_refused(client):
    clerk = User.objects.create_user(
        email="clerk@example.com", password="pw-12345678", is_staff=True
    )
    client.force_login(clerk)

    response = client.post(reverse(IMPORT_URL), {"file": _upload("good.csv")})

    assert response.status_code == 403
    assert Product.objects.count() == 0
