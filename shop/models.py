"""The kernel's models: Job, a long piece of work run by a Celery worker with its progress, and
ExchangeRate, the merchant's rates that shop/money.py converts prices with.

Any app declares kinds of job with `shop.jobs.job_kind` and starts them with `shop.jobs.job_start`
(see shop/jobs.py); the admin's job list (shop/admin.py) shows them with live progress.

Job was ai's until issue 13 step 7 moved the framework to the kernel. The move changed no row:
the model keeps its table (`db_table = "ai_job"`), its constraint names and its permission
codename (`start_job`, now `shop.start_job`); shop/migrations/0001 declares it in the migration
state only, 0002 relabels its content type so the grants follow. The verbose names ("AI job")
are kept too so every page and translation stays as it was; renaming them is a wording change
for another day.

ExchangeRate was orders' until issue 13 step 6 (the kernel holds money and exchange rates) and
moved the same way: `db_table = "orders_exchangerate"`, state-only migrations (orders 0006,
shop 0003), its content type relabelled by shop 0004 so `orders.change_exchangerate` grants
become `shop.change_exchangerate`. orders.models re-exports it for code written before the move.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_JOB_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(models.Model):
    """A long piece of work run by a Celery worker, with the progress the admin shows."""

    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # A random id per job: the Celery task id, and the job's token. Every message carries it
    # (with the kind) and a message whose token is not its row's is refused (shop/jobs.py).
    celery_task_id = models.CharField(_("Celery task id"), max_length=64, blank=True)
    # When the message reached the broker; empty while it has not (the broker was down when
    # the job committed): the sweep `shop.enqueue_pending_jobs` sends those.
    enqueued_at = models.DateTimeField(_("sent to the task queue"), null=True, blank=True)
    # Remembered so a retry goes where the first attempt went (tests use queues of their own).
    queue = models.CharField(_("queue"), max_length=120, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    message = models.CharField(_("message"), max_length=255, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(_("attempt"), default=1)
    retry_of = models.ForeignKey(
        "self",
        verbose_name=_("retry of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
    )
    # Set to the kind for a normal start, empty for a forced one: the database then refuses a
    # second queued/running job of the kind even when two starts race each other.
    dedupe_key = models.CharField(max_length=80, null=True, blank=True, editable=False)

    class Meta:
        # The table ai made: the move to the kernel moved no row (see the module docstring).
        db_table = "ai_job"
        verbose_name = _("AI job")
        verbose_name_plural = _("AI jobs")
        ordering = ("-created_at", "-id")
        permissions = [("start_job", _("Can start AI jobs"))]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="ai_job_progress_max_100"),
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=["queued", "running"]),
                name="ai_job_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def duration(self):
        if not self.started_at:
            return None
        return (self.finished_at or timezone.now()) - self.started_at


class ExchangeRate(models.Model):
    """How many units of `currency` one unit of the shop's base currency buys.

    Edited by the merchant in the admin (/admin/shop/exchangerate/); prices are stored in the
    base currency and only converted for display, and at checkout with the rate recorded on the
    order (shop/money.py).
    """

    currency = models.CharField(
        _("currency"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))],
    )
    rate = models.DecimalField(
        _("units per base currency unit"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # The table orders made: the move to the kernel moved no row (see the module docstring).
        db_table = "orders_exchangerate"
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("currency",)

    def __str__(self) -> str:
        return f"{self.currency} {self.rate}"
