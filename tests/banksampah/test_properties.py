"""Property tests: random deposits, withdrawals and reversals keep the book right.

A plain model of the book (a list of amounts and running balances, and the
stock in kg) says which operation must be refused and what every balance must
be; the services must agree with it exactly.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banksampah.models import Member, SavingsEntry, WasteStock
from banksampah.services import (
    BankSampahError,
    WeighedLine,
    record_deposit,
    record_withdrawal,
    reverse_entry,
)
from tests.factories import MemberFactory, PosdayaFactory

pytestmark = pytest.mark.django_db

weights = st.decimals(
    min_value=Decimal("-5"), max_value=Decimal("40"), places=3, allow_nan=False
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), weights),
        st.tuples(st.just("withdraw"), st.integers(min_value=-1000, max_value=80_000)),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
    ),
    max_size=25,
)


def book_state(member):
    member.refresh_from_db()
    return (
        member.balance,
        SavingsEntry.objects.filter(member=member).count(),
        list(
            WasteStock.objects.filter(posdaya=member.posdaya).values_list(
                "weight", flat=True
            )
        ),
    )


class Book:
    """What the savings book and the stock must hold (PET at Rp 3.000/kg)."""

    def __init__(self):
        self.entries = []  # [kind, amount, balance_after, weight, reversed]
        self.stock = None  # no stock row before the first deposit

    @property
    def balance(self):
        return self.entries[-1][2] if self.entries else 0

    def append(self, kind, amount, weight=Decimal(0)):
        self.entries.append([kind, amount, self.balance + amount, weight, False])

    def deposit(self, weight):
        if weight <= 0:
            return False
        amount = int((weight * 3000).quantize(Decimal(1), ROUND_HALF_UP))
        self.append("deposit", amount, weight)
        self.stock = (self.stock or Decimal(0)) + weight
        return True

    def withdraw(self, amount):
        if amount <= 0 or amount > self.balance:
            return False
        self.append("withdrawal", -amount)
        return True

    def reverse(self, index):
        entry = self.entries[index]
        kind, amount, _after, weight, done = entry
        if kind == "correction" or done or self.balance - amount < 0:
            return False
        entry[4] = True
        self.append("correction", -amount)
        if kind == "deposit":
            self.stock -= weight
        return True


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_random_operations_keep_balance_equal_to_the_entries(pet, ops):
    # A POSDAYA per example: its stock row starts empty like the book.
    member = MemberFactory(posdaya=PosdayaFactory())
    book = Book()
    for op, value in ops:
        before = book_state(member)
        try:
            if op == "deposit":
                expected = book.deposit(value)
                record_deposit(
                    member=member,
                    lines=[WeighedLine(category=pet, weight=value)],
                    by=None,
                    idempotency_key=uuid.uuid4(),
                )
            elif op == "withdraw":
                expected = book.withdraw(value)
                record_withdrawal(member=member, amount=value, by=None)
            else:
                entries = list(
                    SavingsEntry.objects.filter(member=member).order_by("id")
                )
                if not entries:
                    continue
                expected = book.reverse(value % len(entries))
                entry = entries[value % len(entries)]
                reverse_entry(entry=entry, reason="uji", by=None)
        except BankSampahError:
            assert not expected, (op, value, "refused, the model accepts it")
            assert book_state(member) == before, "a refused operation changed data"
        else:
            assert expected, (op, value, "accepted, the model refuses it")
        entries = SavingsEntry.objects.filter(member=member).order_by("id")
        total = entries.aggregate(total=Sum("amount"))["total"] or 0
        member.refresh_from_db()
        assert member.balance == book.balance
        assert member.balance == total
        running = 0
        for entry in entries:
            running += entry.amount
            assert entry.balance_after == running
        assert list(entries.values_list("kind", "amount", "balance_after")) == [
            (kind, amount, after) for kind, amount, after, _w, _r in book.entries
        ]
        assert Member.objects.get(pk=member.pk).balance == running
        stock = list(
            WasteStock.objects.filter(posdaya=member.posdaya).values_list(
                "weight", flat=True
            )
        )
        assert stock == ([] if book.stock is None else [book.stock])
