"""User Markdown becomes safe HTML: one function, an allow-list, nofollow links."""

from html.parser import HTMLParser

import pytest

from portal.markdown import ALLOWED_TAGS, render_markdown


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("[click](JaVaScRiPt:alert(1))", "javascript:"),
        ('<img src=x onerror="alert(1)">', "onerror="),
        ("![x](https://example.com/x.png)", "<img"),
        ('<a href="https://evil.example" onclick="steal()">x</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("<style>body{display:none}</style>", "<style"),
        ("[x](vbscript:msgbox)", "vbscript:"),
    ],
)
def test_dangerous_markup_is_stripped(source, forbidden):
    """Whatever survives is inert: only allowed tags, no handlers, only safe URL schemes."""
    for tag, attrs in elements(render_markdown(source)):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href", "")
        assert href == "" or href.startswith(("http://", "https://", "mailto:")), href
        assert (
            forbidden.rstrip("=:")
            not in " ".join(f"{k}={v}" for k, v in attrs.items()).lower()
        )


def test_links_get_nofollow_ugc():
    html = render_markdown("See [the docs](https://example.com/docs).")
    assert '<a href="https://example.com/docs" rel="nofollow ugc">the docs</a>' in html


def test_common_markdown_renders():
    html = render_markdown(
        "# Title\n\n**bold** and *em*\n\n- one\n- two\n\n```\ncode <b>\n```\n\n> quote"
    )
    assert "<h3>Title</h3>" in html  # user headings start below the page's h1/h2
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert "<pre><code>code &lt;b&gt;\n</code></pre>" in html
    assert "<blockquote>" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("I typed <b>bold</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_empty_text_renders_empty():
    assert render_markdown("") == ""


@pytest.mark.django_db
def test_rerender_command_applies_current_rules_to_stored_html(customer):
    from io import StringIO

    from django.core.management import call_command

    from portal.models import Profile

    Profile.objects.filter(user=customer).update(
        bio="**hi** <script>x</script>", bio_html="<script>x</script>"
    )
    out = StringIO()
    call_command("portal_markdown_rerender", stdout=out)
    assert "portal.Profile.bio_html: 1 re-rendered" in out.getvalue()
    assert Profile.objects.get(user=customer).bio_html == render_markdown(
        "**hi** <script>x</script>"
    )
    call_command("portal_markdown_rerender", stdout=out)
    assert "portal.Profile.bio_html: 0 re-rendered" in out.getvalue()
