"""A word-level diff of a suggested edit against the post as it is now.

Built with `difflib` on words and the whitespace between them, every piece
escaped, changes wrapped in <ins>/<del> with a hidden text label, so the
change reads the same to a screen reader as it looks (not colour alone).
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString
    changed: bool


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def _ins(text: str) -> str:
    return format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("added:"), text)


def _del(text: str) -> str:
    return format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("removed:"), text)


def words_diff(old: str, new: str) -> SafeString:
    """Escaped HTML of `old` turned into `new`, changed words marked."""
    before, after = _tokens(old), _tokens(new)
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(_del("".join(before[a1:a2])))
        if op in ("insert", "replace"):
            out.append(_ins("".join(after[b1:b2])))
    return mark_safe("".join(out))  # every piece is escaped above


def tags_diff(old: list[str], new: list[str]) -> SafeString:
    """Tags kept, removed and added, in that order."""
    old_set, new_set = set(old), set(new)
    parts = [escape(t) for t in sorted(old_set & new_set)]
    parts += [_del(t) for t in sorted(old_set - new_set)]
    parts += [_ins(t) for t in sorted(new_set - old_set)]
    return mark_safe(", ".join(parts))  # every piece is escaped above


def suggestion_diff(suggestion) -> list[FieldDiff]:
    """Title, body and tags (the fields the suggestion can change) against the post now.

    Reads the post and its tags from what the selector loaded (no query here).
    """
    post = suggestion.post
    rows = []
    if suggestion.question_id:
        current_tags = [item.tag.name for item in post.tagged_items.all()]
        new_tags = [t for t in suggestion.tags.split(", ") if t]
        rows.append(FieldDiff(_("Title"), words_diff(post.title, suggestion.title), post.title != suggestion.title))
        rows.append(FieldDiff(_("Body"), words_diff(post.body, suggestion.body), post.body != suggestion.body))
        rows.append(
            FieldDiff(_("Tags"), tags_diff(current_tags, new_tags), sorted(current_tags) != sorted(new_tags))
        )
    else:
        rows.append(FieldDiff(_("Answer"), words_diff(post.body, suggestion.body), post.body != suggestion.body))
    return rows
