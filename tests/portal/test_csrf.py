"""CSRF secrets come from one os.urandom call, and Django still checks every token."""

import re
from collections import Counter

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client

from portal import csrf


def test_the_fast_source_is_what_djangos_middleware_uses():
    assert django_csrf._get_new_csrf_string is csrf.new_csrf_string


def test_secrets_have_djangos_length_and_alphabet_and_differ():
    drawn = [csrf.new_csrf_string() for _ in range(2000)]
    assert {len(s) for s in drawn} == {django_csrf.CSRF_SECRET_LENGTH}
    assert set("".join(drawn)) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    assert len(set(drawn)) == len(drawn)


def test_every_character_is_equally_likely():
    # 320,000 characters over 62 symbols: about 5,161 each (σ ≈ 72). Folding all
    # 256 byte values modulo 62 would give the first 8 symbols 6,250 and the rest
    # 5,000: the ±10 % band (7 σ, so it never fails by chance) catches that and
    # any symbol left out.
    counts = Counter("".join(csrf.new_csrf_string() for _ in range(10_000)))
    expected = 10_000 * 32 / 62
    assert len(counts) == 62
    assert all(0.9 * expected < n < 1.1 * expected for n in counts.values()), counts


def test_a_short_read_is_topped_up(monkeypatch):
    # All but 3 bytes of the first read are rejected (>= 248): it must read again.
    reads = iter([bytes([255] * 37 + [0, 1, 2]), bytes(range(40))])
    monkeypatch.setattr(csrf.os, "urandom", lambda n: next(reads))
    value = csrf.new_csrf_string()
    assert value.startswith("abc") and len(value) == 32


def test_install_refuses_when_django_renames_the_helper(monkeypatch):
    monkeypatch.delattr(django_csrf, "_get_new_csrf_string")
    with pytest.raises(RuntimeError, match="review portal/csrf.py"):
        csrf.install()


@pytest.mark.django_db
def test_a_token_minted_this_way_passes_and_a_forged_one_fails(article):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(article.url)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    ).group(1)
    assert len(visitor.cookies["csrftoken"].value) == django_csrf.CSRF_SECRET_LENGTH
    forged = visitor.post(
        article.url + "helpful/",
        {"helpful": "yes", "csrfmiddlewaretoken": csrf.new_csrf_string() * 2},
    )
    assert forged.status_code == 403
    answer = visitor.post(
        article.url + "helpful/", {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
