"""The kernel takes over Job from ai (issue 13, step 7) without moving a row: the model is
created in the migration state only, on the table ai made (ai_job: `db_table`), with the fields,
constraints and permission ai's 0001 and 0004 gave it. Nothing runs on the database (SQLite or
PostgreSQL); ai's 0005 removed the model from ai's state just before.

A database made before this migration and one made after have the same table, so existing
stores migrate in place and a new store still creates the table through ai 0001 (which is why
the kernel's first migration depends on an ai migration: the table is ai's history). Content
types and permissions follow in 0002_move_content_types.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATE_OPERATIONS = [
    migrations.CreateModel(
        name="Job",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("kind", models.CharField(db_index=True, max_length=80, verbose_name="kind")),
            ("params", models.JSONField(blank=True, default=dict, verbose_name="parameters")),
            (
                "celery_task_id",
                models.CharField(blank=True, max_length=64, verbose_name="Celery task id"),
            ),
            (
                "enqueued_at",
                models.DateTimeField(blank=True, null=True, verbose_name="sent to the task queue"),
            ),
            ("queue", models.CharField(blank=True, max_length=120, verbose_name="queue")),
            (
                "status",
                models.CharField(
                    choices=[
                        ("queued", "Queued"),
                        ("running", "Running"),
                        ("succeeded", "Succeeded"),
                        ("failed", "Failed"),
                        ("cancelled", "Cancelled"),
                    ],
                    db_index=True,
                    default="queued",
                    max_length=10,
                    verbose_name="status",
                ),
            ),
            (
                "progress",
                models.PositiveSmallIntegerField(
                    default=0,
                    validators=[django.core.validators.MaxValueValidator(100)],
                    verbose_name="progress",
                ),
            ),
            ("message", models.CharField(blank=True, max_length=255, verbose_name="message")),
            ("result", models.JSONField(blank=True, null=True, verbose_name="result")),
            ("error", models.TextField(blank=True, verbose_name="error")),
            (
                "created_at",
                models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created"),
            ),
            ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
            ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
            ("attempts", models.PositiveSmallIntegerField(default=1, verbose_name="attempt")),
            (
                "dedupe_key",
                models.CharField(blank=True, editable=False, max_length=80, null=True),
            ),
            (
                "created_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="started by",
                ),
            ),
            (
                "retry_of",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="retries",
                    to="shop.job",
                    verbose_name="retry of",
                ),
            ),
        ],
        options={
            "verbose_name": "AI job",
            "verbose_name_plural": "AI jobs",
            "db_table": "ai_job",
            "ordering": ("-created_at", "-id"),
            "permissions": [("start_job", "Can start AI jobs")],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("progress__lte", 100)), name="ai_job_progress_max_100"
                ),
                models.UniqueConstraint(
                    condition=models.Q(("status__in", ["queued", "running"])),
                    fields=("dedupe_key",),
                    name="ai_job_one_active_per_kind",
                ),
            ],
        },
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ai", "0005_job_moved_to_shop"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=STATE_OPERATIONS, database_operations=[]
        ),
    ]
