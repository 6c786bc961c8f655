"""Catalog services: slugs, stock under concurrency, demo data."""

import threading

import pytest
from django.db import connection

from catalog import services
from catalog.models import Product, StockMovement
from tests.factories import CategoryFactory, ProductFactory


@pytest.mark.django_db
def test_slugs_are_unique_per_name_and_posdaya(posdaya, pengelola):
    category = CategoryFactory()
    first = services.create_product(
        posdaya=posdaya, category=category, name="Tas Kopi", price=1000, by=pengelola
    )
    second = services.create_product(
        posdaya=posdaya, category=category, name="Tas Kopi", price=1000, by=pengelola
    )
    assert (first.slug, second.slug) == ("tas-kopi-bahagia", "tas-kopi-bahagia-2")
    assert (first.status, first.published_at) == ("draft", None)


@pytest.mark.django_db
def test_adjust_stock_refuses_zero_and_going_negative(posdaya, pengelola):
    product = ProductFactory(posdaya=posdaya, stock=1)
    with pytest.raises(services.CatalogError):
        services.adjust_stock(product=product, quantity=0, reason="x", by=pengelola)
    with pytest.raises(services.StockTooLowError):
        services.adjust_stock(product=product, quantity=-2, reason="x", by=pengelola)
    movement = services.adjust_stock(
        product=product, quantity=-1, reason="terjual di bazar", by=pengelola
    )
    assert (movement.quantity, movement.stock_after, product.stock) == (-1, 0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_decrements_never_oversell(posdaya, pengelola):
    product = ProductFactory(posdaya=posdaya, stock=5)
    results = []
    barrier = threading.Barrier(8)

    def take_one():
        try:
            barrier.wait()
            services.adjust_stock(
                product=product, quantity=-1, reason="uji", by=pengelola
            )
            results.append("ok")
        except services.StockTooLowError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok"] * 5 + ["refused"] * 3
    assert Product.objects.get(pk=product.pk).stock == 0
    assert sorted(
        StockMovement.objects.filter(product=product)
        .exclude(reason="Stok awal")
        .values_list("stock_after", flat=True)
    ) == [0, 1, 2, 3, 4]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db
def test_search_document_follows_renames_on_postgresql(posdaya, pengelola, client):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", description="")
    assert client.get("/produk/", {"q": "lampion"}).context["products"] == []
    services.update_product(
        product=product,
        by=pengelola,
        category=product.category,
        name="Lampion Sachet",
        price=product.price,
    )
    found = client.get("/produk/", {"q": "lampion"}).context["products"]
    assert [p.pk for p in found] == [product.pk]
