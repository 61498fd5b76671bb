"""Rank index entries on the database backends: SQLite FTS5 and PostgreSQL.

Wagtail's database backend ranks one model at a time and gives titles no extra
weight, so a help article titled "Update Router X firmware" came 32nd behind
question threads that merely mention firmware. Every model's entries live in one
table (`wagtailsearch_indexentry`, kept current by Wagtail), so one query here
ranks all types together: title matches weigh `TITLE_WEIGHT` times body
matches, the last word typed matches as a prefix, word forms are stemmed
(FTS5 porter tokenizer, PostgreSQL `english` config, migration 0003), and a
query nothing matches is retried for typos (PostgreSQL trigram similarity;
SQLite, which has none, retries each word as a shorter prefix).

Each function returns ``[(content_type_id, object_id, score)]``, best first,
with scores on one scale (higher is better). Visibility is not decided here:
the caller loads the objects through each type's visible queryset.
"""

from django.db import connection
from wagtail.search.models import IndexEntry

TITLE_WEIGHT = 8.0


def supported() -> bool:
    """True when this database has the full-text index these queries read."""
    if connection.vendor == "postgresql":
        return True
    if connection.vendor != "sqlite":
        return False
    return f"{IndexEntry._meta.db_table}_fts" in connection.introspection.table_names()


def _fts_term(word: str, *, prefix: bool) -> str:
    # Words are \w+ only (portal.search.terms), quoted so FTS5 reads no operator.
    return f'"{word}"*' if prefix else f'"{word}"'


def _ts_term(word: str, *, prefix: bool) -> str:
    return f"'{word}':*" if prefix else f"'{word}'"


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _best_per_type(matches_sql: str) -> str:
    """Keep the best `limit` (the last parameter) matches of each content type.

    One type with thousands of matches (answers repeat their question's title)
    must not push a product or an article out of the ranked pool.
    """
    return (
        "SELECT content_type_id, object_id, score FROM ("
        "SELECT m.*, ROW_NUMBER() OVER "
        "(PARTITION BY content_type_id ORDER BY score DESC) AS place "
        f"FROM ({matches_sql}) m) ranked WHERE place <= %s ORDER BY score DESC"
    )


def rank(
    terms: tuple[str, ...],
    *,
    require_all: bool,
    content_type_ids: list[int],
    limit: int,
    prefix_all: bool = False,
) -> list[tuple[int, str, float]]:
    """Entries matching `terms` (all of them, or any, ranked), the last as a prefix."""
    if not terms or not content_type_ids:
        return []
    table = IndexEntry._meta.db_table
    last = len(terms) - 1
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            joiner = " AND " if require_all else " OR "
            match = joiner.join(
                _fts_term(w, prefix=prefix_all or i == last)
                for i, w in enumerate(terms)
            )
            # bm25() is lower for better matches; its weights follow the FTS
            # table's columns: autocomplete (unused here), body, title.
            cursor.execute(
                _best_per_type(
                    f"SELECT e.content_type_id, e.object_id, "
                    f"-bm25({table}_fts, 0.0, 1.0, %s) AS score "
                    f"FROM {table}_fts JOIN {table} e ON e.id = {table}_fts.rowid "
                    f"WHERE {table}_fts MATCH %s "
                    f"AND e.content_type_id IN ({_placeholders(content_type_ids)})"
                ),
                [TITLE_WEIGHT, "{title body} : (" + match + ")", *content_type_ids]
                + [limit],
            )
        else:
            joiner = " & " if require_all else " | "
            tsquery = joiner.join(
                _ts_term(w, prefix=prefix_all or i == last) for i, w in enumerate(terms)
            )
            cursor.execute(
                _best_per_type(
                    f"SELECT content_type_id, object_id, "
                    f"ts_rank(title, q) * %s + ts_rank(body, q) AS score "
                    f"FROM {table}, to_tsquery('english', %s) q "
                    f"WHERE content_type_id IN ({_placeholders(content_type_ids)}) "
                    f"AND (title @@ q OR body @@ q)"
                ),
                [TITLE_WEIGHT, tsquery, *content_type_ids, limit],
            )
        return [(ct, str(pk), float(score)) for ct, pk, score in cursor.fetchall()]


def rank_typos(
    terms: tuple[str, ...], *, content_type_ids: list[int], limit: int
) -> list[tuple[int, str, float]]:
    """Entries close to `terms` when nothing matched them as typed.

    PostgreSQL: pg_trgm word similarity against the entries' plain text (GIN
    trigram indexes from migration 0003). SQLite: each word as a prefix two
    letters shorter ("firmwre" finds "firmware" through "firmw*").
    """
    if not terms or not content_type_ids:
        return []
    if connection.vendor == "sqlite":
        stems = tuple(w[: max(3, len(w) - 2)] for w in terms)
        return rank(
            stems,
            require_all=False,
            content_type_ids=content_type_ids,
            limit=limit,
            prefix_all=True,
        )
    table = IndexEntry._meta.db_table
    score = " + ".join(
        ["word_similarity(%s, title_text) * %s + word_similarity(%s, body_text)"]
        * len(terms)
    )
    near = " OR ".join(["%s <%% title_text OR %s <%% body_text"] * len(terms))
    params = []
    for word in terms:
        params += [word, TITLE_WEIGHT, word]
    params += list(content_type_ids)
    for word in terms:
        params += [word, word]
    with connection.cursor() as cursor:
        cursor.execute(
            _best_per_type(
                f"SELECT content_type_id, object_id, {score} AS score FROM {table} "
                f"WHERE content_type_id IN ({_placeholders(content_type_ids)}) "
                f"AND ({near})"
            ),
            [*params, limit],
        )
        return [(ct, str(pk), float(s)) for ct, pk, s in cursor.fetchall()]
