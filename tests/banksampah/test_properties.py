"""Property tests: random deposits, withdrawals and corrections keep the book right."""

import uuid
from decimal import Decimal

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
from tests.factories import MemberFactory

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
        list(WasteStock.objects.values_list("weight", flat=True)),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_random_operations_keep_balance_equal_to_the_entries(posdaya, pet, ops):
    member = MemberFactory(posdaya=posdaya)
    for op, value in ops:
        before = book_state(member)
        try:
            if op == "deposit":
                record_deposit(
                    member=member,
                    lines=[WeighedLine(category=pet, weight=value)],
                    by=None,
                    idempotency_key=uuid.uuid4(),
                )
            elif op == "withdraw":
                record_withdrawal(member=member, amount=value, by=None)
            else:
                entries = list(
                    SavingsEntry.objects.filter(member=member).order_by("id")
                )
                if not entries:
                    continue
                entry = entries[value % len(entries)]
                reverse_entry(entry=entry, reason="uji", by=None)
        except BankSampahError:
            assert book_state(member) == before, "a refused operation changed data"
        entries = SavingsEntry.objects.filter(member=member).order_by("id")
        total = entries.aggregate(total=Sum("amount"))["total"] or 0
        member.refresh_from_db()
        assert member.balance >= 0
        assert member.balance == total
        running = 0
        for entry in entries:
            running += entry.amount
            assert entry.balance_after == running >= 0
        assert Member.objects.get(pk=member.pk).balance == running
