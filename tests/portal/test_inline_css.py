"""candor.css inline in <head> (issue 19): no render-blocking stylesheet request, the
strict CSP kept, cached pages included, production's hashed file names honoured."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

FONT = "portal/fonts/atkinson-hyperlegible-next-latin-400-normal"


def _inline_styles(response) -> tuple[str, list[str]]:
    """(this response's nonce, the CSS of every <style> carrying it)."""
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    return nonce, re.findall(
        rf'<style nonce="{re.escape(nonce)}">(.*?)</style>', html, re.S
    )


def test_the_site_stylesheet_is_inline_and_not_linked(client, site_tree):
    response = client.get("/")
    html = response.content.decode()
    _nonce, styles = _inline_styles(response)
    site = [css for css in styles if ":focus-visible" in css]
    assert len(site) == 1
    assert "portal/css/candor.css" not in html  # no <link> that would block the paint
    assert not re.search(r'<link rel="stylesheet"[^>]*candor', html)
    # Relative font URLs would resolve against the page's address: made absolute.
    assert f'url("/static/{FONT}.woff2")' in site[0]
    assert "../fonts/" not in site[0]
    assert "/*" not in site[0]  # comments stripped


def test_a_page_from_the_cache_gets_the_inline_css_with_its_own_nonce(
    client, site_tree
):
    first_nonce, first = _inline_styles(client.get("/"))
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    nonce, styles = _inline_styles(response)
    assert nonce != first_nonce
    assert [css for css in styles if ":focus-visible" in css] == [
        css for css in first if ":focus-visible" in css
    ]
    assert "cspnonce-" not in response.content.decode()


def test_production_inlines_the_collected_copy_with_hashed_font_urls(
    client, site_tree, settings, tmp_path
):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    _nonce, styles = _inline_styles(client.get("/"))
    site = next(css for css in styles if ":focus-visible" in css)
    fonts = re.findall(r'url\("/static/([^"]+\.woff2)"\)', site)
    assert fonts and all(
        re.search(r"\.[0-9a-f]{12}\.woff2$", font) for font in fonts
    ), fonts
    assert all((Path(settings.STATIC_ROOT) / font).exists() for font in fonts)
