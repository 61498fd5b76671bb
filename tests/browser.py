"""Playwright fixtures driving Debian's chromium (never a downloaded browser).

Use in a test module with `pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]`
and the `browser_page` fixture factory: `page = browser_page(width=375)`.
Console errors are collected on `page.console_errors` and checked by the test.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
# same test are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError(
            "Browser tests need Debian's chromium: apt-get install chromium"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """Return a factory of fresh pages (own cookies) at a given viewport width."""
    contexts = []

    def make(width=1280, height=900, **context_options):
        context = chromium.new_context(
            viewport={"width": width, "height": height}, **context_options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.console_errors = []
        page.on(
            "console",
            lambda msg: msg.type == "error" and page.console_errors.append(msg.text),
        )
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


_WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 5)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


def assert_no_horizontal_scroll(page):
    """Nothing on the page is wider than the screen (mobile-first).

    Waits for the load event first: measured while a stylesheet is still on its
    way, a page can look wider than it will be.
    """
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (
        f"{page.url} overflows by {overflow}px: {page.evaluate(_WIDER_THAN_SCREEN)}"
    )


def open_menu(page):
    """Open the header menu if it is folded (phone widths); a no-op on wide screens.

    Below 40rem the header links live in a closed <details class="site-menu">.
    """
    toggle = page.locator(".site-menu > summary")
    if toggle.is_visible() and not page.locator(".site-menu[open]").count():
        toggle.click()


def expect_signed_in(page):
    """The header offers "My account", whether or not the phone menu is open."""
    from playwright.sync_api import expect

    expect(page.locator(".account-nav a[href='/account/']")).to_be_attached()
