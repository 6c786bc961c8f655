"""One guard per action: a button shown is a change the service accepts.

For every state the pages can meet, the buttons (`allowed_suborder_actions`,
`can_mark_paid`, `can_refund`) are compared with what the services accept,
each try rolled back.
"""

import itertools

import pytest
from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from orders.models import Order, SubOrder
from orders.services import (
    OrderError,
    advance_suborder,
    allowed_suborder_actions,
    can_mark_paid,
    can_refund,
    mark_suborder_paid,
    refund_suborder,
)
from orders.services.transitions import SUBORDER_TRANSITIONS

from .conftest import make_order

pytestmark = pytest.mark.django_db

SS = SubOrder.Status
OS = Order.Status
# (delivery, payment) pairs checkout accepts: a courier does not collect cash.
ORDER_KINDS = [
    ("ambil", "transfer"),
    ("ambil", "bayar_di_tempat"),
    ("antar", "transfer"),
    ("antar", "bayar_di_tempat"),
    ("ekspedisi", "transfer"),
]


class _Undo(Exception):
    """Roll back a change the service accepted."""


def accepted(change) -> bool:
    try:
        with transaction.atomic():
            change()
            raise _Undo
    except _Undo:
        return True
    except OrderError:
        return False


def put(order, suborder, *, status, paid, order_status=None):
    """Force a sub-order (and its order) into a state, as history leaves it."""
    paid_at = timezone.now() if paid else None
    SubOrder.objects.filter(pk=suborder.pk).update(status=status, paid_at=paid_at)
    if order_status is None:
        order_status = {
            SS.CANCELLED: OS.CANCELLED,
            SS.COMPLETED: OS.COMPLETED if paid else OS.AWAITING_PAYMENT,
        }.get(status, OS.PAID if paid else OS.AWAITING_PAYMENT)
    Order.objects.filter(pk=order.pk).update(status=order_status, paid_at=paid_at)
    return (
        Order.objects.get(pk=order.pk),
        SubOrder.objects.select_related("order").get(pk=suborder.pk),
    )


@pytest.fixture
def orders(product, zone):
    # Forced paid states may be cancelled: give sold_count room to go back.
    Product.objects.filter(pk=product.pk).update(sold_count=100)
    made = {}
    for delivery, payment in ORDER_KINDS:
        order = make_order(
            {product: 1},
            delivery=delivery,
            payment=payment,
            zone=None if delivery == "ambil" else zone,
        )
        made[delivery, payment] = (order, order.suborders.get())
    return made


def test_buttons_are_exactly_the_transitions_the_service_accepts(orders, pengelola):
    seen = {}
    for (kind, (order, suborder)), status, paid in itertools.product(
        orders.items(), SS.values, (False, True)
    ):
        order, suborder = put(order, suborder, status=status, paid=paid)
        buttons = allowed_suborder_actions(order=order, suborder=suborder)
        accepts = [
            target
            for target in SS.values
            if accepted(
                lambda target=target, suborder=suborder: advance_suborder(
                    suborder=suborder, to_status=target, by=pengelola, note="uji"
                )
            )
        ]
        assert buttons == accepts, (kind, status, paid)
        assert set(buttons) <= SUBORDER_TRANSITIONS[status]
        seen[(*kind, status, paid)] = buttons
    # The comparison above runs over 60 states; a few of them spelled out.
    assert seen["ambil", "transfer", SS.NEW, False] == [SS.CANCELLED]
    assert seen["ambil", "transfer", SS.NEW, True] == [SS.PROCESSING, SS.CANCELLED]
    assert seen["ambil", "bayar_di_tempat", SS.NEW, False] == [
        SS.PROCESSING,
        SS.CANCELLED,
    ]
    assert seen["ambil", "transfer", SS.PROCESSING, True] == [SS.READY, SS.CANCELLED]
    assert seen["antar", "bayar_di_tempat", SS.PROCESSING, False] == [
        SS.SHIPPED,
        SS.CANCELLED,
    ]
    assert seen["antar", "bayar_di_tempat", SS.SHIPPED, False] == []
    assert seen["ekspedisi", "transfer", SS.SHIPPED, True] == [SS.COMPLETED]
    assert seen["ambil", "bayar_di_tempat", SS.READY, True] == [
        SS.COMPLETED,
        SS.CANCELLED,
    ]
    assert seen["antar", "transfer", SS.COMPLETED, True] == []
    assert sum(map(len, seen.values())) == 57


def test_mark_paid_button_is_exactly_what_the_service_accepts(orders, pengelola):
    seen = {}
    for (kind, (order, suborder)), status, paid, order_status in itertools.product(
        orders.items(),
        SS.values,
        (False, True),
        (OS.AWAITING_PAYMENT, OS.PAID),
    ):
        order, suborder = put(
            order, suborder, status=status, paid=paid, order_status=order_status
        )
        button = can_mark_paid(order=order, suborder=suborder)
        accepts = accepted(
            lambda suborder=suborder: mark_suborder_paid(
                suborder=suborder, by=pengelola
            )
        )
        assert button == accepts, (kind, status, paid, order_status)
        seen[(*kind, status, paid, order_status)] = button
    # Cash, not yet paid, while the order waits: every state but cancelled.
    assert sorted(
        (delivery, status)
        for (delivery, payment, status, paid, order_status), button in seen.items()
        if button
    ) == sorted(
        (delivery, status)
        for delivery in ("ambil", "antar")
        for status in SS.values
        if status != SS.CANCELLED
    )


def test_refund_button_is_exactly_what_the_service_accepts(orders, koordinator):
    buttons = []
    for (_kind, (order, suborder)), status in itertools.product(
        orders.items(), SS.values
    ):
        order, suborder = put(order, suborder, status=status, paid=True)
        button = can_refund(suborder=suborder)
        accepts = accepted(
            lambda suborder=suborder: refund_suborder(
                suborder=suborder, by=koordinator, reason="Retur"
            )
        )
        assert button == accepts, (_kind, status)
        buttons.append(button)
    assert buttons.count(True) == len(ORDER_KINDS)
