"""Order workflows through the services: placing, paying, fulfilling, refusals."""

import re

import pytest
from django.core.files.base import ContentFile

from catalog.models import Product, StockMovement
from orders.models import Order, OrderEvent, OrderLine, PaymentProof, SubOrder
from orders.services import (
    IllegalTransitionError,
    OrderError,
    OutOfStockError,
    PriceChangedError,
    advance_suborder,
    approve_payment,
    cancel_suborder,
    mark_suborder_paid,
    place_order,
    reject_payment,
    submit_payment_proof,
)
from pasar.models import AuditLog

from ..factories import ProductFactory
from .conftest import PHONE, make_order

pytestmark = pytest.mark.django_db


def stock(product):
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def sold(product):
    return Product.objects.values_list("sold_count", flat=True).get(pk=product.pk)


def proof_for(order):
    return submit_payment_proof(
        order=order, file=ContentFile(b"%PDF-1.4 ok %%EOF", name="b.pdf"), kind="pdf"
    )


def sub_of(order, posdaya):
    return SubOrder.objects.get(order=order, posdaya=posdaya)


def test_place_order_splits_per_posdaya_and_snapshots(
    order, product, other_product, posdaya, other_posdaya
):
    assert re.fullmatch(r"PB-\d{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}", order.code)
    assert len(order.secret) >= 32
    assert (order.items_total, order.delivery_total, order.total) == (65000, 0, 65000)
    assert order.status == "menunggu_pembayaran"
    assert order.phone == PHONE
    assert order.expires_at is not None
    mine, theirs = sub_of(order, posdaya), sub_of(order, other_posdaya)
    assert (mine.items_total, mine.total, mine.status) == (50000, 50000, "baru")
    assert (theirs.items_total, theirs.total) == (15000, 15000)
    line = OrderLine.objects.get(suborder=mine)
    assert (line.product_name, line.unit_price, line.quantity, line.line_total) == (
        "Tas Kopi",
        25000,
        2,
        50000,
    )
    assert (stock(product), stock(other_product)) == (3, 4)
    movements = StockMovement.objects.filter(kind="order").order_by("product_id")
    assert [(m.product_id, m.quantity, m.stock_after) for m in movements] == [
        (product.pk, -2, 3),
        (other_product.pk, -1, 4),
    ]
    assert list(OrderEvent.objects.values_list("from_status", "to_status")) == [
        ("", "menunggu_pembayaran")
    ]
    # The snapshot survives a later price change.
    Product.objects.filter(pk=product.pk).update(price=99000, name="Baru")
    line.refresh_from_db()
    assert (line.product_name, line.unit_price) == ("Tas Kopi", 25000)


def test_delivery_fee_is_charged_once_per_posdaya(product, other_product, zone):
    order = make_order({product: 1, other_product: 1}, delivery="antar", zone=zone)
    assert (order.items_total, order.delivery_total, order.total) == (
        40000,
        20000,
        60000,
    )
    assert sorted(order.suborders.values_list("delivery_fee", "total")) == [
        (10000, 25000),
        (10000, 35000),
    ]


def test_place_order_fails_as_a_whole_naming_the_product(product, other_product):
    Product.objects.filter(pk=other_product.pk).update(stock=1)
    with pytest.raises(OutOfStockError) as error:
        make_order({product: 2, other_product: 3})
    assert str(error.value) == "Stok Vas Botol tidak cukup: diminta 3, tersisa 1."
    assert (stock(product), stock(other_product)) == (5, 1)
    assert Order.objects.count() == SubOrder.objects.count() == 0
    assert StockMovement.objects.exclude(reason="Stok awal").count() == 0


def test_unpublished_product_is_refused(product):
    Product.objects.filter(pk=product.pk).update(status="draft")
    with pytest.raises(OrderError, match="Tas Kopi sudah tidak dijual"):
        make_order({product: 1})
    assert Order.objects.count() == 0


def test_product_of_a_closed_posdaya_is_refused(product, posdaya):
    type(posdaya).objects.filter(pk=posdaya.pk).update(is_active=False)
    with pytest.raises(OrderError, match="Tas Kopi sudah tidak dijual"):
        make_order({product: 1})
    assert (Order.objects.count(), stock(product)) == (0, 5)


def test_expected_total_mismatch_is_refused(product):
    with pytest.raises(PriceChangedError):
        place_order(
            quantities={product.pk: 1},
            customer=None,
            name="Budi",
            phone=PHONE,
            delivery_method="ambil",
            payment_method="transfer",
            checkout_token="x" * 32,
            expected_total=20000,
        )
    assert stock(product) == 5


def test_same_checkout_token_gives_one_order(product):
    first = make_order({product: 1}, token="t" * 32)
    second = make_order({product: 1}, token="t" * 32)
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    assert stock(product) == 4


def test_cash_payment_is_refused_for_courier(product, zone):
    with pytest.raises(OrderError, match="tidak tersedia untuk Kirim ekspedisi"):
        make_order(
            {product: 1}, payment="bayar_di_tempat", delivery="ekspedisi", zone=zone
        )


