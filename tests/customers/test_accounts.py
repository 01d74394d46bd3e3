"""Sign-up, sign-in, sign-out, passwords and the lock-out, through the pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from customers.models import User
from shop.middleware import CURRENCY_SESSION_KEY
from tests.customers.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "amethyst-ring-1893"


def _url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _register(client, **overrides):
    data = {
        "email": "new@example.com",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "first_name": "Marie",
        "last_name": "Curie",
        "preferred_language": "en",
        "preferred_currency": "USD",
        **overrides,
    }
    return client.post(_url("customers:register"), data)


# --- Registration -----------------------------------------------------------------------------
def test_register_signs_in_and_profile_shows_the_details(client):
    # When a shopper signs up
    response = _register(client, email="Marie@Example.com")

    # Then they are signed in and land on their account, which greets them
    assert response.status_code == 302
    assert response.url == _url("customers:account")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Marie" in page.content.decode()
    assert "marie@example.com" in page.content.decode()
    profile = client.get(_url("customers:profile")).content.decode()
    assert 'value="Curie"' in profile
    assert User.objects.get(email="marie@example.com").check_password(STRONG_PASSWORD)


def test_register_defaults_the_language_to_the_page_language(client):
    # When a shopper opens the sign-up page in French
    page = client.get(_url("customers:register", "fr"))

    # Then French and the euro are preselected
    html = page.content.decode()
    assert re.search(r'<option value="fr"[^>]*selected', html)
    assert re.search(r'<option value="EUR"[^>]*selected', html)


def test_register_in_another_language_continues_in_that_language(client):
    # When a shopper on the English page signs up with French as their language
    response = _register(client, preferred_language="fr", preferred_currency="EUR")

    # Then the account opens in French with prices in euros
    assert response.url == _url("customers:account", "fr")
    assert response.cookies["django_language"].value == "fr"


def test_register_refuses_a_taken_email_with_a_message(client, customer):
    # Given an account for ada@example.com; when someone signs up with it (other case)
    response = _register(client, email="ADA@example.com")

    # Then the form comes back saying so, and no second account exists
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174659", "entirely numeric"),
        ("new@example.com", "too similar"),
    ],
)
def test_register_refuses_a_weak_password(client, password, message):
    # When the password breaks one of the store's password rules
    response = _register(client, password1=password, password2=password)

    # Then the form explains which rule, and no account is made
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()


def test_register_refuses_two_different_passwords(client):
    response = _register(client, password2=STRONG_PASSWORD + "x")

    assert response.status_code == 200
    assert "The two passwords differ" in response.content.decode()
    assert not User.objects.exists()


def test_register_with_invalid_choices_is_a_form_error_not_a_crash(client):
    response = _register(client, preferred_language="xx", preferred_currency="BTC", email="nope")

    assert response.status_code == 200
    assert not User.objects.exists()


# --- Sign-in and sign-out ---------------------------------------------------------------------
def test_login_page_asks_for_an_email(client):
    html = client.get(_url("customers:login")).content.decode()

    assert 'type="email"' in html
    assert ">E-mail<" in html


def test_login_by_email_lands_on_the_account(client, customer):
    # When the customer signs in with their e-mail (in capitals) and password
    response = client.post(
        _url("customers:login"), {"username": "ADA@example.com", "password": PASSWORD}
    )

    # Then they are signed in and sent to their account
    assert response.status_code == 302
    assert response.url == _url("customers:account")
    assert client.session["_auth_user_id"] == str(customer.pk)


def test_login_follows_the_customers_language_and_currency(client):
    # Given a customer who prefers Japanese and yen
    UserFactory(email="kenji@example.com", preferred_language="ja", preferred_currency="JPY")

    # When they sign in on the English page, coming from an English product list
    response = client.post(
        _url("customers:login") + "?next=/en/products/",
        {"username": "kenji@example.com", "password": PASSWORD, "next": "/en/products/"},
    )

    # Then they continue on the same page in Japanese, with prices in yen
    assert response.url == "/ja/products/"
    assert response.cookies["django_language"].value == "ja"
    assert client.session[CURRENCY_SESSION_KEY] == "JPY"


def test_login_with_a_wrong_password_says_so(client, customer):
    response = client.post(
        _url("customers:login"), {"username": "ada@example.com", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_never_redirects_to_another_site(client, customer):
    response = client.post(
        _url("customers:login"),
        {"username": "ada@example.com", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert "evil" not in response.url


def test_logout_signs_out_on_post_only(customer_client):
    # A link (GET) cannot sign a customer out
    assert customer_client.get(_url("customers:logout")).status_code == 405
    assert "_auth_user_id" in customer_client.session

    response = customer_client.post(_url("customers:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in customer_client.session


def test_account_pages_send_guests_to_sign_in(client):
    for name in ("customers:account", "customers:profile", "customers:addresses"):
        response = client.get(_url(name))
        assert response.status_code == 302
        assert response.url.startswith(_url("customers:login") + "?next=")


# --- Lock-out ---------------------------------------------------------------------------------
def _fail(client, email="ada@example.com", ip="203.0.113.7", language="en"):
    return client.post(
        _url("customers:login", language),
        {"username": email, "password": "not-my-password"},
        REMOTE_ADDR=ip,
    )


def test_five_wrong_passwords_lock_out_that_email_from_that_address(client, customer):
    # Given four wrong passwords, each answered by the sign-in form
    for _attempt in range(4):
        assert _fail(client).status_code == 200

    # When the fifth fails, the lock-out page answers 429
    assert _fail(client).status_code == 429

    # Then even the right password is refused from that address
    response = client.post(
        _url("customers:login"),
        {"username": "ada@example.com", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_out_is_per_email_and_address(client, customer, other_customer):
    # Given ada@ locked out from one address
    for _attempt in range(5):
        _fail(client)

    # Then another customer from the same address, and ada from elsewhere, still sign in
    other = client.post(
        _url("customers:login"),
        {"username": "grace@example.com", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert other.status_code == 302
    client.post(_url("customers:logout"))
    elsewhere = client.post(
        _url("customers:login"),
        {"username": "ada@example.com", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )
    assert elsewhere.status_code == 302


def test_lock_out_page_is_in_the_page_language(client, customer):
    for _attempt in range(6):
        response = _fail(client, language="fr")

    assert response.status_code == 429
    assert '<html lang="fr"' in response.content.decode()
    assert f'href="{_url("customers:password_reset", "fr")}"' in response.content.decode()


# --- Passwords --------------------------------------------------------------------------------
def test_password_reset_mail_is_sent_in_the_customers_language(client):
    # Given a customer who prefers French, asking from the English page
    UserFactory(email="amelie@example.com", preferred_language="fr")

    response = client.post(_url("customers:password_reset"), {"email": "Amelie@example.com"})

    # Then one e-mail goes out, written under French (its link opens the French page)
    assert response.status_code == 302
    assert response.url == _url("customers:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amelie@example.com"]
    assert message.extra_headers["Content-Language"] == "fr"
    assert "/fr/account/password/reset/" in message.body
    assert "/en/" not in message.body


def test_password_reset_link_sets_a_new_password(client, customer):
    client.post(_url("customers:password_reset"), {"email": "ada@example.com"})
    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    # When the customer follows the link and chooses a new password
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD},
    )

    # Then the new password works
    assert response.status_code == 302
    assert response.url == _url("customers:password_reset_complete")
    customer.refresh_from_db()
    assert customer.check_password(STRONG_PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_nothing(client):
    response = client.post(_url("customers:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_with_a_bad_link_says_it_no_longer_works(client):
    response = client.get(
        _url("customers:password_reset_confirm", uidb64="MQ", token="bad-token"), follow=True
    )

    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_password_change_keeps_the_customer_signed_in(customer_client, customer):
    response = customer_client.post(
        _url("customers:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": STRONG_PASSWORD,
            "new_password2": STRONG_PASSWORD,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Your password has been changed." in response.content.decode()
    customer.refresh_from_db()
    assert customer.check_password(STRONG_PASSWORD)
    assert customer_client.get(_url("customers:account")).status_code == 200


def test_password_change_refuses_a_wrong_old_password(customer_client, customer):
    response = customer_client.post(
        _url("customers:password_change"),
        {
            "old_password": "guess",
            "new_password1": STRONG_PASSWORD,
            "new_password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


# --- Profile ----------------------------------------------------------------------------------
def test_profile_change_switches_language_and_currency(customer_client, customer):
    response = customer_client.post(
        _url("customers:profile"),
        {
            "first_name": "Augusta",
            "last_name": "King",
            "preferred_language": "de",
            "preferred_currency": "EUR",
        },
    )

    assert response.status_code == 302
    assert response.url == _url("customers:profile", "de")
    customer.refresh_from_db()
    assert (customer.first_name, customer.preferred_language, customer.preferred_currency) == (
        "Augusta",
        "de",
        "EUR",
    )
    assert customer_client.session[CURRENCY_SESSION_KEY] == "EUR"


def test_profile_refuses_an_unknown_currency(customer_client, customer):
    response = customer_client.post(
        _url("customers:profile"),
        {
            "first_name": "",
            "last_name": "",
            "preferred_language": "en",
            "preferred_currency": "XXX",
        },
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.preferred_currency == ""
