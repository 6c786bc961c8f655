"""Recording history: `at=` on every service the demo calls, and a day in bulk.

`record_deposits` must write exactly what `record_deposit` writes for the same
visits one after another; `at` must land on every row an operation creates.
"""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from banksampah.models import (
    Deposit,
    DepositLine,
    Member,
    SavingsEntry,
    WasteStock,
    WasteStockMovement,
)
from banksampah.services import (
    BankSampahError,
    DepositInput,
    SaleLine,
    WeighedLine,
    record_deposit,
    record_deposits,
    record_production_use,
    record_sale,
    record_withdrawal,
    register_member,
)
from tests.factories import MemberFactory

from .conftest import deposit

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
SATURDAY = dt.date(2025, 3, 8)
MORNING = dt.datetime(2025, 3, 8, 8, 0, tzinfo=JAKARTA)


@pytest.fixture
def day(member, pet, kardus):
    """Three visits of one weighing day; Ibu Siti comes twice."""
    budi = MemberFactory(posdaya=member.posdaya, name="Ibu Budi")
    visits = [
        (member, [(pet, "2.345"), (kardus, "1.001")]),
        (budi, [(kardus, "4")]),
        (member, [(pet, "0.5")]),
    ]
    return [
        DepositInput(
            member=who,
            lines=[WeighedLine(category=c, weight=Decimal(w)) for c, w in lines],
            idempotency_key=uuid.UUID(int=n + 1),
        )
        for n, (who, lines) in enumerate(visits)
    ]


def one_by_one(day, by):
    return [
        record_deposit(
            member=item.member,
            lines=item.lines,
            by=by,
            idempotency_key=item.idempotency_key,
            weighed_on=SATURDAY,
        )
        for item in day
    ]


def in_bulk(day, by):
    return record_deposits(
        posdaya=day[0].member.posdaya, deposits=day, by=by, weighed_on=SATURDAY
    )


def ledgers():
    """Every row a deposit writes, in id order, without ids and clocks."""
    return {
        "deposits": list(
            Deposit.objects.order_by("pk").values_list(
                "member__name", "weighed_on", "total_amount", "by__username"
            )
        ),
        "lines": list(
            DepositLine.objects.order_by("pk").values_list(
                "deposit__idempotency_key", "category__slug", "weight", "amount"
            )
        ),
        "entries": list(
            SavingsEntry.objects.order_by("pk").values_list(
                "member__name", "kind", "amount", "balance_after", "by__username"
            )
        ),
        "movements": list(
            WasteStockMovement.objects.order_by("pk").values_list(
                "category__slug", "kind", "weight", "weight_after", "by__username"
            )
        ),
        "balances": list(Member.objects.order_by("pk").values_list("balance")),
        "stock": sorted(WasteStock.objects.values_list("category__slug", "weight")),
    }


KEY = [uuid.UUID(int=n) for n in range(4)]
EXPECTED = {
    # 2.345 × 3000 = 7035; 1.001 × 1500 = 1501.5 → 1502; 4 × 1500; 0.5 × 3000
    "deposits": [
        ("Ibu Siti Aminah", SATURDAY, 8537, "petugas"),
        ("Ibu Budi", SATURDAY, 6000, "petugas"),
        ("Ibu Siti Aminah", SATURDAY, 1500, "petugas"),
    ],
    "lines": [
        (KEY[1], "plastik-pet", Decimal("2.345"), 7035),
        (KEY[1], "kardus", Decimal("1.001"), 1502),
        (KEY[2], "kardus", Decimal("4.000"), 6000),
        (KEY[3], "plastik-pet", Decimal("0.500"), 1500),
    ],
    "entries": [
        ("Ibu Siti Aminah", "deposit", 8537, 8537, "petugas"),
        ("Ibu Budi", "deposit", 6000, 6000, "petugas"),
        ("Ibu Siti Aminah", "deposit", 1500, 10_037, "petugas"),
    ],
    "movements": [
        ("plastik-pet", "in_deposit", Decimal("2.345"), Decimal("2.345"), "petugas"),
        ("kardus", "in_deposit", Decimal("1.001"), Decimal("1.001"), "petugas"),
        ("kardus", "in_deposit", Decimal("4.000"), Decimal("5.001"), "petugas"),
        ("plastik-pet", "in_deposit", Decimal("0.500"), Decimal("2.845"), "petugas"),
    ],
    "balances": [(10_037,), (6000,)],
    "stock": [("kardus", Decimal("5.001")), ("plastik-pet", Decimal("2.845"))],
}


@pytest.mark.parametrize("record", [one_by_one, in_bulk])
def test_a_day_in_bulk_writes_what_one_deposit_after_another_writes(
    day, petugas, record
):
    deposits = record(day, petugas)
    assert ledgers() == EXPECTED
    assert [d.idempotency_key for d in deposits] == KEY[1:]
    # The caller's member objects carry the new balance, as after record_deposit.
    assert [item.member.balance for item in day] == [10_037, 6000, 10_037]


