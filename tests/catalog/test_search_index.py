"""The search index in the database: its triggers, and several connections.

The words that typo matching and suggestions use live in a table the triggers
keep, never in a process's memory: a product saved through one connection
(another gunicorn worker or server) is found at once through another.
"""

import pytest
from django.db import connection, transaction

from catalog.models import Product
from catalog.search.index import TRIGGERS, ensure_sqlite_search_index
from tests.conftest import race
from tests.factories import CategoryFactory, ProductFactory

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's FTS5 triggers"
)


def fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def found(client, query):
    response = client.get("/produk/", {"q": query})
    assert response.status_code == 200
    return [product.name for product in response.context["products"]]


@sqlite_only
@pytest.mark.django_db
def test_lost_sqlite_triggers_are_put_back_and_the_index_rebuilt(client, posdaya):
    ProductFactory(posdaya=posdaya, name="Lampion Sachet", description="")
    assert ensure_sqlite_search_index() is False  # intact: nothing to do
    # What Django's SQLite table rebuild (a later AlterField) does to them.
    for name in TRIGGERS:
        fetch(f"DROP TRIGGER {name}")
    ProductFactory(posdaya=posdaya, name="Lentera Botol", description="")
    assert found(client, "lentera") == []  # the index missed it
    assert ensure_sqlite_search_index() is True
    names = {row[0] for row in fetch("SELECT name FROM sqlite_master")}
    assert names.issuperset(TRIGGERS)
    assert found(client, "lentera") == ["Lentera Botol"]
    assert found(client, "lampion") == ["Lampion Sachet"]
    assert dict(fetch("SELECT word, products FROM catalog_searchword")) == {
        "botol": 1,
        "lampion": 1,
        "lentera": 1,
        "sachet": 1,
    }
    ProductFactory(posdaya=posdaya, name="Lentera Kaleng", description="")
    assert found(client, "lentera") == ["Lentera Kaleng", "Lentera Botol"]


@sqlite_only
@pytest.mark.django_db
def test_the_fts_index_holds_exactly_the_published_products(posdaya):
    category = CategoryFactory()
    for number in range(6):
        ProductFactory(
            posdaya=posdaya,
            category=category,
            status="published" if number % 2 else "draft",
        )
    published = set(
        Product.objects.filter(status="published").values_list("pk", flat=True)
    )
    rows = fetch(
        "SELECT rowid FROM catalog_product_fts WHERE catalog_product_fts MATCH 'tas'"
    )
    assert {row[0] for row in rows} == published


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_writers_on_several_connections_share_one_vocabulary(client, posdaya):
    category = CategoryFactory()
    words = ["alpukat", "belimbing", "cempedak", "duku"]

    def add_two_products():
        # Two statements per transaction, the words in opposite orders in
        # half the threads: without the vocabulary lock this can deadlock.
        order = words if add_two_products.turn.pop() else words[::-1]
        with transaction.atomic():
            for word in order[:2]:
                ProductFactory(posdaya=posdaya, category=category, name=f"Tas {word}")
            for word in order[2:]:
                ProductFactory(posdaya=posdaya, category=category, name=f"Tas {word}")
        return "ok"

    add_two_products.turn = [True, False, True, False]
    results, errors = race(add_two_products, threads=4)
    assert errors == []
    assert results == ["ok"] * 4
    counts = dict(
        fetch(
            "SELECT word, products FROM catalog_searchword WHERE word = ANY(%s)",
            [words],
        )
    )
    assert counts == dict.fromkeys(words, 4)
    # Saved by other connections, corrected through this one.
    assert len(found(client, "cempedakk")) == 4
