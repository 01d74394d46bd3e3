"""A Content-Security-Policy without inline scripts, and the usual security headers, on the
storefront, the admin, Rosetta and the API docs."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
# <script> elements that hold data, not code: CSP does not run them.
DATA_SCRIPT = re.compile(r'type="application/(ld\+)?json"')


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_secure(response):
    policy = _policy(response)
    assert policy, "no Content-Security-Policy header"
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def _inline_scripts(html: str) -> list[str]:
    found = []
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I):
        attributes, body = match.groups()
        if "src=" in attributes or DATA_SCRIPT.search(attributes):
            continue
        found.append(match.group(0)[:200])
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/en/", "/en/account/login/", "/admin/login/", "/api/docs/", "/api/redoc/"],
)
def test_pages_send_the_policy_and_the_security_headers(client, url):
    response = client.get(url)

    assert response.status_code == 200
    _assert_secure(response)
    assert _inline_scripts(response.content.decode()) == []


@pytest.mark.django_db
def test_the_admin_and_rosetta_pages_have_no_inline_script(merchant_client):
    for url in ("/admin/", "/admin/catalog/product/", "/admin/catalog/product/add/", "/rosetta/"):
        response = merchant_client.get(url, follow=True)
        assert response.status_code == 200, url
        _assert_secure(response)
        assert _inline_scripts(response.content.decode()) == [], url


def test_no_template_has_an_inline_script():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        scripts = _inline_scripts(template.read_text())
        offenders += [f"{template.relative_to(ROOT)}: {script}" for script in scripts]
    assert offenders == []


@pytest.mark.django_db
def test_the_swagger_page_loads_its_script_from_the_site(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)

    assert sources
    assert all(source.startswith("/") for source in sources), sources
    script = client.get(sources[-1])
    assert script.status_code == 200
    assert (
        "SwaggerUIBundle" in b"".join(script).decode()
        if hasattr(script, "streaming_content")
        else script.content.decode()
    )


@pytest.mark.django_db
def test_the_schema_json_is_not_framed_by_the_docs_policy(client):
    # The docs' relaxations (workers from blob: for ReDoc) stay on the docs pages
    store = _policy(client.get("/en/"))
    redoc = _policy(client.get(reverse("api-redoc")))

    assert "blob:" not in store.get("worker-src", [])
    assert "blob:" in redoc.get("worker-src", [])
