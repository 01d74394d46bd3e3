"""shop.params: numbers from URLs are ASCII digits of bounded size; `next` stays on the site."""

import pytest
from django.test import RequestFactory

from shop.params import page_number, positive_int, safe_next_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        (" 7 ", 7),
        ("²", None),  # isdigit() says yes, int() says no
        ("١٢", None),  # int() would read 12
        ("１２", None),  # full-width digits
        ("-3", None),
        ("0", None),
        ("1e3", None),
        ("9" * 19, None),  # past a 64-bit integer
        ("", None),
        (None, None),
        (["1", "2"], None),
    ],
)
def test_positive_int_reads_only_ascii_digits(value, expected):
    assert positive_int(value) == expected


def test_page_numbers_fall_back_to_one_and_stop_at_the_last_page():
    assert page_number("²") == 1
    assert page_number("40", last_page=12) == 12
    assert page_number("3", last_page=12) == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/en/p/ring/", "/en/p/ring/"),
        ("http://testserver/en/", "http://testserver/en/"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("0", ""),  # redirect("0") would look for a view named "0"
        ("cart", ""),
        ("/en/\x00", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_next_url_keeps_only_addresses_on_this_site(value, expected):
    request = RequestFactory().get("/")
    assert safe_next_url(request, value) == expected
