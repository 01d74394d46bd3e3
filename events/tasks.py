"""Periodic housekeeping of interaction events (Celery beat, nightly)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="events.cleanup_anonymous_events")
def cleanup_anonymous_events() -> dict:
    """Guests' events older than SHOP_ANONYMOUS_EVENT_RETENTION_DAYS; idempotent (a second run
    finds nothing). Until issue 13 this was part of customers.cleanup_anonymous_data."""
    report = {"anonymous_events": services.anonymous_events_delete()}
    logger.info("Cleaned up anonymous events: %s", report)
    return report
