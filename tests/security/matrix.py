"""Permission matrix plumbing: walk every URL pattern, read the expected cells.

Each app keeps its rows in ``tests/security/permissions/<app>.csv`` (columns:
route, name, method, path, anonymous, customer, other_customer, staff) and
the objects its paths need in ``tests/security/worlds.py``. ``route`` and
``name`` identify the URL pattern exactly as the resolver walk prints them;
``path`` is the URL to request, with ``{placeholders}`` filled from the world.
A pattern with no row fails the coverage test, so a new URL cannot ship
without someone deciding who may open it.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "customer", "other_customer", "staff")
ROWS_DIR = Path(__file__).parent / "permissions"
# Wagtail's admin is one row (its own permission system guards the inside);
# every customer gets 403 there through portal.middleware.StaffOnlyAdminMiddleware.
OPAQUE_INCLUDES = ("admin/",)


@dataclass(frozen=True)
class Row:
    route: str
    name: str
    method: str
    path: str
    expected: dict

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def walk(patterns=None, prefix="", namespace=""):
    """Yield (route, name) for every URL pattern, includes flattened."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route in OPAQUE_INCLUDES:
                yield route, "(include)"
                continue
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            yield route, f"{namespace}:{name}" if namespace and name else name


def rows() -> list[Row]:
    out = []
    for path in sorted(ROWS_DIR.glob("*.csv")):
        with path.open(newline="") as handle:
            for record in csv.DictReader(
                line for line in handle if not line.startswith("#")
            ):
                out.append(
                    Row(
                        route=record["route"],
                        name=record["name"],
                        method=record["method"].upper(),
                        path=record["path"],
                        expected={role: int(record[role]) for role in ROLES},
                    )
                )
    return out
