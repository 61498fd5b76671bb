"""Portal's own hook registrations."""

from wagtail import hooks

from .models import Profile


@hooks.register("candor_markdown_fields")
def portal_markdown_fields():
    return [(Profile, "bio", "bio_html")]


@hooks.register("candor_timeline_providers")
def portal_timeline():
    from .timeline import NotesTimeline

    return NotesTimeline()
