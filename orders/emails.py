"""Order e-mails (confirmation, shipped), written in the language the order was placed in."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Order
from .selectors import order_access_token, order_amounts

KINDS = ("confirmation", "shipped")


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
    build_order_email(order=order, kind=kind).send()
