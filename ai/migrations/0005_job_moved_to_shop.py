"""Job moves to the kernel (issue 13, step 7): removed from ai's migration state only; the table
ai_job and its rows stay where they are and belong to shop from shop/migrations/0001_initial.py
on (the model keeps `db_table = "ai_job"`).

Nothing runs on the database, on SQLite or PostgreSQL alike: the kernel's first migration
depends on this one and declares the same model on this table. Named apart from other ai 0005
migrations made on other branches at the same time; the merge puts them in one line.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ai", "0004_job_enqueued_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Job")],
            database_operations=[],
        ),
    ]
