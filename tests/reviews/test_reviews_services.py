"""Writing reviews: one per customer and product, verified purchases, language, spam flags,
moderation status, photos validated with Pillow, and the all-or-nothing CSV import."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from events.models import InteractionEvent
from orders.models import Order, OrderLine
from reviews import services
from reviews.models import Review, ReviewStatus
from shop.models import Job
from tests.factories import ProductFactory, UserFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "reviews"


def make_order(user, product, *, status="delivered", number="A-1"):
    variant = product.variants.first()
    order = Order.objects.create(
        number=number,
        user=user,
        email=user.email,
        status=status,
        currency="USD",
        exchange_rate=Decimal(1),
        shipping_name="Ada Lovelace",
        shipping_line1="1 Main St",
        shipping_city="London",
        shipping_country="GB",
        shipping_method_name="Standard",
        subtotal=variant.price,
        shipping_cost=Decimal(0),
        duties=Decimal(0),
        taxes=Decimal(0),
        total=variant.price,
        total_in_currency=variant.price,
        paid_at=timezone.now(),
    )
    OrderLine.objects.create(
        order=order,
        variant=variant,
        product_name=str(product),
        unit_price=variant.price,
        quantity=1,
        line_total=variant.price,
    )
    return order


def png(size=(40, 30), name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 160, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring", name="Gold ring")


@pytest.fixture
def shopper(db):
    return UserFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace")


def test_a_customer_reviews_a_product_once(product, shopper):
    # Given a customer who reviewed the ring
    services.review_create(product=product, author=shopper, rating=5, text="Lovely ring.")

    # When they try again
    # Then the second review is refused with a message
    with pytest.raises(ValidationError, match="already reviewed"):
        services.review_create(product=product, author=shopper, rating=1, text="Changed my mind")
    assert Review.objects.filter(product=product, author=shopper).count() == 1


def test_the_database_refuses_a_second_review_by_the_same_customer(product, shopper):
    Review.objects.create(product=product, author=shopper, rating=4, text="Nice")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(product=product, author=shopper, rating=2, text="Again")
    # Imported reviews have no author: several are fine
    Review.objects.create(product=product, rating=3, text="one", author_name="Bo")
    Review.objects.create(product=product, rating=3, text="two", author_name="Cy")
    assert Review.objects.filter(product=product).count() == 3


@pytest.mark.parametrize("status", ["paid", "shipped", "delivered"])
def test_a_buyer_gets_the_verified_purchase_badge(product, shopper, status):
    make_order(shopper, product, status=status)
    review = services.review_create(product=product, author=shopper, rating=5, text="Beautiful")
    assert review.is_verified_purchase


@pytest.mark.parametrize("status", ["pending", "cancelled"])
def test_an_unpaid_or_cancelled_order_is_not_a_verified_purchase(product, shopper, status):
    make_order(shopper, product, status=status)
    review = services.review_create(product=product, author=shopper, rating=5, text="Beautiful")
    assert not review.is_verified_purchase


def test_someone_elses_purchase_does_not_verify(product, shopper):
    make_order(UserFactory(email="bob@example.com"), product)
    review = services.review_create(product=product, author=shopper, rating=5, text="Beautiful")
    assert not review.is_verified_purchase


def test_reviews_wait_for_approval_by_default_and_not_when_switched_off(product, shopper, settings):
    held = services.review_create(product=product, author=shopper, rating=5, text="Pretty.")
    assert held.status == ReviewStatus.PENDING

    settings.SHOP_REVIEWS_REQUIRE_APPROVAL = False
    other = UserFactory(email="bo@example.com")
    published = services.review_create(product=product, author=other, rating=4, text="Nice one")
    assert published.status == ReviewStatus.APPROVED


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Great ring, buy cheap copies at www.fake-rings.com today", "link"),
        ("THIS IS THE WORST RING I HAVE EVER BOUGHT IN MY LIFE", "capitals"),
        ("buy buy buy buy buy buy buy buy buy buy now", "repeated"),
        ("The seller are idiots and this is shit", "abusive"),
        ("店家就是骗子，大家别买", "abusive"),
    ],
)
def test_spam_and_abuse_are_flagged_and_held_even_without_moderation(
    product, shopper, settings, text, reason
):
    settings.SHOP_REVIEWS_REQUIRE_APPROVAL = False
    review = services.review_create(product=product, author=shopper, rating=1, text=text)
    assert review.is_flagged
    assert reason in review.flag_reason
    assert review.status == ReviewStatus.PENDING


def test_a_normal_review_is_not_flagged(product, shopper):
    review = services.review_create(
        product=product,
        author=shopper,
        rating=2,
        text="The clasp broke after a week, disappointing for the price.",
    )
    assert not review.is_flagged
    assert review.flag_reason == ""


def test_the_same_text_pasted_on_two_products_is_flagged(product, shopper):
    other = ProductFactory(handle="silver-ring")
    services.review_create(product=product, author=shopper, rating=5, text="Best shop ever!!")
    second = services.review_create(
        product=other, author=shopper, rating=5, text="Best shop ever!!"
    )
    assert second.is_flagged
    assert "same text" in second.flag_reason


@pytest.mark.parametrize(
    "text, language",
    [
        ("The ring is beautiful and the delivery was fast.", "en"),
        ("La bague est très belle et la livraison était rapide.", "fr"),
        ("Der Ring ist sehr schön und die Lieferung war schnell.", "de"),
        ("El anillo es muy bonito y el envío fue rápido.", "es"),
        ("戒指很漂亮，物流也很快。", "zh-hans"),
        ("指輪はとても綺麗で、配送も早かったです。", "ja"),
        ("الخاتم جميل جدا والتوصيل كان سريعا", "ar"),
    ],
)
def test_the_language_of_a_review_is_detected(product, shopper, text, language):
    review = services.review_create(product=product, author=shopper, rating=5, text=text)
    assert review.language == language


def test_a_review_records_a_rating_event_and_queues_its_scoring_on_commit(
    product, shopper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review = services.review_create(product=product, author=shopper, rating=4, text="Nice")
    event = InteractionEvent.objects.get(kind="rating", user=shopper)
    assert (event.product_id, event.value) == (product.pk, 4.0)
    job = Job.objects.get(kind="sentiment.score_reviews")
    assert job.params["review_ids"] == [review.pk]
    assert job.status == "queued"
    assert len(callbacks) == 1  # the task is sent only once the review is committed


def test_review_text_is_stored_as_typed_and_nul_bytes_removed(product, shopper):
    review = services.review_create(
        product=product, author=shopper, rating=3, text="<script>alert(1)</script>\x00 ok"
    )
    review.refresh_from_db()
    assert review.text == "<script>alert(1)</script> ok"


def test_photos_are_validated_stored_as_webp_and_limited_in_number(product, shopper, settings):
    review = services.review_create(
        product=product, author=shopper, rating=5, text="See my photo", photos=[png()]
    )
    photo = review.photos.get()
    assert photo.image.name.endswith(".webp")
    assert (photo.width, photo.height) == (40, 30)

    other = UserFactory(email="bo@example.com")
    not_an_image = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    with pytest.raises(ValidationError, match="not an image"):
        services.review_create(
            product=product, author=other, rating=5, text="Look", photos=[not_an_image]
        )
    settings.SHOP_MAX_IMAGE_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="too large"):
        services.review_create(
            product=product, author=other, rating=5, text="Look", photos=[png((400, 400))]
        )
    settings.SHOP_REVIEW_MAX_PHOTOS = 1
    with pytest.raises(ValidationError, match="At most 1"):
        services.review_create(
            product=product, author=other, rating=5, text="Look", photos=[png(), png()]
        )
    assert not Review.objects.filter(author=other).exists()


# --- import_reviews ------------------------------------------------------------------------------
def test_import_reviews_imports_a_good_file_once(db, django_capture_on_commit_callbacks):
    ProductFactory(handle="gold-ring")
    ProductFactory(handle="pearl-necklace")
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=False):
        call_command("import_reviews", str(DATA / "good.csv"), stdout=out)

    assert "4 reviews imported" in out.getvalue()
    reviews = Review.objects.order_by("pk")
    assert [review.rating for review in reviews] == [5, 1, 3, 4]
    assert [review.language for review in reviews] == ["en", "fr", "de", "ja"]
    first = reviews[0]
    assert (first.author_name, first.title, first.author) == ("Mia K.", "Gorgeous", None)
    assert first.created_at.date().isoformat() == "2025-03-14"
    assert first.status == ReviewStatus.APPROVED
    assert Job.objects.filter(kind="sentiment.score_reviews").count() == 1

    # Importing the same file again adds nothing
    out = io.StringIO()
    call_command("import_reviews", str(DATA / "good.csv"), stdout=out)
    assert "4 already in the store" in out.getvalue()
    assert Review.objects.count() == 4


def test_import_reviews_reports_every_bad_row_and_saves_nothing(db):
    ProductFactory(handle="gold-ring")

    with pytest.raises(CommandError) as failure:
        call_command("import_reviews", str(DATA / "bad.csv"))

    report = str(failure.value)
    assert "nothing was saved" in report
    assert "Line 3, stars" in report
    assert "Line 4, product_handle: There is no product “no-such-ring”" in report
    assert "Line 5, text" in report
    assert "Line 6, date" in report
    assert "Line 7, language" in report
    assert "Line 2" not in report
    assert Review.objects.count() == 0


def test_import_reviews_needs_the_required_columns(db, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("handle,comment\ngold-ring,nice\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Missing required columns: product_handle, text, stars"):
        call_command("import_reviews", str(path))


# --- demo reviews ---------------------------------------------------------------------------------
def test_demo_reviews_are_rated_multilingual_mixed_and_deterministic(db):
    from demo.reviews import seed_reviews

    for index in range(60):
        ProductFactory(handle=f"piece-{index}")
    UserFactory(email="ada@example.com", first_name="Ada")

    counts = seed_reviews(seed=3)

    reviews = list(
        Review.objects.order_by("product_id", "created_at").values_list(
            "product_id", "rating", "text", "language"
        )
    )
    assert counts["reviews"] == len(reviews) >= 30
    assert {language for *_rest, language in reviews} >= {"en", "fr", "de", "zh-hans", "ja"}
    ratings = {rating for _product, rating, *_rest in reviews}
    assert {1, 3, 5} <= ratings
    assert Job.objects.filter(kind="sentiment.score_reviews", params__only_unscored=True).exists()
    # Seeding again does nothing; the same seed on a fresh store gives the same reviews
    assert seed_reviews(seed=3) == {"reviews": 0}
    Review.objects.all().delete()
    seed_reviews(seed=3)
    again = list(
        Review.objects.order_by("product_id", "created_at").values_list(
            "product_id", "rating", "text", "language"
        )
    )
    assert again == reviews