def test_inactive_zone_is_refused(product, zone):
    zone.is_active = False
    zone.save()
    with pytest.raises(OrderError, match="zona pengiriman"):
        make_order({product: 1}, delivery="antar", zone=zone)


def test_transfer_flow_to_completion(
    order,
    koordinator,
    pengelola,
    other_pengelola,
    posdaya,
    other_posdaya,
    product,
    other_product,
):
    proof = proof_for(order)
    order.refresh_from_db()
    assert order.status == "menunggu_verifikasi"
    approve_payment(proof_id=proof.pk, by=koordinator)
    order.refresh_from_db()
    proof.refresh_from_db()
    assert order.status == "dibayar" and order.paid_at is not None
    assert proof.status == "disetujui" and proof.reviewed_by == koordinator
    assert AuditLog.objects.get().action == "payment_approved"
    assert (sold(product), sold(other_product)) == (2, 1)
    mine, theirs = sub_of(order, posdaya), sub_of(order, other_posdaya)
    for sub, user in ((mine, pengelola), (theirs, other_pengelola)):
        advance_suborder(suborder=sub, to_status="diproses", by=user)
        advance_suborder(suborder=sub, to_status="siap_diambil", by=user)
        advance_suborder(suborder=sub, to_status="selesai", by=user)
    order.refresh_from_db()
    assert order.status == "selesai"
    assert list(order.events.values_list("to_status", flat=True)) == [
        "menunggu_pembayaran",
        "menunggu_verifikasi",
        "dibayar",
        "selesai",
    ]
    assert list(mine.events.values_list("from_status", "to_status", "by")) == [
        ("", "baru", None),
        ("baru", "diproses", pengelola.pk),
        ("diproses", "siap_diambil", pengelola.pk),
        ("siap_diambil", "selesai", pengelola.pk),
    ]


def test_reject_then_upload_again(order, koordinator):
    proof = proof_for(order)
    reject_payment(proof_id=proof.pk, by=koordinator, reason="Nominal kurang")
    order.refresh_from_db()
    assert order.status == "menunggu_pembayaran"
    assert PaymentProof.objects.get(pk=proof.pk).reason == "Nominal kurang"
    assert AuditLog.objects.get().action == "payment_rejected"
    second = proof_for(order)
    approve_payment(proof_id=second.pk, by=koordinator)
    assert Order.objects.get(pk=order.pk).status == "dibayar"


def test_reject_needs_a_reason(order, koordinator):
    proof = proof_for(order)
    with pytest.raises(OrderError, match="alasan"):
        reject_payment(proof_id=proof.pk, by=koordinator, reason="  ")
    assert Order.objects.get(pk=order.pk).status == "menunggu_verifikasi"


def test_a_proof_is_decided_once(order, koordinator):
    proof = proof_for(order)
    approve_payment(proof_id=proof.pk, by=koordinator)
    with pytest.raises(IllegalTransitionError, match="sudah diperiksa"):
        approve_payment(proof_id=proof.pk, by=koordinator)
    with pytest.raises(IllegalTransitionError):
        reject_payment(proof_id=proof.pk, by=koordinator, reason="x")
    assert AuditLog.objects.count() == 1


def test_proof_refused_when_not_awaiting_payment(order, koordinator):
    proof_for(order)
    with pytest.raises(IllegalTransitionError, match="sedang diperiksa koordinator"):
        proof_for(order)
    assert PaymentProof.objects.count() == 1


def test_proof_refused_for_cash_order(cod_order):
    with pytest.raises(OrderError, match="dibayar di tempat"):
        proof_for(cod_order)


def test_transfer_suborder_cannot_be_processed_before_payment(
    order, posdaya, pengelola
):
    sub = sub_of(order, posdaya)
    with pytest.raises(OrderError, match="Tunggu sampai pembayaran"):
        advance_suborder(suborder=sub, to_status="diproses", by=pengelola)
    assert SubOrder.objects.get(pk=sub.pk).status == "baru"


@pytest.mark.parametrize(
    ("path", "target", "message"),
    [
        ([], "selesai", "dari Baru ke Selesai"),
        ([], "dikirim", "dari Baru ke Dikirim"),
        (["diproses"], "siap_diambil", "dikirim, bukan diambil"),
        (["diproses", "dikirim"], "diproses", "dari Dikirim ke Diproses"),
        (["diproses", "dikirim"], "selesai", "Catat pembayaran tunai"),
    ],
)
def test_illegal_suborder_moves_are_refused(
    cod_order, posdaya, pengelola, path, target, message
):
    sub = sub_of(cod_order, posdaya)
    for step in path:
        advance_suborder(suborder=sub, to_status=step, by=pengelola)
    before = SubOrder.objects.get(pk=sub.pk).status
    with pytest.raises(OrderError, match=message):
        advance_suborder(suborder=sub, to_status=target, by=pengelola)
    assert SubOrder.objects.get(pk=sub.pk).status == before


