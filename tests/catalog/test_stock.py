"""catalog.stock, the one writer of product stock: movements, checks, repairs."""

import threading

import pytest
from django.db import connection, transaction

from catalog import stock
from catalog.errors import (
    CatalogError,
    NotForSaleError,
    OutOfStockError,
    PriceChangedError,
    StockTooLowError,
)
from catalog.models import Product, StockMovement
from pasar.models import AuditLog
from tests.factories import PosdayaFactory, ProductFactory

pytestmark = pytest.mark.django_db


def stock_of(product):
    return Product.objects.values_list("stock", "sold_count").get(pk=product.pk)


def movements(product):
    return list(
        StockMovement.objects.filter(product=product)
        .order_by("id")
        .values_list("kind", "quantity", "stock_after", "reason")
    )


@pytest.fixture
def tas(posdaya):
    # The factory puts its stock in through stock.adjust ("Stok awal").
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=5)


def test_adjust_records_the_movement_and_leaves_the_audit_to_the_service(
    tas, pengelola
):
    movement = stock.adjust(product=tas, quantity=-2, reason="rusak", by=pengelola)
    assert (movement.kind, movement.quantity, movement.stock_after, movement.by) == (
        "adjustment",
        -2,
        3,
        pengelola,
    )
    assert tas.stock == 3
    assert stock_of(tas) == (3, 0)
    assert AuditLog.objects.count() == 0


def test_adjust_refuses_zero_and_below_zero_on_the_quantity_field(tas):
    with pytest.raises(CatalogError) as zero:
        stock.adjust(product=tas, quantity=0, reason="x", by=None)
    with pytest.raises(StockTooLowError) as low:
        stock.adjust(product=tas, quantity=-6, reason="x", by=None)
    assert (zero.value.field, low.value.field) == ("quantity", "quantity")
    assert str(low.value) == "Stok tidak cukup: sisa 5, akan dikurangi 6."
    assert stock_of(tas) == (5, 0)
    assert movements(tas) == [("adjustment", 5, 5, "Stok awal")]


def test_reserve_and_release_write_movements_with_the_stock_after(tas, posdaya):
    vas = ProductFactory(posdaya=posdaya, name="Vas", price=15000, stock=4)
    with transaction.atomic():
        stock.reserve(quantities={vas: 3, tas: 2}, reason="PB-1", by=None)
    assert (stock_of(tas), stock_of(vas)) == ((3, 0), (1, 0))
    with transaction.atomic():
        stock.release(quantities={tas.pk: 2, vas.pk: 1}, reason="PB-1: batal", by=None)
    assert (stock_of(tas), stock_of(vas)) == ((5, 0), (2, 0))
    assert movements(tas) == [
        ("adjustment", 5, 5, "Stok awal"),
        ("order", -2, 3, "PB-1"),
        ("release", 2, 5, "PB-1: batal"),
    ]
    assert movements(vas) == [
        ("adjustment", 4, 4, "Stok awal"),
        ("order", -3, 1, "PB-1"),
        ("release", 1, 2, "PB-1: batal"),
    ]
    assert stock.mismatches() == []


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"stock": 1}, OutOfStockError, "Stok Tas Kopi tidak cukup: diminta 2, "),
        ({"price": 30000}, PriceChangedError, "Harga Tas Kopi baru saja berubah."),
        ({"status": "draft"}, NotForSaleError, "Tas Kopi sudah tidak dijual."),
    ],
)
def test_reserve_pins_stock_price_and_status(tas, change, error, message):
    read = Product.objects.get(pk=tas.pk)  # what the order read
    Product.objects.filter(pk=tas.pk).update(**change)
    with pytest.raises(error, match=message) as refused, transaction.atomic():
        stock.reserve(quantities={read: 2}, reason="PB-1", by=None)
    assert refused.value.product == read
    assert StockMovement.objects.filter(kind="order").count() == 0


def test_sold_count_goes_up_and_back(tas):
    with transaction.atomic():
        stock.record_sold(quantities={tas.pk: 3})
    assert stock_of(tas) == (5, 3)
    with transaction.atomic():
        stock.reverse_sold(quantities={tas.pk: 2})
    assert stock_of(tas) == (5, 1)


@pytest.mark.django_db(transaction=True)
def test_order_writes_refuse_to_run_outside_a_transaction(posdaya):
    product = ProductFactory(posdaya=posdaya, stock=0)
    calls = [
        lambda: stock.reserve(quantities={product: 1}, reason="x", by=None),
        lambda: stock.release(quantities={product.pk: 1}, reason="x", by=None),
        lambda: stock.record_sold(quantities={product.pk: 1}),
        lambda: stock.reverse_sold(quantities={product.pk: 1}),
    ]
    for call in calls:
        with pytest.raises(RuntimeError, match="inside the caller's transaction"):
            call()
    assert Product.objects.values_list("stock", "sold_count").get() == (0, 0)


