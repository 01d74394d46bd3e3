"""Connects the sign-in receiver. Imported by customers.urls (apps.py belongs to another part
of the project); importing it from CustomersConfig.ready() as well is harmless (dispatch_uid).

The receiver gets the HTTP request (Django's user_logged_in sends it), so the session is
written here; what to write comes from customers.selectors.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from catalog.ring_sizes import COUNTRY_SESSION_KEY, remember_country
from shop.middleware import CURRENCY_SESSION_KEY

from .selectors import default_address_for_user, preferred_currency_for_user


@receiver(user_logged_in, dispatch_uid="customers.apply_preferences")
def apply_preferences_on_login(sender, request, user, **kwargs) -> None:
    """The session takes the customer's preferred currency, and the country of their default
    address when the session names none yet (ring sizes in that country's scale).

    The language is in the URL (/fr/...); the login view sends the customer on to the page in
    their language and sets the language cookie, which a receiver cannot do.
    """
    session = getattr(request, "session", None)
    currency = preferred_currency_for_user(user=user)
    if session is not None and currency:
        session[CURRENCY_SESSION_KEY] = currency
        request.currency = currency
    if session is not None and not session.get(COUNTRY_SESSION_KEY):
        address = default_address_for_user(user=user)
        if address is not None:
            remember_country(session, str(address.country))
