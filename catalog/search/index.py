"""Keep SQLite's search triggers in place when Django rebuilds the product table.

Django alters a SQLite table by creating a new one, copying the rows and
dropping the old one, which drops the old table's triggers with it: after a
later migration that alters `catalog_product`, new and changed products would
silently stop reaching the search index. After every `migrate` this puts the
triggers back and rebuilds the index from the products, using migration
0003's own statements.
"""

import importlib

from django.db import connections

TRIGGERS = (
    "catalog_product_search_insert",
    "catalog_product_search_delete",
    "catalog_product_search_update",
)


def _migration():
    return importlib.import_module("catalog.migrations.0005_search_everywhere")


def ensure_sqlite_search_index(*, using: str = "default", **kwargs) -> bool:
    """Rebuild the SQLite search index if its triggers are gone; True if it did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = 'catalog_product_fts'"
            " OR (type = 'trigger' AND tbl_name = 'catalog_product')"
        )
        present = {row[0] for row in cursor.fetchall()}
        if "catalog_product_fts" not in present or present.issuperset(TRIGGERS):
            return False  # not migrated that far yet, or intact
        migration = _migration()
        for statement in [*migration.SQLITE_BACKWARD, *migration.SQLITE_FORWARD]:
            cursor.execute(statement)
    return True
