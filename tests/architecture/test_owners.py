"""One owner per invariant (CONVENTIONS rule 13): who may write what.

The source tree is read as syntax (see `scanner.py`): a write of a guarded
thing anywhere but in its owner module fails here, with the file and line.

| invariant | its one writer |
|---|---|
| `Product.stock`, `Product.sold_count`, `StockMovement` | `catalog/stock.py` |
| `ProductVariant.stock` (the sum is the product's), `has_variants` | the same |
| `open_made_to_order` of a product or variant (made-to-order units) | the same |
| `Order.status`, `SubOrder.status`, the event rows | `orders/services/state.py` |
| new orders, their sub-orders and lines | `orders/services/checkout.py` |
| `SettlementEntry` | `orders/services/settlement.py` |
| `Review` rows, `Product.rating_avg`, `Product.rating_count` | `reviews/services.py` |
| the catalog and orders demos write nothing themselves | (services only) |
| no `unittest.mock` in catalog/ and orders/ | |
"""

import dataclasses
import re

import pytest
from django.apps import apps

from .scanner import ROOT, Rule, violations, writes_in

MODELS = "|".join(sorted(model.__name__ for model in apps.get_models()))

RULES = [
    Rule(
        name="product stock",
        labels=(
            r"create:StockMovement|sql:catalog_(product|productvariant|stockmovement)"
            r"|(set|assign|save):\w+\.(stock|sold_count|has_variants"
            r"|open_made_to_order)"
            r"|F:(stock|sold_count|open_made_to_order)"
        ),
        owners=("catalog/stock.py",),
    ),
    Rule(
        name="order state",
        labels=(
            r"create:(OrderEvent|SubOrderEvent)"
            r"|set:(Order|SubOrder|\w*orders?)\.status"
            r"|(assign|save):\w*order\.status"
            r"|sql:orders_(order|suborder|orderevent|suborderevent)"
        ),
        owners=("orders/services/state.py",),
    ),
    Rule(
        name="placed orders",
        labels=r"create:(Order|SubOrder|OrderLine)|sql:orders_orderline",
        owners=("orders/services/checkout.py",),
    ),
    Rule(
        name="settlement entries",
        labels=r"create:SettlementEntry|sql:orders_settlemententry",
        owners=("orders/services/settlement.py",),
    ),
    Rule(
        name="reviews and product ratings",
        labels=(
            r"create:Review|(set|write):Review\.\w+|sql:reviews_review"
            r"|(set|assign|save):\w+\.(rating_avg|rating_count)"
            r"|F:(rating_avg|rating_count)"
        ),
        owners=("reviews/services.py",),
    ),
    Rule(
        name="demos use services",
        labels=rf"write:.*|F:.*|sql:.*|(create|set):({MODELS})\b.*",
        scope=("catalog/demo.py", "orders/demo.py", "reviews/demo.py"),
    ),
    Rule(
        name="no patched clock in shipped code",
        labels=r"import:(unittest\.)?mock(\..*)?",
        scope=("catalog/", "orders/"),
    ),
]


def test_every_invariant_is_written_by_its_owner_only():
    assert violations(RULES) == []


def test_each_owner_really_writes_what_it_owns():
    """The rules name real code: each owner holds writes its rule matches."""
    for rule in RULES:
        pattern = re.compile(rule.labels)
        for owner in rule.owners:
            labels = [w.label for w in writes_in(ROOT / owner)]
            assert any(pattern.fullmatch(label) for label in labels), rule.name


PROBE = """\
from unittest import mock

from catalog.models import Product, StockMovement
from django.db.models import F
from orders.models import Order, OrderEvent, SettlementEntry, SubOrder


def planted(product, order, suborder, qs):
    Product.objects.filter(pk=product.pk).update(stock=F("stock") - 1)
    product.sold_count += 1
    product.save(update_fields=["stock"])
    StockMovement.objects.create(product=product, quantity=1, stock_after=1)
    qs = SubOrder.objects.filter(order=order)
    qs.update(status="selesai")
    order.suborders.update(status="dibatalkan")
    suborder.status = "selesai"
    OrderEvent.objects.bulk_create([OrderEvent(order=order, to_status="x")])
    Order.objects.create(code="X")
    SettlementEntry.objects.create(amount=1)
    cursor.execute("UPDATE catalog_product SET stock = 0")
"""