def test_mismatches_and_repair(tas, posdaya, koordinator):
    drifted = ProductFactory(posdaya=posdaya, name="Dompet", stock=4)
    # Written around the stock module (as an old bug or a raw SQL fix would).
    Product.objects.filter(pk=drifted.pk).update(stock=6)
    unrecorded = ProductFactory(posdaya=posdaya, name="Vas", stock=0)
    Product.objects.filter(pk=unrecorded.pk).update(stock=3)
    assert [
        (m.product_id, m.stock, m.movements_total, m.last_stock_after)
        for m in (stock.mismatches())
    ] == [(drifted.pk, 6, 4, 4), (unrecorded.pk, 3, 0, None)]
    assert stock.mismatches(products=Product.objects.filter(pk=tas.pk)) == []

    movement = stock.repair(product=drifted, reason="Hitung ulang", by=koordinator)
    assert (movement.kind, movement.quantity, movement.stock_after, movement.by) == (
        "adjustment",
        2,
        6,
        koordinator,
    )
    audit = AuditLog.objects.get()
    assert (audit.action, audit.actor, audit.posdaya, audit.note) == (
        "stock_adjustment",
        koordinator,
        posdaya,
        "Hitung ulang",
    )
    assert (audit.before, audit.after) == (
        {"stock": 6, "movements_total": 4, "last_stock_after": 4},
        {"stock": 6, "movements_total": 6},
    )
    stock.repair(product=unrecorded, reason="Hitung ulang", by=koordinator)
    assert movements(unrecorded) == [("adjustment", 3, 3, "Hitung ulang")]
    assert stock.mismatches() == []
    assert stock.repair(product=tas, reason="x", by=koordinator) is None
    assert StockMovement.objects.count() == 4
    assert stock_of(drifted) == (6, 0)


def test_a_wrong_last_stock_after_alone_is_a_mismatch_repaired_with_zero(tas):
    # The movements add up, but the latest one says another stock.
    Product.objects.filter(pk=tas.pk).update(stock=7)
    StockMovement.objects.create(
        product=tas, kind="adjustment", quantity=2, stock_after=9, reason="salah tulis"
    )
    assert [
        (m.stock, m.movements_total, m.last_stock_after) for m in (stock.mismatches())
    ] == [(7, 7, 9)]
    stock.repair(product=tas, reason="Koreksi", by=None)
    assert movements(tas)[-1] == ("adjustment", 0, 7, "Koreksi")
    assert stock.mismatches() == []


def test_public_means_published_at_an_active_posdaya(posdaya):
    closed = PosdayaFactory(is_active=False)
    shown = ProductFactory(posdaya=posdaya, stock=0)
    ProductFactory(posdaya=posdaya, status="draft")
    ProductFactory(posdaya=posdaya, status="archived")
    ProductFactory(posdaya=closed)
    assert list(Product.objects.public()) == [shown]
    assert list(Product.objects.public().in_stock()) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_racing_writers_each_record_the_stock_they_left(posdaya):
    """Adjustments, reservations and releases at once: every movement's
    stock_after is the stock right after its own change, never a stale read."""
    product = ProductFactory(posdaya=posdaya, stock=20)
    barrier = threading.Barrier(12)
    errors = []

    def work(index):
        try:
            barrier.wait()
            if index % 3 == 0:
                stock.adjust(product=product, quantity=2, reason="tambah", by=None)
            elif index % 3 == 1:
                with transaction.atomic():
                    stock.reserve(quantities={product: 3}, reason="pesan", by=None)
            else:
                with transaction.atomic():
                    stock.release(quantities={product.pk: 1}, reason="batal", by=None)
        except Exception as error:  # any error fails the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Product.objects.get(pk=product.pk).stock == 20 + 4 * 2 - 4 * 3 + 4 * 1
    # Replaying the movements in the order they were written gives each one's
    # stock_after: no movement recorded a value read before another's change.
    running = 0
    for quantity, stock_after in (
        StockMovement.objects.filter(product=product)
        .order_by("id")
        .values_list("quantity", "stock_after")
    ):
        running += quantity
        assert stock_after == running
    assert stock.mismatches() == []


def test_a_factory_product_starts_with_its_stok_awal_movement(posdaya):
    product = ProductFactory(posdaya=posdaya, stock=7)
    assert movements(product) == [("adjustment", 7, 7, "Stok awal")]
    assert ProductFactory(posdaya=posdaya, stock=0).stock_movements.count() == 0
    assert stock.mismatches() == []
    assert AuditLog.objects.count() == 0
