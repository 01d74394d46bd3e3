"""InteractionEvent moves to the events app (issue 13, step 4): removed from customers' migration
state only; the table customers_interactionevent and its rows stay where they are and belong to
events from events/migrations/0001_initial.py on.

Nothing runs on the database, on SQLite or PostgreSQL alike: the events app's first migration
depends on this one and declares the same model with `db_table` set to this table's name.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_api_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="InteractionEvent")],
            database_operations=[],
        ),
    ]
