"""Bayar pakai tabungan: an order paid wholly or partly from the savings book."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from banksampah.models import Member, SavingsEntry
from banksampah.services import (
    BankSampahError,
    WeighedLine,
    record_deposit,
    refund_order_to_savings,
    reverse_entry,
)
from catalog.models import Product
from orders.models import Order, SettlementEntry, SubOrder
from orders.services import (
    OrderError,
    advance_suborder,
    amount_due,
    cancel_suborder,
    expire_due_orders,
    refund_suborder,
)
from pasar.site.impact import compute_impact
from pasar.site.reports import income_per_week
from tests.factories import MemberFactory, WasteCategoryFactory, WastePriceFactory

from .conftest import make_order

pytestmark = pytest.mark.django_db
SS = SubOrder.Status


def fund(member, kg: str):
    """Credit the book through a deposit of PET at Rp 5.000 per kg."""
    category = WasteCategoryFactory(
        name=f"PET {uuid.uuid4().hex[:6]}", slug=uuid.uuid4().hex[:12]
    )
    WastePriceFactory(category=category, buy_price=5000, sell_price=6000)
    record_deposit(
        member=member,
        lines=[WeighedLine(category=category, weight=Decimal(kg))],
        by=None,
        idempotency_key=uuid.uuid4(),
    )
    member.refresh_from_db()


@pytest.fixture
def nasabah(posdaya, shopper):
    """Ibu Siti, linked to the shopper account, with Rp 100.000 saved."""
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti", user=shopper)
    fund(member, "20")
    assert member.balance == 100000
    return member


def book(member):
    """The book as (kind, amount, balance_after, order_code) rows."""
    return list(
        SavingsEntry.objects.filter(member=member)
        .order_by("id")
        .values_list("kind", "amount", "balance_after", "order_code")
    )


def ledger_agrees(member) -> bool:
    member.refresh_from_db()
    total = SavingsEntry.objects.filter(member=member).aggregate(s=Sum("amount"))["s"]
    last = SavingsEntry.objects.filter(member=member).order_by("-id").first()
    return total == member.balance == last.balance_after and member.balance >= 0


def snapshot(member):
    return (
        Order.objects.count(),
        SavingsEntry.objects.count(),
        Member.objects.get(pk=member.pk).balance,
        list(Product.objects.order_by("pk").values_list("stock", flat=True)),
    )


# 2 × Tas Kopi (Bahagia, Rp 25.000) + 1 × Vas Botol (Flamboyan, Rp 15.000).
def savings_order(product, other_product, shopper, **kwargs):
    kwargs.setdefault("payment", "tabungan")
    return make_order({product: 2, other_product: 1}, customer=shopper, **kwargs)


def test_whole_order_paid_from_savings_is_paid_at_once(
    nasabah, shopper, product, other_product
):
    order = savings_order(product, other_product, shopper)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert (order.payment_method, order.total, order.savings_amount) == (
        "tabungan",
        65000,
        65000,
    )
    assert order.expires_at is None and order.paid_at is not None
    assert amount_due(order) == 0
    assert all(s.paid_at == order.paid_at for s in order.suborders.all())
    assert book(nasabah)[1:] == [("purchase", -65000, 35000, order.code)]
    assert ledger_agrees(nasabah)
    assert [e.note for e in order.events.order_by("id")] == [
        "",
        f"Dibayar dari tabungan {nasabah.account_number}.",
    ]
    # The POSDAYA may start at once: the order is paid.
    suborder = order.suborders.get(posdaya=product.posdaya)
    advance_suborder(suborder=suborder, to_status=SS.PROCESSING, by=None)


def test_part_from_savings_leaves_the_rest_to_transfer(
    nasabah, shopper, product, other_product
):
    order = savings_order(
        product, other_product, shopper, payment="transfer", savings=20000
    )
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert (order.payment_method, order.savings_amount) == ("transfer", 20000)
    assert order.expires_at is not None
    assert amount_due(order) == 45000
    assert book(nasabah)[1:] == [("purchase", -20000, 80000, order.code)]


def test_savings_amount_equal_to_total_pays_the_order(
    nasabah, shopper, product, other_product
):
    order = savings_order(
        product, other_product, shopper, payment="transfer", savings=65000
    )
    order.refresh_from_db()
    assert (order.status, order.payment_method) == (Order.Status.PAID, "tabungan")


@pytest.mark.parametrize(
    ("payment", "savings", "message"),
    [
        ("tabungan", 0, None),  # more than the balance: message below
        (
            "transfer",
            70000,
            "Jumlah dari tabungan (Rp\xa070.000) melebihi total pesanan "
            "(Rp\xa065.000).",
        ),
        (
            "bayar_di_tempat",
            10000,
            "Sisa pembayaran setelah dipotong tabungan tidak bisa dibayar di "
            "tempat. Pilih transfer atau QRIS untuk sisanya.",
        ),
    ],
)
def test_bad_savings_payment_is_refused_and_changes_nothing(
    nasabah, shopper, product, other_product, payment, savings, message
):
    if message is None:
        product.price = 60000
        product.save()
        message = (
            "Saldo tabungan tidak cukup: saldo Rp\xa0100.000, diminta Rp\xa0135.000."
        )
    before = snapshot(nasabah)
    with pytest.raises(OrderError) as refused:
        savings_order(product, other_product, shopper, payment=payment, savings=savings)
    assert str(refused.value) == message
    assert snapshot(nasabah) == before


def test_visitor_without_a_linked_book_is_refused(
    posdaya, shopper, product, other_product, django_user_model
):
    MemberFactory(posdaya=posdaya, name="Belum terhubung")
    message = (
        "Bayar pakai tabungan hanya untuk nasabah yang akunnya sudah terhubung "
        "ke buku tabungan bank sampah."
    )
    for customer in (shopper, None):
        with pytest.raises(OrderError) as refused:
            make_order({product: 1}, customer=customer, payment="tabungan")
        assert str(refused.value) == message
    assert Order.objects.count() == 0
    assert Product.objects.get(pk=product.pk).stock == 5


def test_inactive_book_is_refused(nasabah, shopper, product, other_product):
    Member.objects.filter(pk=nasabah.pk).update(is_active=False)
    before = snapshot(nasabah)
    with pytest.raises(OrderError, match="tidak aktif"):
        savings_order(product, other_product, shopper)
    assert snapshot(nasabah) == before


def test_cancelling_returns_the_money_by_new_credit_entries(
    nasabah, shopper, product, other_product, pengelola
):
    order = savings_order(product, other_product, shopper)
    bahagia = order.suborders.get(posdaya=product.posdaya)
    flamboyan = order.suborders.exclude(pk=bahagia.pk).get()

    cancel_suborder(suborder=bahagia, by=pengelola, reason="Stok rusak")
    cancel_suborder(suborder=flamboyan, by=None, reason="Pembeli batal")

    order.refresh_from_db()
    assert (order.status, order.savings_amount) == (Order.Status.CANCELLED, 0)
    assert book(nasabah)[1:] == [
        ("purchase", -65000, 35000, order.code),
        ("refund", 50000, 85000, order.code),
        ("refund", 15000, 100000, order.code),
    ]
    assert list(
        SavingsEntry.objects.filter(kind="refund").values_list("reason", flat=True)
    ) == ["Stok rusak", "Pembeli batal"]
    assert ledger_agrees(nasabah)


def test_part_paid_order_gives_back_only_what_savings_paid_beyond_the_rest(
    nasabah, shopper, product, other_product
):
    order = savings_order(
        product, other_product, shopper, payment="transfer", savings=20000
    )
    flamboyan = order.suborders.get(posdaya=other_product.posdaya)
    cancel_suborder(suborder=flamboyan, by=None, reason="Habis")
    order.refresh_from_db()
    # Rp 50.000 still stands: the savings' Rp 20.000 still pays part of it.
    assert (order.savings_amount, amount_due(order)) == (20000, 30000)
    assert [row[0] for row in book(nasabah)] == ["deposit", "purchase"]


def test_expired_part_paid_order_gives_the_savings_back(
    nasabah, shopper, product, other_product
):
    order = savings_order(
        product, other_product, shopper, payment="transfer", savings=20000
    )
    assert expire_due_orders(now=timezone.now() + timedelta(hours=49)) == 1
    order.refresh_from_db()
    assert (order.status, order.savings_amount) == (Order.Status.EXPIRED, 0)
    # Each part cancelled gives back what the savings paid beyond the rest.
    assert book(nasabah)[-2:] == [
        ("refund", 5000, 85000, order.code),
        ("refund", 15000, 100000, order.code),
    ]
    assert ledger_agrees(nasabah)


def test_settlement_impact_and_refund_of_a_savings_paid_suborder(
    nasabah, shopper, product, other_product, pengelola, koordinator
):
    order = savings_order(product, other_product, shopper)
    bahagia = order.suborders.get(posdaya=product.posdaya)
    for to_status in (SS.PROCESSING, SS.READY, SS.COMPLETED):
        advance_suborder(suborder=bahagia, to_status=to_status, by=pengelola)

    credits = SettlementEntry.objects.filter(suborder=bahagia)
    assert list(credits.values_list("kind", "amount")) == [("credit", 50000)]
    impact = compute_impact()
    # Counted once: the sale as product income, the deposit as bank income.
    assert (impact.overall.paid_products, impact.overall.paid_bank) == (50000, 100000)
    today = timezone.localdate()
    report = income_per_week(start=today, end=today)
    # The induk sees each POSDAYA's goods once: paid from savings is paid.
    assert {r.posdaya.name: r.product for r in report.rows} == {
        "POSDAYA Bahagia": 50000,
        "POSDAYA Flamboyan": 15000,
    }
    assert report.waste == 0

    refund_suborder(suborder=bahagia, by=koordinator, reason="Jahitan lepas")

    assert sorted(credits.values_list("kind", "amount")) == [
        ("credit", 50000),
        ("reversal", -50000),
    ]
    assert book(nasabah)[-1] == ("refund", 50000, 85000, order.code)
    assert ledger_agrees(nasabah)


def test_shopping_entries_are_not_corrected_nor_refunded_twice(
    nasabah, shopper, product, other_product, petugas
):
    order = savings_order(product, other_product, shopper)
    debit = SavingsEntry.objects.get(kind="purchase")
    with pytest.raises(BankSampahError) as refused:
        reverse_entry(entry=debit, reason="Coba", by=petugas)
    assert str(refused.value) == (
        "Belanja dari tabungan dikembalikan dengan membatalkan pesanannya."
    )
    with pytest.raises(BankSampahError) as refused:
        refund_order_to_savings(
            member_id=nasabah.pk,
            amount=65001,
            order_code=order.code,
            reason="x",
            by=None,
        )
    assert str(refused.value) == (
        f"Pengembalian Rp\xa065.001 melebihi belanja {order.code} yang dibayar "
        "dari tabungan (Rp\xa065.000)."
    )
    assert book(nasabah)[-1] == ("purchase", -65000, 35000, order.code)


def test_branch_report_shows_what_members_spent_from_savings(
    nasabah, shopper, product, other_product, pengelola
):
    from banksampah.selectors import branch_report
    from tests.conftest import client_for

    order = savings_order(product, other_product, shopper)
    cancel_suborder(
        suborder=order.suborders.get(posdaya=other_product.posdaya),
        by=None,
        reason="Habis",
    )
    today = timezone.localdate()
    report = branch_report(posdaya=nasabah.posdaya, start=today, end=today)
    # Rp 65.000 paid, Rp 15.000 given back; withdrawals are another thing.
    assert (report.shopped, report.withdrawn, report.credited) == (50000, 0, 100000)
    html = client_for(pengelola).get("/dasbor/bahagia/bank-sampah/laporan/")
    assert (
        "dan Rp\xa050.000 dibelanjakan dari tabungan (diserahkan ke induk)"
        in html.content.decode()
    )


def test_kode_unik_is_only_for_the_transferred_rest(
    nasabah, shopper, product, other_product, settings
):
    settings.PASAR_TRANSFER_UNIQUE_CODE = True
    part = savings_order(
        product, other_product, shopper, payment="transfer", savings=20000
    )
    part.refresh_from_db()
    assert 1 <= part.unique_code <= 999
    assert part.total == 65000 + part.unique_code
    assert amount_due(part) == 45000 + part.unique_code
    with pytest.raises(OrderError, match="melebihi total pesanan"):
        savings_order(
            product, other_product, shopper, payment="transfer", savings=65001
        )
    whole = savings_order(
        product, other_product, shopper, payment="transfer", savings=65000
    )
    whole.refresh_from_db()
    assert (whole.status, whole.payment_method) == (Order.Status.PAID, "tabungan")
    assert (whole.total, whole.unique_code, amount_due(whole)) == (65000, 0, 0)
    assert book(nasabah)[-1] == ("purchase", -65000, 15000, whole.code)


def test_the_rest_may_be_paid_by_qris(
    nasabah, shopper, product, other_product, monkeypatch
):
    from orders.payments import QrisMethod

    monkeypatch.setattr(QrisMethod, "available", lambda self: True)
    order = savings_order(product, other_product, shopper, payment="qris", savings=1)
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("menunggu_pembayaran", "qris")
    assert (order.savings_amount, amount_due(order)) == (1, 64999)
