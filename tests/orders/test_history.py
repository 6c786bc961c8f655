"""The services stamp what they write with `now=`: the demo's history, no mock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import StockMovement
from orders.models import OrderEvent, SettlementEntry, SubOrderEvent
from orders.services import (
    advance_suborder,
    expire_order_if_due,
    mark_suborder_paid,
    place_order,
)

from .conftest import PHONE

pytestmark = pytest.mark.django_db


def test_every_row_of_a_story_carries_the_moment_it_was_given(
    product, pengelola, posdaya
):
    placed = timezone.now().replace(microsecond=0) - timedelta(weeks=6)
    order = place_order(
        quantities={product.pk: 2},
        customer=None,
        name="Budi",
        phone=PHONE,
        delivery_method="ambil",
        payment_method="bayar_di_tempat",
        checkout_token="h" * 32,
        now=placed,
    ).order
    suborder = order.suborders.get()
    steps = [placed + timedelta(hours=h) for h in (4, 20, 26, 27)]
    advance_suborder(
        suborder=suborder, to_status="diproses", by=pengelola, now=steps[0]
    )
    advance_suborder(
        suborder=suborder, to_status="siap_diambil", by=pengelola, now=steps[1]
    )
    mark_suborder_paid(suborder=suborder, by=pengelola, now=steps[2])
    advance_suborder(suborder=suborder, to_status="selesai", by=pengelola, now=steps[3])

    order.refresh_from_db()
    suborder.refresh_from_db()
    assert order.code.startswith(f"PB-{timezone.localtime(placed):%y%m}-")
    assert (order.created_at, order.paid_at) == (placed, steps[2])
    assert (suborder.created_at, suborder.paid_at) == (placed, steps[2])
    assert list(
        SubOrderEvent.objects.filter(suborder=suborder).values_list(
            "to_status", "created_at"
        )
    ) == [
        ("baru", placed),
        ("diproses", steps[0]),
        ("siap_diambil", steps[1]),
        ("siap_diambil", steps[2]),  # cash received
        ("selesai", steps[3]),
    ]
    assert list(OrderEvent.objects.values_list("to_status", "created_at")) == [
        ("menunggu_pembayaran", placed),
        ("dibayar", steps[2]),
        ("selesai", steps[3]),
    ]
    assert list(
        StockMovement.objects.filter(kind="order").values_list("created_at", flat=True)
    ) == [placed]
    assert SettlementEntry.objects.get().created_at == steps[3]


def test_expiry_at_a_given_moment_stamps_the_release(order, product):
    due = order.expires_at + timedelta(minutes=5)
    assert expire_order_if_due(order_id=order.pk, now=due) is True
    assert set(
        StockMovement.objects.filter(kind="release").values_list(
            "created_at", flat=True
        )
    ) == {due}
    assert OrderEvent.objects.filter(to_status="kedaluwarsa").get().created_at == due
