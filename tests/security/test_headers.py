"""Security headers: a strict nonce CSP on public pages, relaxed for the admin only."""

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/products/",
    "/help/",
    "/search/?q=router",
    "/account/login/",
    "/community/",
    "/community/leaderboard/",
    "/satisfaction/",
    "/satisfaction/method/",
    "/satisfaction/data/",
]


def directives(header: str) -> dict:
    return {
        part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()
    }


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_send_a_strict_policy_and_the_other_headers(client, article, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert any(v.startswith("'nonce-") for v in policy["script-src"])
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_inline_brand_style_carries_this_responses_nonce(client, site_tree):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    assert f'<style nonce="{nonce}">:root{{--brand:' in html
    assert "cspnonce-" not in html and "csrf-" not in html  # no placeholder leaks


def test_pages_have_no_inline_script_or_style_without_the_nonce(client, article):
    for path in ["/", article.url, "/search/?q=x"]:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert "nonce=" in tag or "src=" in tag, tag


def test_the_admin_gets_the_relaxed_policy(staff_client, site_tree):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_two_anonymous_responses_share_no_nonce(client, site_tree):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert first != second


def test_the_api_docs_load_swagger_from_our_own_static_files(client, site_tree):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html


def test_customers_cannot_reach_the_admin_even_with_a_cached_page(
    client, customer, site_tree
):
    client.get("/")
    client.force_login(customer)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/pages/").status_code == 403
