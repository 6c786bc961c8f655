"""The SQL that differs between PostgreSQL and SQLite, and the SQL that doesn't.

Both engines index the same words (migration 0003): PostgreSQL in the
`search_document` tsvector (name weighted A), SQLite in the FTS5 table
`catalog_product_fts` (columns name, description). A query reaches either as
the same boolean form: every query word must match one of its terms, a term
being a whole word or a word prefix.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL


class Term(NamedTuple):
    """A catalogue word a query word stands for; `prefix` also finds longer words."""

    text: str
    prefix: bool


def _tsquery(alternatives: list[list[Term]], *, name_only: bool) -> str:
    parts = []
    for terms in alternatives:
        lexemes = []
        for term in terms:
            label = ("*" if term.prefix else "") + ("A" if name_only else "")
            text = term.text.replace("\\", "\\\\").replace("'", "''")
            lexemes.append(f"'{text}'" + (f":{label}" if label else ""))
        parts.append("(" + " | ".join(lexemes) + ")")
    return " & ".join(parts)


def _fts5_query(alternatives: list[list[Term]], *, name_only: bool) -> str:
    parts = []
    for terms in alternatives:
        phrases = " OR ".join(
            '"{}"{}'.format(term.text.replace('"', '""'), "*" if term.prefix else "")
            for term in terms
        )
        parts.append(("{name} : " if name_only else "") + "(" + phrases + ")")
    return " AND ".join(parts)


def matches(alternatives: list[list[Term]], *, name_only: bool = False) -> RawSQL:
    """Return a condition true for products whose text has every word.

    `alternatives` holds, for each query word, the terms it may match; with
    `name_only` every word must be in the product's name. The query text is a
    bound parameter; only fixed SQL is written here.
    """
    if connection.vendor == "postgresql":
        return RawSQL(
            '"catalog_product"."search_document" @@ %s::tsquery',
            [_tsquery(alternatives, name_only=name_only)],
            output_field=BooleanField(),
        )
    return RawSQL(
        '"catalog_product"."id" IN (SELECT rowid FROM catalog_product_fts'
        " WHERE catalog_product_fts MATCH %s)",
        [_fts5_query(alternatives, name_only=name_only)],
        output_field=BooleanField(),
    )


def position(ids: list[int]) -> RawSQL:
    """Return each product's place in `ids`, to ORDER BY, as one parameter.

    (A CASE of one WHEN per id costs Django more to build than the query.)
    """
    if connection.vendor == "postgresql":
        return RawSQL(
            'array_position(%s::bigint[], "catalog_product"."id")',
            [ids],
            output_field=IntegerField(),
        )
    return RawSQL(
        """instr(%s, ',' || "catalog_product"."id" || ',')""",
        ["," + ",".join(str(pk) for pk in ids) + ","],
        output_field=IntegerField(),
    )


# Beyond every character a word can hold: [word, word + END) is every word
# that starts with `word`, in the byte order of both engines (COLLATE "C" on
# PostgreSQL, BINARY on SQLite).
END = "\U0010ffff"

FIRST_WITH_PREFIX = (
    "SELECT * FROM (SELECT word FROM catalog_searchword WHERE word >= %s"
    " AND word < %s AND products > 0 ORDER BY word LIMIT 2) AS first_words"
)
EXACTLY = "SELECT word FROM catalog_searchword WHERE word = %s AND products > 0"


def known_words(prefixes: list[str], exact: list[str]) -> set[str]:
    """Return catalogue words: the first two starting with each prefix, and `exact`.

    One query over the words table, whatever the number of words.
    """
    selects = [FIRST_WITH_PREFIX] * len(prefixes) + [EXACTLY] * len(exact)
    params = [bound for prefix in prefixes for bound in (prefix, prefix + END)]
    if not selects:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), [*params, *exact])
        return {row[0] for row in cursor.fetchall()}


def vocabulary(shortest: int, longest: int) -> list[tuple[str, int]]:
    """Return (word, products) for every catalogue word of that many characters."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, products FROM catalog_searchword WHERE products > 0"
            " AND length(word) BETWEEN %s AND %s ORDER BY word",
            [max(shortest, 1), longest],
        )
        return [(word, products) for word, products in cursor.fetchall()]


# Categories, active POSDAYA and waste categories (kind, id, name, slug, order).
GROUPS = (
    "SELECT 'c', id, name, slug, \"order\" FROM catalog_category"
    " UNION ALL SELECT 'p', id, name, '', 0 FROM posdaya_posdaya WHERE is_active"
    " UNION ALL SELECT 'w', id, name || ' ' || \"group\", '', 0"
    " FROM banksampah_wastecategory"
)


def groups() -> list[tuple]:
    """Return every category, active POSDAYA and waste category, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(GROUPS)
        return cursor.fetchall()
