"""The searchable types other apps register in `settings.CANDOR_SEARCH_TYPES`.

Each entry is a key, a label and the dotted path of a function returning the
visible queryset, so the search imports no domain app. Every model searched
implements `portal.models.pages.SearchableMixin`.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    queryset: str
    prefetch: tuple[str, ...] = ()
    singular: str = ""
    # Page-cache scopes whose writes change this type's results (portal.cache);
    # Wagtail pages need none: publishing invalidates the whole site.
    cache_scopes: tuple[str, ...] = ()

    @property
    def label_one(self) -> str:
        return self.singular or self.label

    def get_queryset(self):
        return import_string(self.queryset)()

    @property
    def model(self):
        return self.get_queryset().model


@cache
def search_types() -> tuple[SearchType, ...]:
    return tuple(SearchType(**entry) for entry in settings.CANDOR_SEARCH_TYPES)


def cache_scopes() -> list[str]:
    """Every scope a search results page depends on, for the anonymous page cache."""
    return [scope for t in search_types() for scope in t.cache_scopes]
