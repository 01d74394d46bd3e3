"""ExchangeRate moves to the kernel (issue 13, step 6: shop holds money and exchange rates):
removed from orders' migration state only; the table orders_exchangerate and its rows stay where
they are and belong to shop from shop/migrations/0003_exchangerate.py on (the model keeps
`db_table = "orders_exchangerate"`).

Nothing runs on the database, on SQLite or PostgreSQL alike: shop 0003 depends on this one and
declares the same model on this table. Named apart from other orders 0006 migrations made on
other branches at the same time; the merge puts them in one line.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_return_request_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExchangeRate")],
            database_operations=[],
        ),
    ]
