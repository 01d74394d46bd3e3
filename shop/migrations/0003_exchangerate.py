"""The kernel takes over ExchangeRate from orders (issue 13, step 6) without moving a row: the
model is created in the migration state only, on the table orders made (orders_exchangerate:
`db_table`), with the fields orders' 0001 gave it (the unique index on currency is that table's).
Nothing runs on the database (SQLite or PostgreSQL); orders' 0006 removed the model from orders'
state just before.

As for Job (0001): a new store still creates the table through orders 0001, which is why this
migration depends on an orders migration. Content types and permissions follow in 0004.
"""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

STATE_OPERATIONS = [
    migrations.CreateModel(
        name="ExchangeRate",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "currency",
                models.CharField(
                    max_length=3,
                    unique=True,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^[A-Z]{3}$", "Use a three-letter ISO 4217 code."
                        )
                    ],
                    verbose_name="currency",
                ),
            ),
            (
                "rate",
                models.DecimalField(
                    decimal_places=8,
                    max_digits=18,
                    validators=[django.core.validators.MinValueValidator(Decimal("1E-8"))],
                    verbose_name="units per base currency unit",
                ),
            ),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
        ],
        options={
            "verbose_name": "exchange rate",
            "verbose_name_plural": "exchange rates",
            "ordering": ("currency",),
            "db_table": "orders_exchangerate",
        },
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0002_move_content_types"),
        ("orders", "0006_exchangerate_moved_to_shop"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=STATE_OPERATIONS, database_operations=[]
        ),
    ]
