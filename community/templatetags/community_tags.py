"""Template helpers for community pages: JSON-LD, durations, small lookups."""

import html
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from portal.site_url import absolute_url

register = template.Library()

# Characters that could end a <script> element or start HTML inside JSON.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _person(user, request) -> dict:
    profile = getattr(user, "profile", None)
    name = getattr(profile, "display_name", "") or user.get_username()
    person = {"@type": "Person", "name": name}
    if profile is not None:
        person["url"] = absolute_url(profile.get_absolute_url())
    return person


def _plain(body_html: str) -> str:
    """The post as plain text: tags stripped, then entities decoded, since JSON-LD
    is not HTML ("&lt;script&gt;" would be read literally by a search engine)."""
    return html.unescape(strip_tags(body_html)).strip()[:5000]


@register.filter
def plain_text(body_html: str) -> str:
    """A post as one line of plain text (a meta description); the template escapes it."""
    return " ".join(_plain(body_html or "").split())


def _answer_ld(answer, request) -> dict:
    url = answer.get_absolute_url()
    return {
        "@type": "Answer",
        "text": _plain(answer.body_html),
        "dateCreated": answer.created_at,
        "upvoteCount": answer.score,
        "url": absolute_url(url),
        "author": _person(answer.author, request),
    }


@register.simple_tag(takes_context=True)
def question_json_ld(context, question, answers, pinned=()):
    """schema.org QAPage JSON-LD for a question page, safe inside <script>.

    `pinned` are the answers shown above the others (the official one): they are
    counted in answerCount, so they are listed too.
    """
    request = context.get("request")
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": _plain(question.body_html),
        "answerCount": question.answer_count,
        "upvoteCount": question.score,
        "dateCreated": question.created_at,
        "author": _person(question.author, request),
    }
    accepted = question.accepted_answer
    if accepted is not None and not accepted.is_hidden:
        entity["acceptedAnswer"] = _answer_ld(accepted, request)
    seen = {question.accepted_answer_id}
    suggested = []
    for answer in [*pinned, *answers]:
        if not answer.is_hidden and answer.pk not in seen:
            seen.add(answer.pk)
            suggested.append(answer)
    suggested = suggested[:10]
    if suggested:
        entity["suggestedAnswer"] = [_answer_ld(a, request) for a in suggested]
    data = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    # Safe: every character that could close the script element is escaped above.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _amount(value: float) -> tuple[str, int]:
    """A rounded amount as shown ("10", "2.5") and the count that picks its plural."""
    text = f"{value:g}"
    return text, 1 if text == "1" else 2


@register.filter
def hours_human(hours):
    """3.2 → "3.2 hours"; 9.96 → "10 hours" (not "10.0"); 40 → "1.7 days"; None → "–".

    Rounded once, then shown without a trailing ".0", so neighbouring figures read
    alike ("10 hours" beside "11 hours").
    """
    if hours is None:
        return "–"
    minutes = round(hours * 60)
    if minutes < 60:
        n = max(1, minutes)
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    if hours < 47.5:
        text, count = _amount(round(hours) if hours >= 9.95 else round(hours, 1))
        return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": text}
    text, count = _amount(round(hours / 24, 1))
    return ngettext("%(n)s day", "%(n)s days", count) % {"n": text}


@register.filter
def percent(value):
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


@register.filter
def lookup(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def status_badge(question):
    return format_html(
        '<span class="q-status q-status-{}">{}</span>',
        question.status,
        question.get_status_display(),
    )


@register.simple_tag
def is_comment_error(comment_error, kind, pk):
    """Whether the comment form that failed validation is the one for this post."""
    return bool(comment_error) and tuple(comment_error) == (kind, pk)
