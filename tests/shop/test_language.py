"""shop.language: one rule for the language texts are shown in (a configured one, else
LANGUAGE_CODE)."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from shop.language import content_language, request_language


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "fr"),
        ("fr-ca", "fr"),  # a regional variant is the language the shop speaks
        ("zh-hans", "zh-hans"),
        ("pt-br", "en"),  # a language the shop does not speak
        ("", "en"),
    ],
)
def test_a_code_becomes_a_configured_language(settings, code, expected):
    settings.LANGUAGE_CODE = "en"
    with translation.override(None):
        assert content_language(code) == expected


def test_without_a_code_the_active_language_is_used(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("de"):
        assert content_language() == "de"
    with translation.override(None):
        assert content_language() == "en"


def test_the_request_language_is_the_one_the_middleware_chose_else_the_active_one(settings):
    settings.LANGUAGE_CODE = "en"
    request = RequestFactory().get("/")
    with translation.override("es"):
        assert request_language(request) == "es"
        request.LANGUAGE_CODE = "ja"
        assert request_language(request) == "ja"
        request.LANGUAGE_CODE = "xx"
        assert request_language(request) == "en"
