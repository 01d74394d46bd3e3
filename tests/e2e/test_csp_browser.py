"""The Content-Security-Policy breaks nothing: in a real Chromium, the storefront, the admin,
Rosetta and the API docs load and run without a single CSP violation."""

import pytest

from tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass!"
# ReDoc's "API docs by Redocly" footer always loads its logo from Redocly's CDN: the policy
# blocks it, as it should (the store makes no request to the internet), and ReDoc hides it.
EXPECTED_BLOCKS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


@pytest.fixture
def watched_page(browser_page):
    """The page, with every CSP violation and script error it meets collected."""
    page = browser_page
    problems: list[str] = []
    page.add_init_script(
        """
        window.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
          window.__cspViolations.push(
            event.violatedDirective + " blocked " + (event.blockedURI || "inline")
            + " at " + event.sourceFile + ":" + event.lineNumber
          );
        });
        """
    )
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.problems = problems
    return page


def _visit(page, url: str, ready_selector: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector(ready_selector, state="attached")
    page.wait_for_load_state("networkidle")
    found = page.problems + page.evaluate("window.__cspViolations")
    page.problems.clear()
    return [problem for problem in found if not any(url in problem for url in EXPECTED_BLOCKS)]


def test_storefront_admin_rosetta_and_docs_run_under_the_policy(
    watched_page, live_server, merchant, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    product = ProductFactory(handle="gold-ring", name="Gold ring")
    page = watched_page
    base = live_server.url

    # The storefront: the <html> class set by the head script, the product page's scripts
    assert _visit(page, f"{base}/en/", "main") == []
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert _visit(page, f"{base}{product.get_absolute_url()}", "main") == []

    # The admin, signed in through its own form
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", merchant.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    assert _visit(page, f"{base}/admin/catalog/product/", "#result_list") == []
    assert _visit(page, f"{base}/admin/catalog/product/add/", "form") == []

    # Rosetta, for the same superuser
    assert _visit(page, f"{base}/rosetta/", "#content") == []

    # Swagger UI renders the operations; ReDoc renders the API's title
    assert _visit(page, f"{base}/api/docs/", ".opblock") == []
    assert _visit(page, f"{base}/api/redoc/", "h1") == []
