"""The events app takes over InteractionEvent from customers (issue 13, step 4) without moving a
row: the model is created in the migration state only, on the table customers made
(customers_interactionevent: `db_table`), with the fields and indexes customers' 0001 gave it.
Nothing runs on the database (SQLite or PostgreSQL); customers' 0003 removed the model from
customers' state just before.

A database made before this migration and one made after have the same table, so existing
stores migrate in place and a new store still creates the table through customers 0001.
Content types and permissions follow in 0002_move_content_types.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATE_OPERATIONS = [
    migrations.CreateModel(
        name="InteractionEvent",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("view", "Product view"),
                        ("cart_add", "Added to cart"),
                        ("wishlist_add", "Added to wishlist"),
                        ("purchase", "Purchase"),
                        ("rating", "Rating"),
                    ],
                    max_length=20,
                ),
            ),
            ("session_key", models.CharField(blank=True, max_length=40)),
            ("value", models.FloatField(default=1.0)),
            ("country", models.CharField(blank=True, max_length=2)),
            ("language", models.CharField(blank=True, max_length=10)),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            (
                "product",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="catalog.product",
                ),
            ),
            (
                "user",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "interaction event",
            "verbose_name_plural": "interaction events",
            "db_table": "customers_interactionevent",
            "indexes": [
                models.Index(fields=["user", "created_at"], name="event_user_created"),
                models.Index(fields=["session_key", "created_at"], name="event_session_created"),
                models.Index(fields=["product", "kind"], name="event_product_kind"),
                models.Index(fields=["created_at"], name="event_created"),
            ],
        },
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("customers", "0003_interactionevent_move_to_events_app"),
        ("catalog", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=STATE_OPERATIONS, database_operations=[]
        ),
    ]
