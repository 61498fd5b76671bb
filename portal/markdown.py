"""Render user-written Markdown to sanitised HTML: the one place that does it.

Markdown is parsed by markdown-it-py with raw HTML turned off, then the HTML is
cleaned by nh3 against an allow-list. Both steps matter: the parser never emits
user HTML, and the sanitiser guarantees that nothing outside the list survives
even if a parser bug did. Callers store both the source and this output, so a
change of rules is applied by re-rendering (see `portal_markdown_rerender`).
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable(["table", "strikethrough"])
# Headings in user text start at h3: the page owns h1 and h2.
_HEADING_SHIFT = {f"h{n}": f"h{min(n + 2, 6)}" for n in range(1, 7)}


def _shift_headings(tokens):
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _HEADING_SHIFT[token.tag]
    return tokens


def render_markdown(text: str) -> str:
    """Return safe HTML for the Markdown `text`; links get rel="nofollow ugc"."""
    if not text:
        return ""
    env: dict = {}
    tokens = _shift_headings(_parser.parse(text, env))
    html = _parser.renderer.render(tokens, _parser.options, env)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc",
        strip_comments=True,
    )
