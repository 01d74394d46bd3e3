"""The reviews app takes over Review and ReviewPhoto from catalog (issue 13, step 3) without
moving a row: the models are created in the migration state only, on the tables catalog made
(catalog_review, catalog_reviewphoto: `db_table`), with the fields, indexes and constraints
catalog's migrations 0002-0004 gave them. Nothing runs on the database (SQLite or PostgreSQL);
catalog's 0007 removed the models from catalog's state just before.

A database made before this migration and one made after have the same tables, so existing
stores migrate in place and a new store still creates the tables through catalog 0002.
Content types and permissions follow in 0002_move_content_types.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import reviews.storage


STATE_OPERATIONS = [
    migrations.CreateModel(
        name="Review",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "author_name",
                models.CharField(blank=True, max_length=120, verbose_name="author name"),
            ),
            (
                "rating",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="rating",
                ),
            ),
            ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
            ("text", models.TextField(max_length=5000, verbose_name="text")),
            ("language", models.CharField(blank=True, max_length=10, verbose_name="language")),
            (
                "status",
                models.CharField(
                    choices=[
                        ("pending", "Pending approval"),
                        ("approved", "Approved"),
                        ("rejected", "Rejected"),
                    ],
                    db_index=True,
                    default="pending",
                    max_length=10,
                    verbose_name="status",
                ),
            ),
            (
                "is_verified_purchase",
                models.BooleanField(default=False, verbose_name="verified purchase"),
            ),
            (
                "is_flagged",
                models.BooleanField(default=False, verbose_name="flagged as spam or abuse"),
            ),
            (
                "flag_reason",
                models.CharField(blank=True, max_length=255, verbose_name="flag reason"),
            ),
            (
                "sentiment",
                models.CharField(
                    blank=True,
                    choices=[
                        ("negative", "Negative"),
                        ("neutral", "Neutral"),
                        ("positive", "Positive"),
                    ],
                    max_length=10,
                    verbose_name="sentiment",
                ),
            ),
            (
                "sentiment_score",
                models.FloatField(blank=True, null=True, verbose_name="sentiment score"),
            ),
            ("aspects", models.JSONField(blank=True, default=dict, verbose_name="aspects")),
            ("scored_at", models.DateTimeField(blank=True, null=True, verbose_name="scored")),
            (
                "created_at",
                models.DateTimeField(
                    db_index=True, default=django.utils.timezone.now, verbose_name="created"
                ),
            ),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            (
                "author",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="reviews",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="author",
                ),
            ),
            (
                "product",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="reviews",
                    to="catalog.product",
                    verbose_name="product",
                ),
            ),
        ],
        options={
            "verbose_name": "review",
            "verbose_name_plural": "reviews",
            "db_table": "catalog_review",
            "ordering": ("-created_at", "-id"),
            "permissions": [("moderate_review", "Can approve, reject and flag reviews")],
            "indexes": [
                models.Index(
                    fields=["product", "status", "-created_at"], name="review_product_status"
                ),
                models.Index(fields=["status", "sentiment"], name="review_status_sentiment"),
            ],
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(("author__isnull", False)),
                    fields=("product", "author"),
                    name="review_one_per_customer_and_product",
                    violation_error_message="You have already reviewed this product.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("rating__gte", 1), ("rating__lte", 5)),
                    name="review_rating_1_to_5",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="ReviewPhoto",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "image",
                models.ImageField(
                    height_field="height",
                    max_length=255,
                    storage=reviews.storage.review_photo_storage,
                    upload_to="reviews/",
                    verbose_name="image",
                    width_field="width",
                ),
            ),
            ("width", models.PositiveIntegerField(blank=True, editable=False, null=True)),
            ("height", models.PositiveIntegerField(blank=True, editable=False, null=True)),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            (
                "review",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="photos",
                    to="reviews.review",
                ),
            ),
        ],
        options={
            "verbose_name": "review photo",
            "verbose_name_plural": "review photos",
            "db_table": "catalog_reviewphoto",
            "ordering": ("id",),
        },
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0007_reviews_move_to_reviews_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=STATE_OPERATIONS, database_operations=[]
        ),
    ]
