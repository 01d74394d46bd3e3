"""Sign-in lock-out (django-axes) on every door: the admin, the storefront and the API token.

Failures are counted under the e-mail address that was typed (lower-cased), with the client
address from shop.net.client_ip; past AXES_FAILURE_LIMIT the right password is refused too.
"""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from tests.customers.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


def _admin_login(client, email, password, ip=ATTACKER):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_admin_failures_are_recorded_under_the_typed_email(client, staff):
    # When someone types the merchant's address (in capitals) with a wrong password
    _admin_login(client, "STAFF@example.com", "wrong")

    # Then the failure is counted for that address, not for "no username"
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "staff@example.com"
    assert attempt.ip_address == ATTACKER


def test_admin_login_refuses_the_right_password_after_the_failure_limit(client, settings, staff):
    # Given as many wrong passwords as the limit allows
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, "staff@example.com", "wrong")

    # When the right password comes next
    response = _admin_login(client, "staff@example.com", PASSWORD)

    # Then it is refused with a page that says why and what to do, and nobody is signed in
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html
    assert "_auth_user_id" not in client.session


def test_admin_lock_out_does_not_spill_over_to_another_account(client, settings, staff):
    UserFactory(email="other-staff@example.com", is_staff=True, is_superuser=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, "staff@example.com", "wrong")

    response = _admin_login(client, "other-staff@example.com", PASSWORD)

    assert response.status_code == 302


def test_api_token_is_refused_after_the_failure_limit(settings, customer):
    api = APIClient(REMOTE_ADDR=ATTACKER)
    url = reverse("api-account-token")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api.post(url, {"email": "ada@example.com", "password": "wrong"}, format="json")

    response = api.post(url, {"email": "ADA@example.com", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_storefront_and_admin_share_one_count_per_email(client, settings, customer):
    # Failures on the storefront and in the admin add up for one address
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(
            reverse("customers:login"),
            {"username": "ada@example.com", "password": "wrong"},
            REMOTE_ADDR=ATTACKER,
        )
    _admin_login(client, "ada@example.com", "wrong")

    response = client.post(
        reverse("customers:login"),
        {"username": "ada@example.com", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 429


def test_a_scripted_lock_out_answer_is_not_readable_by_other_sites(client, settings, staff):
    # django-axes answers an XMLHttpRequest with JSON (the e-mail, the limit) and a CORS
    # header: only the store's own origin may read it, not "*"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, "staff@example.com", "wrong")

    response = client.post(
        reverse("admin:login"),
        {"username": "staff@example.com", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == settings.SITE_URL
