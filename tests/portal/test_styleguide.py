"""/styleguide/: the design system's page shows every component from its real template (issue 19)."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def badges(db):
    call_command("badgify_sync", "badges", verbosity=0)


def test_the_styleguide_renders_every_component(client, site_tree, badges, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/styleguide/")
    assert response.status_code == 200
    html = response.content.decode()
    # tokens
    assert "--brand" in html and "--text-2xl" in html and "--space-7" in html
    # buttons: primary, secondary, small, chosen, danger, link
    for cls in ('class="button"', "button button-secondary", "button button-small", "button is-chosen", "button button-danger", 'class="link-button"'):
        assert cls in html, cls
    # notices from includes/messages.html, one of each kind
    for kind in ("info", "success", "warning", "error"):
        assert f'class="message message-{kind}"' in html
    # the form field include, with help text, an optional marker and errors
    assert 'class="field field-error"' in html and "(optional)" in html and 'class="help"' in html
    assert "Please correct the errors below." in html
    # cards, tables and pagination from includes/pagination.html
    assert 'class="card"' in html and '<table class="table">' in html
    assert "Page 3 of 6" in html and 'rel="prev"' in html and 'rel="next"' in html
    # medals from the community's badge include, one of each tier, and review stars
    assert len(re.findall(r'class="medal medal-(bronze|silver|gold)"', html)) == 3
    assert "★★★★★" in html and "★★★☆☆" in html
    assert "community/css/reputation.css" in html and "reviews/css/reviews.css" in html


def test_the_styleguide_is_cached_for_visitors(client, site_tree, badges, django_assert_max_num_queries):
    client.get("/styleguide/")
    with django_assert_max_num_queries(2):
        assert client.get("/styleguide/").status_code == 200
