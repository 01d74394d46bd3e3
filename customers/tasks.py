"""Periodic housekeeping of what anonymous traffic leaves behind (Celery beat, nightly)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="customers.cleanup_anonymous_data")
def cleanup_anonymous_data() -> dict:
    """Expired sessions and expired API tokens; idempotent (a second run finds nothing).
    Guests' old interaction events: events.cleanup_anonymous_events."""
    report = services.anonymous_data_cleanup()
    logger.info("Cleaned up anonymous data: %s", report)
    return report