def test_pickup_order_is_not_shipped(order, posdaya, pengelola, koordinator):
    approve_payment(proof_id=proof_for(order).pk, by=koordinator)
    sub = sub_of(order, posdaya)
    advance_suborder(suborder=sub, to_status="diproses", by=pengelola)
    with pytest.raises(IllegalTransitionError, match="siap diambil"):
        advance_suborder(suborder=sub, to_status="dikirim", by=pengelola)


def test_cash_order_paid_per_posdaya_then_completed(
    cod_order, posdaya, other_posdaya, pengelola, other_pengelola, product
):
    mine, theirs = sub_of(cod_order, posdaya), sub_of(cod_order, other_posdaya)
    advance_suborder(suborder=mine, to_status="diproses", by=pengelola)
    advance_suborder(
        suborder=mine,
        to_status="dikirim",
        by=pengelola,
        courier="Kurir RW",
        tracking_number="R-1",
    )
    mark_suborder_paid(suborder=mine, by=pengelola)
    assert Order.objects.get(pk=cod_order.pk).status == "menunggu_pembayaran"
    assert sold(product) == 1
    advance_suborder(suborder=mine, to_status="selesai", by=pengelola)
    mark_suborder_paid(suborder=theirs, by=other_pengelola)
    assert Order.objects.get(pk=cod_order.pk).status == "dibayar"
    with pytest.raises(IllegalTransitionError, match="sudah dicatat"):
        mark_suborder_paid(suborder=theirs, by=other_pengelola)
    advance_suborder(suborder=theirs, to_status="diproses", by=other_pengelola)
    advance_suborder(suborder=theirs, to_status="dikirim", by=other_pengelola)
    advance_suborder(suborder=theirs, to_status="selesai", by=other_pengelola)
    assert Order.objects.get(pk=cod_order.pk).status == "selesai"
    mine.refresh_from_db()
    assert (mine.courier, mine.tracking_number) == ("Kurir RW", "R-1")


def test_mark_paid_refused_for_transfer(order, posdaya, pengelola):
    with pytest.raises(OrderError, match="koordinator yang memverifikasi"):
        mark_suborder_paid(suborder=sub_of(order, posdaya), by=pengelola)


def test_cancel_returns_stock_once(order, posdaya, pengelola, product):
    sub = sub_of(order, posdaya)
    cancel_suborder(suborder=sub, by=pengelola, reason="Bahan rusak")
    assert stock(product) == 5
    release = StockMovement.objects.get(kind="release")
    assert (release.product_id, release.quantity, release.stock_after) == (
        product.pk,
        2,
        5,
    )
    sub.refresh_from_db()
    assert (sub.status, sub.cancel_reason) == ("dibatalkan", "Bahan rusak")
    with pytest.raises(IllegalTransitionError, match="dari Dibatalkan ke Dibatalkan"):
        cancel_suborder(suborder=sub, by=pengelola, reason="lagi")
    assert stock(product) == 5
    assert Order.objects.get(pk=order.pk).status == "menunggu_pembayaran"


def test_cancel_needs_a_reason(order, posdaya, pengelola, product):
    with pytest.raises(OrderError, match="alasan"):
        cancel_suborder(suborder=sub_of(order, posdaya), by=pengelola, reason="")
    assert stock(product) == 3


def test_cancelling_every_suborder_cancels_the_order(
    order, posdaya, other_posdaya, koordinator, product
):
    proof = proof_for(order)
    cancel_suborder(suborder=sub_of(order, posdaya), by=koordinator, reason="a")
    cancel_suborder(suborder=sub_of(order, other_posdaya), by=koordinator, reason="b")
    order.refresh_from_db()
    assert order.status == "dibatalkan"
    proof.refresh_from_db()
    assert proof.status == "ditolak"


def test_cancelling_a_paid_suborder_reverses_sold_count(
    order, posdaya, koordinator, pengelola, product
):
    approve_payment(proof_id=proof_for(order).pk, by=koordinator)
    assert sold(product) == 2
    cancel_suborder(suborder=sub_of(order, posdaya), by=pengelola, reason="Rusak")
    assert (sold(product), stock(product)) == (0, 5)


def test_shipped_suborder_cannot_be_cancelled(cod_order, posdaya, pengelola, product):
    sub = sub_of(cod_order, posdaya)
    advance_suborder(suborder=sub, to_status="diproses", by=pengelola)
    advance_suborder(suborder=sub, to_status="dikirim", by=pengelola)
    with pytest.raises(IllegalTransitionError):
        cancel_suborder(suborder=sub, by=pengelola, reason="x")
    assert stock(product) == 4


def test_order_codes_are_unique(posdaya):
    products = ProductFactory.create_batch(3, posdaya=posdaya, stock=50)
    codes = {make_order({products[i % 3]: 1}).code for i in range(30)}
    assert len(codes) == 30
