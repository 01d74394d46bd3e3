"""Review and ReviewPhoto move to the reviews app (issue 13, step 3): removed from catalog's
migration state only; the tables catalog_review and catalog_reviewphoto and their rows stay
where they are and belong to reviews from reviews/migrations/0001_initial.py on.

Nothing runs on the database, on SQLite or PostgreSQL alike: the reviews app's first migration
depends on this one and declares the same models with `db_table` set to these table names.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_option_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # The photo first: its foreign key points at the review.
                migrations.DeleteModel(name="ReviewPhoto"),
                migrations.DeleteModel(name="Review"),
            ],
            database_operations=[],
        ),
    ]
