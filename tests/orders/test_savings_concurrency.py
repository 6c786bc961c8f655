"""PostgreSQL: two checkout tabs and a teller's withdrawal on one savings book."""

import secrets
import uuid

import pytest
from django.db import connection
from django.db.models import Sum

from banksampah.models import SavingsEntry
from banksampah.services import BankSampahError, record_withdrawal
from orders.models import Order
from orders.services import OrderError, place_order
from tests.factories import MemberFactory, PosdayaFactory, ProductFactory, UserFactory

from .conftest import PHONE
from .test_concurrency import run_threads
from .test_savings_payment import fund

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("round_", range(4))
def test_two_tabs_and_a_withdrawal_never_overdraw_the_book(round_):
    posdaya = PosdayaFactory()
    user = UserFactory()
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti", user=user)
    fund(member, "20")  # Rp 100.000
    teller = UserFactory()
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", price=60000, stock=10)

    def act(index):
        if index == 0:
            return record_withdrawal(
                member=member, amount=50000, by=teller, idempotency_key=uuid.uuid4()
            )
        return place_order(
            quantities={product.pk: 1},
            customer=user,
            name="Ibu Siti",
            phone=PHONE,
            delivery_method="ambil",
            payment_method="tabungan",
            checkout_token=secrets.token_urlsafe(24),
        )

    results = run_threads(3, act)

    refused = [r for r in results if isinstance(r, Exception)]
    # Rp 100.000 pays one order of Rp 60.000 or the withdrawal of Rp 50.000:
    # whichever gets the book's lock first; the other two are refused.
    assert len(refused) == 2, results
    assert all(isinstance(r, OrderError | BankSampahError) for r in refused)
    assert all(str(r).startswith("Saldo") for r in refused), refused
    member.refresh_from_db()
    entries = SavingsEntry.objects.filter(member=member)
    assert member.balance in (40000, 50000)
    assert entries.aggregate(s=Sum("amount"))["s"] == member.balance
    assert entries.order_by("-id").first().balance_after == member.balance
    assert Order.objects.filter(customer=user).count() == (
        entries.filter(kind="purchase").count()
    )
    assert product.__class__.objects.get(pk=product.pk).stock == (
        10 - entries.filter(kind="purchase").count()
    )


def test_two_cancels_and_a_withdrawal_give_the_money_back_once():
    from orders.services import cancel_suborder

    posdaya = PosdayaFactory()
    user = UserFactory()
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti", user=user)
    fund(member, "20")  # Rp 100.000
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", price=60000, stock=10)
    order = place_order(
        quantities={product.pk: 1},
        customer=user,
        name="Ibu Siti",
        phone=PHONE,
        delivery_method="ambil",
        payment_method="tabungan",
        checkout_token=secrets.token_urlsafe(24),
    ).order
    suborder = order.suborders.get()

    def act(index):
        if index == 0:
            return record_withdrawal(
                member=member, amount=40000, by=None, idempotency_key=uuid.uuid4()
            )
        return cancel_suborder(suborder=suborder, by=None, reason=f"Batal {index}")

    results = run_threads(3, act)

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], OrderError), results
    entries = SavingsEntry.objects.filter(member=member)
    assert list(entries.filter(kind="refund").values_list("amount", flat=True)) == [
        60000
    ]
    member.refresh_from_db()
    assert member.balance == 100000 - 60000 - 40000 + 60000
    assert entries.aggregate(s=Sum("amount"))["s"] == member.balance
    assert entries.order_by("-id").first().balance_after == member.balance
