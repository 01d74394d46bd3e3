"""Background jobs of the orders app: order e-mails, and the nightly clean-up of guest bags.

By default an order e-mail is sent inline right after the order's transaction commits (the
console or SMTP backend); with SHOP_ORDER_EMAILS_VIA_CELERY=True it is queued for a Celery
worker instead, so a slow mail server never slows the checkout.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def _send(order_id: int, kind: str) -> None:
    from .emails import send_order_email
    from .models import Order

    order = Order.objects.filter(pk=order_id).prefetch_related("lines").first()
    if order is None:  # deleted since: nothing to tell anyone
        return
    send_order_email(order=order, kind=kind)


@shared_task(
    name="orders.send_order_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_order_email_task(order_id: int, kind: str) -> None:
    _send(order_id, kind)


def _send_inline(order_id: int, kind: str) -> None:
    try:
        _send(order_id, kind)
    except Exception:
        # The order is placed and paid; a mail server problem must not turn that into an error.
        logger.exception("Could not send the %s e-mail of order %s", kind, order_id)


def queue_order_email(*, order, kind: str) -> None:
    """Sends the order e-mail once the current transaction has committed."""
    order_id = order.pk
    if getattr(settings, "SHOP_ORDER_EMAILS_VIA_CELERY", False):
        transaction.on_commit(lambda: send_order_email_task.delay(order_id, kind))
    else:
        transaction.on_commit(lambda: _send_inline(order_id, kind))


@shared_task(name="orders.cleanup_guest_carts")
def cleanup_guest_carts() -> int:
    """Nightly (Celery beat): deletes guest bags whose session is gone (see
    orders.services.cart.cart_delete_orphaned_guest_carts); returns how many went."""
    from .services.cart import cart_delete_orphaned_guest_carts

    deleted = cart_delete_orphaned_guest_carts()
    logger.info("Deleted %s guest bags whose session had ended", deleted)
    return deleted
