"""Deposits, withdrawals, reversals, stock: the services and their invariants."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum

from banksampah.models import (
    Deposit,
    DepositLine,
    Member,
    SavingsEntry,
    WasteStock,
    WasteStockMovement,
    Withdrawal,
)
from banksampah.services import (
    BankSampahError,
    SaleLine,
    WeighedLine,
    adjust_waste_stock,
    record_deposit,
    record_production_use,
    record_sale,
    record_withdrawal,
    register_member,
    reverse_deposit,
    reverse_withdrawal,
    set_waste_price,
)
from pasar.models import AppendOnlyError, AuditLog
from tests.factories import (
    MemberFactory,
    PosdayaFactory,
    ProductFactory,
    WasteCategoryFactory,
)

from .conftest import deposit

pytestmark = pytest.mark.django_db


def counts():
    return (
        Deposit.objects.count(),
        DepositLine.objects.count(),
        SavingsEntry.objects.count(),
        Withdrawal.objects.count(),
        WasteStockMovement.objects.count(),
        list(Member.objects.order_by("pk").values_list("balance", flat=True)),
        list(WasteStock.objects.order_by("pk").values_list("weight", flat=True)),
    )


def test_account_numbers_follow_code_rw_and_sequence(posdaya, other_posdaya):
    first = register_member(posdaya=posdaya, name="Ibu A")
    second = register_member(posdaya=posdaya, name="Ibu B")
    other = register_member(posdaya=other_posdaya, name="Ibu C")
    assert first.account_number == "BHG-07-0001"
    assert second.account_number == "BHG-07-0002"
    assert other.account_number == "FLM-07-0001"


def test_account_numbers_are_never_reused(posdaya):
    first = register_member(posdaya=posdaya, name="Ibu A")
    Member.objects.filter(pk=first.pk).delete()
    again = register_member(posdaya=posdaya, name="Ibu B")
    assert again.account_number == "BHG-07-0002"


def test_deposit_snapshots_prices_rounds_each_line_and_moves_stock(
    member, pet, kardus, petugas
):
    result = deposit(member, (pet, "2.345"), (kardus, "1.001"), by=petugas)
    lines = list(
        result.lines.order_by("id").values_list("weight", "unit_price", "amount")
    )
    # 2.345 x 3000 = 7035; 1.001 x 1500 = 1501.5 → 1502 (half up, once per line)
    assert lines == [(Decimal("2.345"), 3000, 7035), (Decimal("1.001"), 1500, 1502)]
    assert result.total_amount == 8537
    member.refresh_from_db()
    assert member.balance == 8537
    entry = SavingsEntry.objects.get()
    assert (entry.kind, entry.amount, entry.balance_after, entry.deposit) == (
        "deposit",
        8537,
        8537,
        result,
    )
    assert entry.by == petugas
    stock = dict(WasteStock.objects.values_list("category__slug", "weight"))
    assert stock == {"plastik-pet": Decimal("2.345"), "kardus": Decimal("1.001")}


def test_same_key_twice_credits_once(member, pet):
    key = uuid.uuid4()
    first = deposit(member, (pet, "1"), key=key)
    second = deposit(member, (pet, "1"), key=key)
    assert first.pk == second.pk
    assert Deposit.objects.count() == 1
    assert SavingsEntry.objects.count() == 1
    member.refresh_from_db()
    assert member.balance == 3000


def test_key_of_another_member_is_refused(member, pet, posdaya):
    key = uuid.uuid4()
    deposit(member, (pet, "1"), key=key)
    other = MemberFactory(posdaya=posdaya)
    with pytest.raises(BankSampahError, match="nasabah lain"):
        deposit(other, (pet, "1"), key=key)


def test_price_change_leaves_history_untouched(member, pet, koordinator):
    old = deposit(member, (pet, "2"), on=dt.date(2024, 6, 1))
    set_waste_price(
        category=pet,
        valid_from=dt.date(2024, 7, 1),
        buy_price=3500,
        sell_price=4500,
        by=koordinator,
    )
    new = deposit(member, (pet, "2"), on=dt.date(2024, 7, 2))
    old.refresh_from_db()
    assert old.total_amount == 6000
    assert old.lines.get().unit_price == 3000
    assert new.lines.get().unit_price == 3500
    member.refresh_from_db()
    assert member.balance == 6000 + 7000
    assert list(
        SavingsEntry.objects.order_by("id").values_list("amount", "balance_after")
    ) == [(6000, 6000), (7000, 13000)]
    audit = AuditLog.objects.get(action="price_change")
    assert audit.before == {
        "valid_from": "2024-01-01",
        "buy_price": 3000,
        "sell_price": 4000,
    }
    assert audit.after == {
        "valid_from": "2024-07-01",
        "buy_price": 3500,
        "sell_price": 4500,
    }


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("0", "lebih dari 0"),
        ("-1", "lebih dari 0"),
        ("1000.001", "paling banyak"),
        ("99999999", "paling banyak"),
        ("1.2345", "3 angka"),
        ("abc", "angka"),
        ("NaN", "angka"),
    ],
)
def test_bad_weights_are_refused_and_change_nothing(member, pet, weight, message):
    before = counts()
    with pytest.raises(BankSampahError, match=message):
        record_deposit(
            member=member,
            lines=[WeighedLine(category=pet, weight=weight)],
            by=None,
            idempotency_key=uuid.uuid4(),
        )
    assert counts() == before


def test_inactive_or_unpriced_category_and_inactive_member_are_refused(member, pet):
    unpriced = WasteCategoryFactory(name="Styrofoam", slug="styrofoam")
    inactive = WasteCategoryFactory(name="Lama", slug="lama", is_active=False)
    before = counts()
    with pytest.raises(BankSampahError, match="belum punya harga"):
        deposit(member, (pet, "1"), (unpriced, "1"))
    with pytest.raises(BankSampahError, match="tidak aktif"):
        deposit(member, (inactive, "1"))
    with pytest.raises(BankSampahError, match="satu baris"):
        deposit(member)
    Member.objects.filter(pk=member.pk).update(is_active=False)
    with pytest.raises(BankSampahError, match="tidak aktif"):
        deposit(member, (pet, "1"))
    assert counts() == before


def test_withdrawal_debits_and_refuses_above_balance(member, pet, petugas):
    deposit(member, (pet, "10"))  # Rp 30.000
    withdrawal = record_withdrawal(member=member, amount=12_500, by=petugas)
    member.refresh_from_db()
    assert member.balance == 17_500
    assert withdrawal.entries.get().balance_after == 17_500
    before = counts()
    for amount, message in [
        (17_501, "Saldo tidak cukup"),
        (0, "lebih dari"),
        (-5, "lebih dari"),
    ]:
        with pytest.raises(BankSampahError, match=message):
            record_withdrawal(member=member, amount=amount, by=petugas)
    assert counts() == before


def test_withdrawal_key_twice_debits_once(member, pet):
    deposit(member, (pet, "10"))
    key = uuid.uuid4()
    record_withdrawal(member=member, amount=1000, by=None, idempotency_key=key)
    record_withdrawal(member=member, amount=1000, by=None, idempotency_key=key)
    member.refresh_from_db()
    assert member.balance == 29_000


def test_reverse_deposit_adds_linked_correction_and_removes_stock(member, pet, petugas):
    original = deposit(member, (pet, "2"))
    correction = reverse_deposit(deposit=original, reason="Salah nasabah", by=petugas)
    assert (correction.kind, correction.amount, correction.balance_after) == (
        "correction",
        -6000,
        0,
    )
    assert correction.reversal_of == original.entries.get(kind="deposit")
    assert correction.reason == "Salah nasabah"
    assert WasteStock.objects.get().weight == Decimal("0.000")
    audit = AuditLog.objects.get(action="ledger_correction")
    assert audit.note == "Salah nasabah"
    assert (audit.before, audit.after["balance"]) == ({"balance": 6000}, 0)
    with pytest.raises(BankSampahError, match="sudah dibatalkan"):
        reverse_deposit(deposit=original, reason="lagi", by=petugas)


def test_reverse_deposit_refused_when_money_already_withdrawn(member, pet):
    original = deposit(member, (pet, "2"))
    record_withdrawal(member=member, amount=5000, by=None)
    before = counts()
    with pytest.raises(BankSampahError, match="Saldo tidak cukup"):
        reverse_deposit(deposit=original, reason="Salah", by=None)
    with pytest.raises(BankSampahError, match="alasan"):
        reverse_deposit(deposit=original, reason="  ", by=None)
    assert counts() == before


def test_reverse_withdrawal_gives_money_back(member, pet):
    deposit(member, (pet, "2"))
    withdrawal = record_withdrawal(member=member, amount=5000, by=None)
    reverse_withdrawal(withdrawal=withdrawal, reason="Batal ambil", by=None)
    member.refresh_from_db()
    assert member.balance == 6000


def test_ledger_rows_refuse_changes_in_the_model_layer(member, pet):
    deposit(member, (pet, "1"))
    entry = SavingsEntry.objects.get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        SavingsEntry.objects.update(amount=1)
    with pytest.raises(AppendOnlyError):
        WasteStockMovement.objects.all().delete()


def test_sale_production_and_adjustment_move_stock_never_below_zero(
    posdaya, member, pet, kardus, petugas
):
    deposit(member, (pet, "10"), (kardus, "5"))
    sale = record_sale(
        posdaya=posdaya,
        buyer_name="Pak Darto",
        lines=[SaleLine(pet, Decimal("8")), SaleLine(kardus, Decimal("5"), 2100)],
        by=petugas,
    )
    assert list(sale.lines.order_by("id").values_list("unit_price", "amount")) == [
        (4000, 32_000),
        (2100, 10_500),
    ]
    assert sale.total_amount == 42_500
    product = ProductFactory(posdaya=posdaya)
    use = record_production_use(
        posdaya=posdaya,
        category=pet,
        weight=Decimal("1.5"),
        product=product,
        by=petugas,
    )
    assert use.product == product
    before = counts()
    with pytest.raises(BankSampahError, match="tidak cukup"):
        record_production_use(
            posdaya=posdaya, category=pet, weight=Decimal("0.501"), by=None
        )
    with pytest.raises(BankSampahError, match="tidak cukup"):
        record_sale(
            posdaya=posdaya,
            buyer_name="X",
            lines=[SaleLine(kardus, Decimal("0.001"))],
            by=None,
        )
    with pytest.raises(BankSampahError, match="tidak cukup"):
        adjust_waste_stock(
            posdaya=posdaya,
            category=pet,
            weight=Decimal("-0.501"),
            reason="hilang",
            by=None,
        )
    with pytest.raises(BankSampahError, match="bukan milik"):
        record_production_use(
            posdaya=posdaya,
            category=pet,
            weight=Decimal("0.1"),
            product=ProductFactory(posdaya=PosdayaFactory()),
            by=None,
        )
    assert counts()[:5] == before[:5]
    adjust_waste_stock(
        posdaya=posdaya,
        category=pet,
        weight=Decimal("-0.5"),
        reason="Basah",
        by=petugas,
    )
    stock = dict(WasteStock.objects.values_list("category__slug", "weight"))
    assert stock == {"plastik-pet": Decimal("0.000"), "kardus": Decimal("0.000")}
    moves = WasteStockMovement.objects.filter(posdaya=posdaya, category=pet)
    assert moves.aggregate(total=Sum("weight"))["total"] == Decimal("0")
    assert AuditLog.objects.filter(action="stock_adjustment").count() == 1
