"""The OpenAPI schema is valid and complete, and its documentation pages work offline."""

import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

from shop.api import OfflineRedocView

EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
ANY_REMOTE = re.compile(r"https?://(?!testserver)[\w.-]+", re.IGNORECASE)


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema


def test_schema_is_served_as_json_too(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert json.loads(response.content)["paths"]


def test_spectacular_validate_fail_on_warn_passes_for_the_whole_project(tmp_path, db):
    # Raises (SystemExit / CommandError) on any warning or schema error, for every app's API.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    assert yaml.safe_load((tmp_path / "schema.yml").read_text())["paths"]


def _api_views(resolver=None, prefix=""):
    """(path pattern, view class) of every DRF view under /api/v1/."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_views(entry, pattern)
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "cls", None)
            if view_class is not None and pattern.startswith("api/v1/"):
                yield pattern, view_class


def _as_openapi_path(pattern: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern).lstrip("^").rstrip("$")


def test_every_api_v1_endpoint_is_in_the_schema(schema):
    documented = set(schema["paths"])
    routed = {_as_openapi_path(pattern) for pattern, _view in _api_views()}

    assert routed, "no /api/v1/ endpoint found"
    assert routed - documented == set()


def _operation(schema, path, method="get"):
    return schema["paths"][path][method]


def test_product_list_documents_its_filters_with_types_and_enums(schema):
    operation = _operation(schema, "/api/v1/products/")
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert {
        "category",
        "collection",
        "metal",
        "gemstone",
        "price_min",
        "price_max",
        "in_stock",
        "q",
        "ordering",
        "lang",
        "currency",
        "page",
        "page_size",
    } <= set(parameters)
    assert parameters["ordering"]["schema"]["enum"] == ["newest", "price", "-price"]
    assert "fr" in parameters["lang"]["schema"]["enum"]
    assert "EUR" in parameters["currency"]["schema"]["enum"]
    assert parameters["in_stock"]["schema"]["type"] == "boolean"
    assert parameters["page"]["schema"]["type"] == "integer"
    assert parameters["price_min"]["schema"]["format"] == "decimal"


def test_catalog_operations_document_their_error_responses(schema):
    def error_ref(operation, code):
        content = operation["responses"][code]["content"]["application/json"]
        return content["schema"]["$ref"]

    listing = _operation(schema, "/api/v1/products/")
    detail = _operation(schema, "/api/v1/products/{handle}/")

    assert listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/PaginatedProductListItemList"
    )
    assert error_ref(listing, "400") == "#/components/schemas/Error"
    assert error_ref(listing, "429") == "#/components/schemas/Error"
    assert error_ref(detail, "404") == "#/components/schemas/Error"
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "code", "detail"}


def test_product_detail_schema_describes_variants_and_prices(schema):
    components = schema["components"]["schemas"]
    detail = components["ProductDetail"]["properties"]

    assert detail["variants"]["items"]["$ref"] == "#/components/schemas/Variant"
    assert set(components["Price"]["properties"]) == {"base", "display"}
    assert set(components["Money"]["properties"]) == {"amount", "currency", "formatted"}
    assert components["Image"]["properties"]["thumbnail_url"]["nullable"] is True


def _local_assets(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)


def test_swagger_docs_page_uses_only_local_assets(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_URL.search(html)
    assert not ANY_REMOTE.search(html)
    assets = _local_assets(html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a local file"


def test_offline_redoc_view_uses_only_local_assets(rf, db):
    request = rf.get("/api/redoc/")

    response = OfflineRedocView.as_view(url_name="api-schema")(request)

    html = response.content.decode()
    assert response.status_code == 200
    assert not ANY_REMOTE.search(html)
    scripts = _local_assets(html)
    assert [script.rsplit("/", 1)[-1] for script in scripts] == [
        "redoc.standalone.js",
        "redoc_init.js",
    ]
    assert all(finders.find(script.removeprefix("/static/")) for script in scripts)
    # Started by static/js/redoc_init.js (no inline script) with the schema URL it carries
    assert 'data-schema-url="/api/schema/"' in html


def test_redoc_page_makes_no_request_to_the_internet(client, db):
    response = client.get("/api/redoc/")

    assert response.status_code == 200
    assert not ANY_REMOTE.search(response.content.decode())
