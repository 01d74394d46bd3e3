"""Order e-mails (confirmation, shipped), written in the language the order was placed in.

Each is sent at most once: `order_email_send` claims the order's sent marker for the kind with
one conditional UPDATE before sending (a retried task, a redelivered message or a second click
finds it claimed and sends nothing) and gives the claim back when sending fails. What was never
sent (the broker was down when it should have been queued, the mail server refused it past the
task's retries) is sent by `order_emails_send_pending`, run by Celery beat.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Order, OrderStatus, ReturnRequest
from .selectors import order_access_token, order_amounts

logger = logging.getLogger(__name__)

KINDS = ("confirmation", "shipped")
# The order's field marking each kind of e-mail as sent.
SENT_MARKERS = {
    "confirmation": "confirmation_email_sent_at",
    "shipped": "shipped_email_sent_at",
}


def order_link(order: Order) -> str:
    """The order's page for anyone holding the e-mail (signed; works for guests too)."""
    with translation.override(order.language):
        path = reverse("orders:order_track", kwargs={"token": order_access_token(order)})
    return f"{settings.SITE_URL}{path}"


def build_order_email(*, order: Order, kind: str) -> EmailMultiAlternatives:
    if kind not in KINDS:
        raise ValueError(f"Unknown order e-mail {kind!r}")
    with translation.override(order.language):
        amounts = order_amounts(order, language=order.language)
        lines = list(order.lines.all())
        for line in lines:
            line.display = amounts["lines"].get(line.pk, {})
        context = {
            "order": order,
            "lines": lines,
            "amounts": amounts,
            "order_url": order_link(order),
            "shop_name": settings.SHOP_NAME,
            "site_url": settings.SITE_URL,
            "language": order.language,
        }
        subject = " ".join(render_to_string(f"emails/orders/{kind}_subject.txt", context).split())
        text = render_to_string(f"emails/orders/{kind}.txt", context)
        html = render_to_string(f"emails/orders/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
        headers={"Content-Language": order.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_order_email(*, order: Order, kind: str) -> None:
    """Builds and sends the e-mail, whether or not it was sent before (see order_email_send)."""
    build_order_email(order=order, kind=kind).send()


def order_email_send(*, order_id: int, kind: str) -> bool:
    """Sends the order's e-mail of this kind unless it was sent; returns whether it sent it.

    Raises what sending raised (the claim is given back first, so a retry or the sweep sends
    it later).
    """
    if kind not in SENT_MARKERS:
        raise ValueError(f"Unknown order e-mail {kind!r}")
    marker = SENT_MARKERS[kind]
    claimed_at = timezone.now()
    claimed = Order.objects.filter(pk=order_id, **{f"{marker}__isnull": True}).update(
        **{marker: claimed_at}
    )
    if not claimed:  # sent already (or being sent by another worker), or no such order
        return False
    try:
        order = Order.objects.prefetch_related("lines").get(pk=order_id)
        send_order_email(order=order, kind=kind)
    except BaseException:
        Order.objects.filter(pk=order_id, **{marker: claimed_at}).update(**{marker: None})
        raise
    return True


def _pending(kind: str, *, now: datetime):
    """Orders whose e-mail of this kind is due but unsent: past the grace time the on-commit
    send has, and within the retry window (an old order is never e-mailed out of the blue)."""
    grace = timedelta(seconds=settings.SHOP_ORDER_EMAIL_RETRY_SECONDS)
    window = timedelta(days=settings.SHOP_ORDER_EMAIL_RETRY_DAYS)
    if kind == "confirmation":
        orders = Order.objects.filter(paid_at__lte=now - grace, paid_at__gte=now - window).exclude(
            status__in=[OrderStatus.PENDING, OrderStatus.CANCELLED, OrderStatus.REFUNDED]
        )
    else:
        orders = Order.objects.filter(
            status=OrderStatus.SHIPPED, shipped_at__lte=now - grace, shipped_at__gte=now - window
        )
    return orders.filter(**{f"{SENT_MARKERS[kind]}__isnull": True}).order_by("pk")


def order_emails_send_pending(*, now: datetime | None = None) -> int:
    """Sends every due order e-mail that was never sent; returns how many it sent.

    A failure is logged and the e-mail stays pending for the next run.
    """
    now = now or timezone.now()
    sent = 0
    for kind in KINDS:
        for order_id in _pending(kind, now=now).values_list("pk", flat=True):
            try:
                sent += order_email_send(order_id=order_id, kind=kind)
            except Exception:
                logger.exception("Could not send the %s e-mail of order %s", kind, order_id)
    return sent


# --- Return requests --------------------------------------------------------------------------

RETURN_KINDS = ("return_approved", "return_refunded")


def build_return_email(*, return_request, kind: str) -> EmailMultiAlternatives:
    """The shopper's news about their return request, in the order's language."""
    if kind not in RETURN_KINDS:
        raise ValueError(f"Unknown return e-mail {kind!r}")
    order = return_request.order
    with translation.override(order.language):
        amounts = order_amounts(order, language=order.language)
        context = {
            "order": order,
            "return_request": return_request,
            "lines": list(order.lines.all()),
            "amounts": amounts,
            "order_url": order_link(order),
            "shop_name": settings.SHOP_NAME,
            "site_url": settings.SITE_URL,
            "language": order.language,
        }
        subject = " ".join(render_to_string(f"emails/orders/{kind}_subject.txt", context).split())
        text = render_to_string(f"emails/orders/{kind}.txt", context)
        html = render_to_string(f"emails/orders/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
        headers={"Content-Language": order.language},
    )
    message.attach_alternative(html, "text/html")
    return message


def return_email_send(*, return_request_id: int, kind: str) -> bool:
    """Sends the e-mail for a decision still in force (a request approved then rejected before
    the e-mail went out gets no "approved" e-mail); returns whether it sent one."""
    wanted = {"return_approved": "approved", "return_refunded": "refunded"}[kind]
    return_request = (
        ReturnRequest.objects.select_related("order")
        .prefetch_related("order__lines")
        .filter(pk=return_request_id)
        .first()
    )
    if return_request is None or return_request.status != wanted:
        return False
    build_return_email(return_request=return_request, kind=kind).send()
    return True
