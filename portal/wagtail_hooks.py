"""Portal's own hook registrations."""

from wagtail import hooks

from .models import Profile


@hooks.register("candor_markdown_fields")
def portal_markdown_fields():
    return [(Profile, "bio", "bio_html")]
