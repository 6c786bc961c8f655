"""PostgreSQL under contention: a variant's stock is never oversold."""

import pytest
from django.db import connection

from catalog import services as catalog_services
from catalog import stock
from catalog.models import Product, ProductVariant
from orders.models import Order
from orders.services import OutOfStockError

from ..factories import ProductFactory
from .test_concurrency import buy, run_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_last_units_of_a_variant_are_sold_exactly_once():
    product = ProductFactory(name="Tas Kopi", stock=3)
    catalog_services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=None
    )
    batik = catalog_services.add_variant(product=product, option1="Batik", by=None)
    polos = catalog_services.add_variant(product=product, option1="Polos", by=None)
    catalog_services.adjust_stock(
        product=product, variant=polos, quantity=20, reason="produksi", by=None
    )
    # Half the shoppers want one Batik (3 left), half a Batik and a Polos.
    results = run_threads(
        20,
        lambda i: buy(
            {(product.pk, batik.pk): 1}
            if i % 2
            else {(product.pk, batik.pk): 1, (product.pk, polos.pk): 1}
        ),
    )
    placed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(placed) == 3
    assert all(isinstance(r, OutOfStockError) for r in refused), refused
    assert {str(r) for r in refused} == {
        "Stok Tas Kopi (Batik) tidak cukup: diminta 1, tersisa 0."
    }
    batik.refresh_from_db()
    polos_sold = 20 - ProductVariant.objects.get(pk=polos.pk).stock
    assert batik.stock == 0
    assert Product.objects.get(pk=product.pk).stock == 20 - polos_sold
    assert Order.objects.count() == 3
    assert stock.mismatches() == []


def test_checkouts_racing_the_first_variant_keep_the_product_the_sum():
    product = ProductFactory(name="Kipas", stock=10)
    catalog_services.set_variant_options(
        product=product, option1_name="Warna", option2_name="", by=None
    )

    def action(index):
        if index == 0:
            return catalog_services.add_variant(
                product=product, option1="Hijau", by=None
            )
        return buy({product.pk: 1})

    results = run_threads(9, action)
    errors = [r for r in results if isinstance(r, Exception)]
    assert {str(e) for e in errors} <= {"Pilih varian Kipas terlebih dahulu."}
    sold = Order.objects.count()
    assert sold + len(errors) == 8
    hijau = ProductVariant.objects.get(product=product)
    assert (Product.objects.get(pk=product.pk).stock, hijau.stock) == (
        10 - sold,
        10 - sold,
    )
    assert stock.mismatches() == []
    assert stock.variant_mismatches() == []
