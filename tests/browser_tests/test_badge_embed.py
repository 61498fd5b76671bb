"""The iframe badge works when another site frames it (a page on another port)."""

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outside_site(live_server):
    """A page on another origin (own port) that embeds the badge in an iframe."""
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>Shop</title></head><body>"
        f"<iframe src='{live_server.url}/satisfaction/badge.html' width='320' "
        "height='48' title='Customer satisfaction'></iframe></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_another_site_can_frame_the_badge(browser_page, site_tree, outside_site):
    page = browser_page(width=800)
    page.goto(outside_site)
    frame = page.frame_locator("iframe")
    image = frame.locator("img")
    image.wait_for()
    assert "Customer satisfaction" in image.get_attribute("alt")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert frame.locator("a").get_attribute("target") == "_top"
    assert page.console_errors == []
