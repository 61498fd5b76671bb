"""Site search: one ranked search over every type the apps register.

`portal.search.types` reads the registered types, `terms` parses what was typed,
`database` ranks on SQLite FTS5 and PostgreSQL, `es` builds the Elasticsearch
facet query, `engine` merges and narrows, `analytics` logs queries for staff and
pins promoted results. Each module imports only the ones listed before it.
"""

from .engine import SearchHit, SearchOutcome, site_search, suggest
from .terms import ParsedQuery, parse, rate_limit_unit
from .types import SearchType, cache_scopes, search_types

__all__ = [
    "ParsedQuery",
    "SearchHit",
    "SearchOutcome",
    "SearchType",
    "cache_scopes",
    "parse",
    "rate_limit_unit",
    "search_types",
    "site_search",
    "suggest",
]