@pytest.fixture
def probe():
    path = ROOT / "orders" / "_owner_probe.py"
    path.write_text(PROBE)
    yield path
    path.unlink()


def test_the_scanner_sees_every_kind_of_planted_write(probe):
    found = [line for line in violations(RULES) if "_owner_probe" in line]
    assert found == [
        "orders/_owner_probe.py:1 import:unittest.mock "
        "(no patched clock in shipped code)",
        "orders/_owner_probe.py:9 F:stock (product stock)",
        "orders/_owner_probe.py:9 set:Product.stock (product stock)",
        "orders/_owner_probe.py:10 assign:product.sold_count (product stock)",
        "orders/_owner_probe.py:11 save:product.stock (product stock)",
        "orders/_owner_probe.py:12 create:StockMovement (product stock)",
        "orders/_owner_probe.py:14 set:SubOrder.status (order state)",
        "orders/_owner_probe.py:15 set:suborders.status (order state)",
        "orders/_owner_probe.py:16 assign:suborder.status (order state)",
        "orders/_owner_probe.py:17 create:OrderEvent (order state)",
        "orders/_owner_probe.py:17 create:OrderEvent (order state)",
        "orders/_owner_probe.py:18 create:Order (placed orders)",
        "orders/_owner_probe.py:19 create:SettlementEntry (settlement entries)",
        "orders/_owner_probe.py:20 sql:catalog_product (product stock)",
    ]


VARIANT_PROBE = """\
from catalog.models import ProductVariant
from django.db.models import F


def planted(variant, product):
    ProductVariant.objects.filter(pk=variant.pk).update(stock=F("stock") + 1)
    ProductVariant.objects.create(product=product, option1="Batik", stock=5)
    variant.stock = 3
    product.variants.update(stock=0)
    cursor.execute("UPDATE catalog_productvariant SET stock = 0")
    ProductVariant.objects.update(open_made_to_order=F("open_made_to_order") + 1)
"""


def test_a_variants_stock_written_outside_its_owner_is_caught():
    path = ROOT / "catalog" / "_variant_probe.py"
    path.write_text(VARIANT_PROBE)
    try:
        found = [line for line in violations(RULES) if "_variant_probe" in line]
    finally:
        path.unlink()
    assert found == [
        "catalog/_variant_probe.py:6 F:stock (product stock)",
        "catalog/_variant_probe.py:6 set:ProductVariant.stock (product stock)",
        "catalog/_variant_probe.py:7 set:ProductVariant.stock (product stock)",
        "catalog/_variant_probe.py:8 assign:variant.stock (product stock)",
        "catalog/_variant_probe.py:9 set:variants.stock (product stock)",
        "catalog/_variant_probe.py:10 sql:catalog_productvariant (product stock)",
        "catalog/_variant_probe.py:11 F:open_made_to_order (product stock)",
        "catalog/_variant_probe.py:11 set:ProductVariant.open_made_to_order "
        "(product stock)",
    ]


DEMO_PROBE = """\
from orders import services
from orders.models import DeliveryZone


def by_hand(zone, product):
    DeliveryZone.objects.get_or_create(name="X")
    zone.save()
    services.create_zone(name="Y", fee=1, by=None)
    product.images.all().delete()
"""


def test_a_demo_writing_by_hand_is_caught():
    path = ROOT / "orders" / "_demo_probe.py"
    demo_rule = next(r for r in RULES if r.name == "demos use services")
    probe_rule = dataclasses.replace(demo_rule, scope=("orders/_demo_probe.py",))
    path.write_text(DEMO_PROBE)
    try:
        assert violations([probe_rule]) == [
            "orders/_demo_probe.py:6 create:DeliveryZone (demos use services)",
            "orders/_demo_probe.py:6 set:DeliveryZone.name (demos use services)",
            "orders/_demo_probe.py:6 write:DeliveryZone.get_or_create "
            "(demos use services)",
            "orders/_demo_probe.py:7 write:zone.save (demos use services)",
            "orders/_demo_probe.py:9 write:images.delete (demos use services)",
        ]
    finally:
        path.unlink()
