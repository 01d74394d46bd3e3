"""Background jobs of the orders app: order e-mails, and the nightly clean-up of guest bags.

By default an order e-mail is sent inline right after the order's transaction commits (the
console or SMTP backend); with SHOP_ORDER_EMAILS_VIA_CELERY=True it is queued for a Celery
worker instead, so a slow mail server never slows the checkout. Either way the send runs
through shop.events.after_commit: a broker or mail server that is down is logged and can never
undo or hide the committed order. Each e-mail is sent once (orders.emails.order_email_send);
Celery beat runs `orders.send_pending_emails` every SHOP_ORDER_EMAIL_RETRY_SECONDS to send
those that could not be sent or queued.
"""

import logging

from celery import shared_task
from django.conf import settings

from shop.events import after_commit

from . import emails
from .services.cart import cart_delete_orphaned_guest_carts

logger = logging.getLogger(__name__)


@shared_task(
    name="orders.send_order_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_order_email_task(order_id: int, kind: str) -> bool:
    return emails.order_email_send(order_id=order_id, kind=kind)


@shared_task(name="orders.send_pending_emails", ignore_result=True)
def send_pending_order_emails() -> int:
    """Celery beat: sends the order e-mails that could not be sent or queued; how many."""
    return emails.order_emails_send_pending()


def _send_inline(order_id: int, kind: str) -> None:
    try:
        emails.order_email_send(order_id=order_id, kind=kind)
    except Exception:
        # The order is placed and paid; the sweep sends the e-mail once the server is back.
        logger.exception("Could not send the %s e-mail of order %s", kind, order_id)


def _queue(order_id: int, kind: str) -> None:
    send_order_email_task.delay(order_id, kind)


def queue_order_email(*, order, kind: str) -> None:
    """Sends (or queues) the order e-mail once the current transaction has committed."""
    if getattr(settings, "SHOP_ORDER_EMAILS_VIA_CELERY", False):
        after_commit(_queue, order.pk, kind)
    else:
        after_commit(_send_inline, order.pk, kind)


@shared_task(
    name="orders.send_return_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_return_email_task(return_request_id: int, kind: str) -> bool:
    return emails.return_email_send(return_request_id=return_request_id, kind=kind)


def _send_return_inline(return_request_id: int, kind: str) -> None:
    try:
        emails.return_email_send(return_request_id=return_request_id, kind=kind)
    except Exception:
        # The decision is recorded; the shopper still sees it on their order page.
        logger.exception("Could not send the %s e-mail of return %s", kind, return_request_id)


def queue_return_email(*, return_request, kind: str) -> None:
    """Tells the shopper about their return request once the decision has committed."""
    if getattr(settings, "SHOP_ORDER_EMAILS_VIA_CELERY", False):
        after_commit(send_return_email_task.delay, return_request.pk, kind)
    else:
        after_commit(_send_return_inline, return_request.pk, kind)


@shared_task(name="orders.cleanup_guest_carts")
def cleanup_guest_carts() -> int:
    """Nightly (Celery beat): deletes guest bags whose session is gone (see
    orders.services.cart.cart_delete_orphaned_guest_carts); returns how many went."""
    deleted = cart_delete_orphaned_guest_carts()
    logger.info("Deleted %s guest bags whose session had ended", deleted)
    return deleted
