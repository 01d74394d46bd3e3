"""API tokens: several named tokens per user, hashed at rest, listed and revoked by their owner
(API and account page), expiring, and revoked by a password change or reset."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import ApiToken
from tests.customers.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "amethyst-ring-1893"


def _obtain(email="ada@example.com", password=PASSWORD, **extra) -> str:
    response = APIClient().post(
        "/api/v1/account/token/", {"email": email, "password": password, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _api(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def _works(token: str) -> bool:
    return _api(token).get("/api/v1/account/").status_code == 200


# --- Revoked by a password change or reset ----------------------------------------------------
def test_a_password_change_revokes_the_users_tokens(client, customer):
    # Given a token taken with the old password
    token = _obtain()
    assert _works(token)

    # When the customer changes their password on the account page
    client.force_login(customer)
    response = client.post(
        reverse("customers:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # Then the token no longer works, and a new sign-in gives one that does
    assert response.status_code == 302
    assert not _works(token)
    assert _works(_obtain(password=NEW_PASSWORD))


def test_a_password_reset_revokes_the_users_tokens(client, customer):
    token = _obtain()
    client.post(reverse("customers:password_reset"), {"email": "ada@example.com"})
    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert not _works(token)


def test_a_password_set_by_the_merchant_revokes_the_tokens(customer):
    token = _obtain()

    customer.set_password(NEW_PASSWORD)
    customer.save()

    assert not _works(token)


def test_a_sign_in_that_upgrades_the_password_hash_keeps_the_tokens(settings, customer):
    # Given a token, and a password stored with a hasher the store no longer prefers
    token = _obtain()
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]

    # When the customer signs in (Django re-hashes the password then)
    assert customer.check_password(PASSWORD)

    # Then their tokens still work: the password did not change
    customer.refresh_from_db()
    assert customer.password.startswith("scrypt")
    assert _works(token)


# --- Several named tokens, hashed -------------------------------------------------------------
def test_each_sign_in_gives_another_working_token_stored_only_as_a_hash(customer):
    phone = _obtain(name="Phone")
    laptop = _obtain(name="Laptop")

    assert phone != laptop
    assert _works(phone) and _works(laptop)
    stored = list(ApiToken.objects.filter(user=customer).values_list("digest", "prefix", "name"))
    assert {name for _digest, _prefix, name in stored} == {"Phone", "Laptop"}
    assert all(phone not in digest and laptop not in digest for digest, _p, _n in stored)


def test_a_user_keeps_at_most_the_configured_number_of_tokens(settings, customer):
    settings.API_TOKEN_MAX_PER_USER = 2
    oldest = _obtain(name="old")
    used = _obtain(name="used")
    assert _works(used)  # used lately: kept

    newest = _obtain(name="new")

    assert ApiToken.objects.filter(user=customer).count() == 2
    assert not _works(oldest)
    assert _works(used) and _works(newest)


# --- Listing and revoking ---------------------------------------------------------------------
def test_a_user_lists_their_own_tokens_through_the_api(customer):
    first = _obtain(name="Phone")
    _obtain(name="Laptop")
    UserFactory(email="grace@example.com")
    _obtain(email="grace@example.com", name="Grace's")

    response = _api(first).get("/api/v1/account/tokens/")

    assert response.status_code == 200
    body = response.json()
    assert [token["name"] for token in body] == ["Laptop", "Phone"]
    assert [token["current"] for token in body] == [False, True]
    assert body[1]["prefix"] == first[:6]
    assert body[1]["last_used_at"] is not None
    assert all("token" not in token and first not in str(token) for token in body)


def test_a_user_revokes_a_token_through_the_api(customer):
    keep = _obtain(name="Phone")
    lost = _obtain(name="Lost laptop")
    lost_id = ApiToken.objects.get(name="Lost laptop").pk

    response = _api(keep).delete(f"/api/v1/account/tokens/{lost_id}/")

    assert response.status_code == 204
    assert not _works(lost)
    assert _works(keep)


def test_another_users_token_cannot_be_revoked(customer):
    UserFactory(email="grace@example.com")
    graces = _obtain(email="grace@example.com")
    grace_id = ApiToken.objects.get(user__email="grace@example.com").pk

    response = _api(_obtain()).delete(f"/api/v1/account/tokens/{grace_id}/")

    assert response.status_code == 404
    assert _works(graces)


def test_a_signed_in_user_makes_a_named_token_through_the_api(customer):
    response = _api(_obtain()).post("/api/v1/account/tokens/", {"name": "CI"}, format="json")

    assert response.status_code == 201
    assert response.json()["name"] == "CI"
    assert _works(response.json()["token"])


def test_the_account_page_lists_makes_and_revokes_tokens(client, customer):
    old = _obtain(name="Old phone")
    client.force_login(customer)

    page = client.get(reverse("customers:api_tokens")).content.decode()
    assert "Old phone" in page
    assert old[:6] in page and old not in page

    made = client.post(reverse("customers:api_tokens"), {"name": "Shop sync"})
    key = re.search(
        r'<code class="account-token" dir="ltr">([0-9a-f]{40})</code>', made.content.decode()
    )
    assert key and _works(key.group(1))
    assert made["Cache-Control"] == "no-store"

    old_id = ApiToken.objects.get(name="Old phone").pk
    revoked = client.post(reverse("customers:api_token_revoke", args=[old_id]), follow=True)
    assert "no longer works" in revoked.content.decode()
    assert not _works(old)
    assert "Old phone" not in client.get(reverse("customers:api_tokens")).content.decode()


# --- Expiry -----------------------------------------------------------------------------------
def test_a_token_expires_after_the_configured_days(settings, customer):
    settings.API_TOKEN_TTL_DAYS = 30
    token = _obtain()
    stored = ApiToken.objects.get()
    assert stored.expires_at - timezone.now() > timedelta(days=29)

    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _api(token).get("/api/v1/account/")
    assert response.status_code == 403  # as for any bad token (session auth comes first)
    assert "expired" in response.json()["error"]


def test_tokens_never_expire_when_the_setting_is_zero(settings, customer):
    settings.API_TOKEN_TTL_DAYS = 0
    _obtain()

    assert ApiToken.objects.get().expires_at is None


# --- Tokens from before (DRF's authtoken) -----------------------------------------------------
def test_tokens_made_by_drf_authtoken_keep_working_after_the_migration(customer, settings):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("customers.migrations.0002_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint, "
            "created timestamp)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, %s)",
            [key, customer.pk, timezone.now()],
        )
    migration.copy_drf_tokens(apps, SimpleNamespace(connection=connection))

    assert _works(key)
    assert ApiToken.objects.get().prefix == key[:6]


# --- The merchant's view ----------------------------------------------------------------------
def test_staff_see_and_revoke_tokens_but_never_a_key(merchant_client, customer):
    key = _obtain(name="Phone")
    token = ApiToken.objects.get()

    listing = merchant_client.get("/admin/customers/apitoken/").content.decode()
    add = merchant_client.get("/admin/customers/apitoken/add/")
    merchant_client.post(f"/admin/customers/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert "Phone" in listing and "ada@example.com" in listing
    assert key not in listing and token.digest not in listing
    assert add.status_code == 403
    assert not _works(key)
