"""Order e-mails render in the order's language, whatever the language of the request."""

import pytest
from django.core import mail
from django.utils import translation

from orders.emails import build_order_email
from orders.services import order_ship, order_start_processing

from .conftest import PARIS, cart_with, place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "ja", "zh-hans", "ar"])
def test_the_confirmation_is_written_for_the_orders_language(shipping, ring, language):
    order = place(cart_with((ring, 1)), address=PARIS, language=language)

    with translation.override("en"):  # e.g. sent from a worker or an English admin
        message = build_order_email(order=order, kind="confirmation")

    html = message.alternatives[0][0]
    assert f'lang="{language}"' in html
    assert f"/{language}/orders/track/" in message.body
    assert order.number in message.subject
    assert ('dir="rtl"' in html) == (language == "ar")


def test_the_shipped_email_carries_the_tracking_and_the_order_link(shipping, ring):
    order = place(cart_with((ring, 1)), address=PARIS, language="es")
    order_start_processing(order=order)
    order = order_ship(order=order, carrier="Correos", tracking_number="PQ123ES")

    message = build_order_email(order=order, kind="shipped")

    assert "Correos" in message.body and "PQ123ES" in message.body
    assert "/es/orders/track/" in message.body
    assert message.to == ["guest@example.com"]


def test_amounts_in_the_email_are_those_charged(shipping, ring, rates):
    order = place(cart_with((ring, 1)), address=PARIS, currency="EUR", language="fr")
    message = build_order_email(order=order, kind="confirmation")
    assert "92,00\xa0€" in message.body  # the ring, at the rate stored on the order


CONFIRMED_FR = "%(shop)s : votre commande %(number)s est confirmée"
SHIPPED_FR = "%(shop)s : votre commande %(number)s est en route"


@pytest.fixture
def french_subjects(tmp_path, settings):
    """A French catalogue with the two subjects, searched before the project's own (which
    translators fill in on their own schedule): the test is about choosing the language."""
    import polib

    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    catalogue.append(
        polib.POEntry(msgid="%(shop)s: your order %(number)s is confirmed", msgstr=CONFIRMED_FR)
    )
    catalogue.append(
        polib.POEntry(msgid="%(shop)s: your order %(number)s is on its way", msgstr=SHIPPED_FR)
    )
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue.save_as_mofile(str(folder / "django.mo"))
    # Changing LOCALE_PATHS makes Django drop its loaded catalogues (and again on restore).
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]


def test_a_french_order_gets_french_confirmation_and_shipping_emails(
    shipping, ring, french_subjects, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    subject = {"shop": settings.SHOP_NAME}

    # Given a shopper who checked out in French, while the server speaks English
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), address=PARIS, language="fr")

    # Then the confirmation in the outbox is in French
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == CONFIRMED_FR % {**subject, "number": order.number}
    assert mail.outbox[0].extra_headers["Content-Language"] == "fr"

    # And so is the shipping e-mail the English-speaking merchant triggers
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order_start_processing(order=order)
        order_ship(order=order, carrier="Colissimo", tracking_number="6A123")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == SHIPPED_FR % {**subject, "number": order.number}
    assert "6A123" in mail.outbox[1].body


def test_an_english_order_keeps_english_subjects(
    shipping, ring, french_subjects, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), address=PARIS, language="en")
    assert mail.outbox[0].subject == f"{settings.SHOP_NAME}: your order {order.number} is confirmed"
