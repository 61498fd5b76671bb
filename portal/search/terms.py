"""Turn what a visitor typed (or pasted) into the words a search engine can use.

A pasted error message is the normal long query: requiring every one of its
words finds nothing, and cutting it at a character count splits a word. So
repeated words and common English words are dropped, and past `MAX_TERMS`
distinct words the longest ones are kept (in the order typed), since long
words are the specific ones ("0x80070005", "firmware") and short ones the
filler. `ParsedQuery.shortened` tells the page to say so.
"""

import re
from dataclasses import dataclass, field

# Characters read from a query: a long paste is cut here, at a word boundary.
MAX_QUERY_LENGTH = 1000
# Distinct words searched for; the rest are left out and the page says so.
MAX_TERMS = 10
# The words a query keeps when every one requires a match; longer queries are
# searched with OR and ranked, so the results hold most of the words.
MAX_AND_TERMS = 4
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
WORD = re.compile(r"\w+", re.UNICODE)

# English words too common to help find anything (a short list on purpose:
# PostgreSQL's `english` config drops these too, so both backends agree).
STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be been before
    being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if
    in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours out over own same she should so some such than
    that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with
    would you your yours""".split()
)


@dataclass(frozen=True)
class ParsedQuery:
    """The query as shown back to the reader, and the terms searched for."""

    text: str
    terms: tuple[str, ...] = ()
    dropped: tuple[str, ...] = field(default=())
    cut: bool = False  # the paste was longer than MAX_QUERY_LENGTH

    @property
    def shortened(self) -> bool:
        return bool(self.dropped) or self.cut

    @property
    def require_all(self) -> bool:
        return len(self.terms) <= MAX_AND_TERMS


def clean(query: str) -> str:
    """Collapse whitespace, drop control characters, cut long pastes at a word."""
    text = " ".join(CONTROL_CHARS.sub(" ", query or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
    return text


def parse(query: str) -> ParsedQuery:
    """Return the cleaned text and its most useful distinct words (lowercased)."""
    text = clean(query)
    cut = len(text) < len(" ".join(CONTROL_CHARS.sub(" ", query or "").split()))
    words = []
    for word in WORD.findall(text.lower()):
        word = word.strip("_")
        if word and word not in words:
            words.append(word)
    useful = [w for w in words if w not in STOPWORDS] or words
    if len(useful) <= MAX_TERMS:
        return ParsedQuery(text=text, terms=tuple(useful), cut=cut)
    keep = set(sorted(useful, key=lambda w: (-len(w), useful.index(w)))[:MAX_TERMS])
    return ParsedQuery(
        text=text,
        terms=tuple(w for w in useful if w in keep),
        dropped=tuple(w for w in useful if w not in keep),
        cut=cut,
    )


def rate_limit_unit(request) -> str:
    """What one search counts as for rate limits: its normalised query text.

    Filter (type, product, tag) and page clicks on the same query are the same
    search, so ``portal.ratelimit`` counts it once per client.
    """
    return clean(request.GET.get("q", "")).lower()
