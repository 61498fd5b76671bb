"""The "Talk to a person" link, the same wherever it is offered.

It carries the page the visitor came from (and its product, and a title for the
request), which the contact form attaches. It is a plain link, the same for every
visitor, so cached pages stay shareable.
"""

from urllib.parse import urlencode

from django.urls import reverse


def contact_url(request, *, title="", product=None) -> str:
    """Return the contact form's URL with the visitor's context in its query."""
    query = {"from": request.get_full_path()[:500] if request is not None else ""}
    if title:
        query["title"] = str(title)[:200]
    slug = getattr(product, "slug", "") or (product if isinstance(product, str) else "")
    if slug:
        query["product"] = slug
    return reverse("satisfaction:contact") + "?" + urlencode(query)