def test_a_bulk_day_is_idempotent_per_key(day, petugas):
    first = in_bulk(day, petugas)
    again = in_bulk(day, petugas)
    assert [d.pk for d in again] == [d.pk for d in first]
    assert ledgers() == EXPECTED
    # A key twice in one day is one deposit, credited once.
    extra = DepositInput(
        member=day[0].member, lines=day[0].lines, idempotency_key=uuid.uuid4()
    )
    twice = in_bulk([extra, extra], petugas)
    assert twice[0] is twice[1]
    assert Deposit.objects.count() == 4
    assert Member.objects.get(name="Ibu Siti Aminah").balance == 10_037 + 8537


def test_a_refused_visit_refuses_the_whole_day(day, petugas, member, pet):
    Member.objects.filter(pk=day[1].member.pk).update(is_active=False)
    with pytest.raises(BankSampahError, match="Nasabah Ibu Budi tidak aktif"):
        in_bulk(day, petugas)
    bad_weight = DepositInput(
        member=member,
        lines=[WeighedLine(category=pet, weight=Decimal("1.2345"))],
        idempotency_key=uuid.uuid4(),
    )
    with pytest.raises(BankSampahError, match="3 angka di belakang koma"):
        in_bulk([day[0], bad_weight], petugas)
    taken = deposit(MemberFactory(posdaya=member.posdaya), (pet, "1"), key=KEY[1])
    with pytest.raises(BankSampahError, match="nasabah lain"):
        in_bulk([day[0]], petugas)
    assert list(Deposit.objects.values_list("pk", flat=True)) == [taken.pk]
    assert list(SavingsEntry.objects.values_list("amount", flat=True)) == [3000]
    assert list(Member.objects.order_by("pk").values_list("balance", flat=True)) == [
        0,
        0,
        3000,
    ]


def test_a_bulk_day_takes_members_of_its_posdaya_only(day, other_member, petugas):
    stranger = DepositInput(
        member=other_member, lines=day[0].lines, idempotency_key=uuid.uuid4()
    )
    with pytest.raises(ValueError, match="POSDAYA of the day"):
        in_bulk([day[0], stranger], petugas)
    assert Deposit.objects.count() == 0


def test_at_stamps_every_row_of_a_bulk_day(day, petugas):
    record_deposits(
        posdaya=day[0].member.posdaya,
        deposits=day,
        by=petugas,
        weighed_on=SATURDAY,
        at=MORNING,
    )
    assert ledgers() == EXPECTED
    for model in (Deposit, SavingsEntry, WasteStockMovement):
        assert set(model.objects.values_list("created_at", flat=True)) == {MORNING}
    assert set(Deposit.objects.values_list("updated_at", flat=True)) == {MORNING}


def test_at_stamps_one_deposit_and_gives_its_day(member, pet, petugas):
    result = record_deposit(
        member=member,
        lines=[WeighedLine(category=pet, weight=Decimal("1"))],
        by=petugas,
        idempotency_key=uuid.uuid4(),
        at=MORNING,
    )
    assert (result.weighed_on, result.created_at) == (SATURDAY, MORNING)
    assert SavingsEntry.objects.get().created_at == MORNING
    assert WasteStockMovement.objects.get().created_at == MORNING


def test_at_stamps_members_withdrawals_sales_and_production(
    posdaya, pet, kardus, petugas
):
    joined = dt.datetime(2024, 5, 6, 9, 0, tzinfo=JAKARTA)
    siti = register_member(posdaya=posdaya, name="Ibu Siti", at=joined)
    assert (siti.created_at, siti.updated_at, siti.joined_on) == (
        joined,
        joined,
        dt.date(2024, 5, 6),
    )
    deposit(siti, (pet, "10"), (kardus, "10"), on=SATURDAY)  # Rp 45.000
    sunday = dt.datetime(2025, 3, 9, 11, 30, tzinfo=JAKARTA)
    withdrawal = record_withdrawal(member=siti, amount=5000, by=petugas, at=sunday)
    assert (withdrawal.withdrawn_on, withdrawal.created_at) == (
        dt.date(2025, 3, 9),
        sunday,
    )
    assert withdrawal.entries.get().created_at == sunday
    monday = dt.datetime(2025, 3, 10, 10, 0, tzinfo=JAKARTA)
    sale = record_sale(
        posdaya=posdaya,
        buyer_name="Pak Darto",
        lines=[SaleLine(category=kardus, weight=Decimal("9"))],
        by=petugas,
        at=monday,
    )
    use = record_production_use(
        posdaya=posdaya, category=pet, weight=Decimal("8"), by=petugas, at=monday
    )
    assert (sale.sold_on, sale.created_at, sale.total_amount) == (
        dt.date(2025, 3, 10),
        monday,
        18_000,
    )
    assert (use.used_on, use.created_at) == (dt.date(2025, 3, 10), monday)
    out = WasteStockMovement.objects.filter(kind__in=["out_sale", "out_production"])
    assert list(out.order_by("pk").values_list("created_at", "weight_after")) == [
        (monday, Decimal("1.000")),
        (monday, Decimal("2.000")),
    ]
