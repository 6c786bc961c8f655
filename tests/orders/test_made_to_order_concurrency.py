"""PostgreSQL under contention: made-to-order units never pass the cap."""

import pytest
from django.db import connection
from django.db.models import Sum

from catalog import services as catalog_services
from catalog import stock
from catalog.models import Product, ProductVariant
from orders.models import Order, OrderLine
from orders.services import OutOfStockError, cancel_suborder

from ..factories import ProductFactory
from .test_concurrency import buy, run_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]

TERMS = {"made_to_order": True, "lead_time_days": 7, "made_to_order_cap": 5}


def split():
    return OrderLine.objects.aggregate(
        units=Sum("quantity"), made=Sum("made_to_order_quantity")
    )


def test_concurrent_checkouts_never_pass_the_cap():
    product = ProductFactory(name="Tas Kopi", stock=2)
    catalog_services.update_product(
        product=product,
        by=None,
        category=product.category,
        name=product.name,
        price=product.price,
        weight_grams=product.weight_grams,
        made_to_order=TERMS,
    )
    # 2 ready + 5 made = 7 units: of 20 shoppers wanting one, 7 are served.
    results = run_threads(20, lambda i: buy({product.pk: 1}))
    placed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(placed) == 7
    assert all(isinstance(r, OutOfStockError) for r in refused), refused
    assert {str(r) for r in refused} == {
        "Pesanan dibuat untuk Tas Kopi sudah penuh: bisa dipesan paling banyak "
        "0 lagi, diminta 1."
    }
    product = Product.objects.get(pk=product.pk)
    assert (product.stock, product.open_made_to_order) == (0, 5)
    assert split() == {"units": 7, "made": 5}
    assert stock.mismatches() == []
    # Cancelling every order frees the whole cap and puts back the 2 ready.
    for order in Order.objects.all():
        cancel_suborder(suborder=order.suborders.get(), by=None, reason="Batal")
    product = Product.objects.get(pk=product.pk)
    assert (product.stock, product.open_made_to_order) == (2, 0)


def test_concurrent_checkouts_of_a_made_to_order_variant_never_pass_the_cap():
    product = ProductFactory(name="Dompet", stock=0)
    catalog_services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=None
    )
    batik = catalog_services.add_variant(product=product, option1="Batik", by=None)
    catalog_services.adjust_stock(
        product=product, variant=batik, quantity=30, reason="produksi", by=None
    )
    polos = catalog_services.add_variant(
        product=product, option1="Polos", by=None, made_to_order=TERMS
    )
    catalog_services.adjust_stock(
        product=product, variant=polos, quantity=1, reason="produksi", by=None
    )
    # Each shopper wants 2 Polos (1 ready + cap 5 = 6: three orders) and one
    # Batik, so every checkout also locks the product row.
    results = run_threads(
        12,
        lambda i: buy({(product.pk, batik.pk): 1, (product.pk, polos.pk): 2}),
    )
    placed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(placed) == 3
    assert all(isinstance(r, OutOfStockError) for r in refused), refused
    polos = ProductVariant.objects.get(pk=polos.pk)
    assert (polos.stock, polos.open_made_to_order) == (0, 5)
    assert ProductVariant.objects.get(pk=batik.pk).stock == 27
    assert Product.objects.get(pk=product.pk).stock == 27
    assert split() == {"units": 9, "made": 5}
    assert stock.mismatches() == []
    assert stock.variant_mismatches() == []
