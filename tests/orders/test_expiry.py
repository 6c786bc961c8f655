"""Unpaid transfer orders expire after PASAR_ORDER_EXPIRY_HOURS and return stock."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Product, StockMovement
from orders.models import Order, SubOrder
from orders.services import expire_due_orders, expire_order_if_due

from .conftest import make_order

pytestmark = pytest.mark.django_db


def overdue(order):
    Order.objects.filter(pk=order.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_expiry_window_follows_the_setting(settings, product):
    settings.PASAR_ORDER_EXPIRY_HOURS = 2
    before = timezone.now()
    order = make_order({product: 1})
    assert before + timedelta(hours=2) <= order.expires_at
    assert order.expires_at <= timezone.now() + timedelta(hours=2)


def test_command_expires_due_orders_once(order, product, other_product, capsys):
    fresh = make_order({product: 1})
    overdue(order)
    call_command("expire_orders")
    call_command("expire_orders")
    assert capsys.readouterr().out == "1 order(s) expired.\n0 order(s) expired.\n"
    order.refresh_from_db()
    assert order.status == "kedaluwarsa"
    assert set(order.suborders.values_list("status", flat=True)) == {"dibatalkan"}
    assert Order.objects.get(pk=fresh.pk).status == "menunggu_pembayaran"
    assert Product.objects.get(pk=product.pk).stock == 4  # 5 − fresh's 1
    assert Product.objects.get(pk=other_product.pk).stock == 5
    assert StockMovement.objects.filter(kind="release").count() == 2
    assert list(order.events.values_list("from_status", "to_status")) == [
        ("", "menunggu_pembayaran"),
        ("menunggu_pembayaran", "kedaluwarsa"),
    ]


def test_expiring_the_same_order_twice_releases_once(order, product):
    overdue(order)
    assert expire_order_if_due(order_id=order.pk) is True
    assert expire_order_if_due(order_id=order.pk) is False
    assert Product.objects.get(pk=product.pk).stock == 5
    assert StockMovement.objects.filter(kind="release", product=product).count() == 1


def test_orders_waiting_for_verification_do_not_expire(order, product):
    # Cash orders no POSDAYA confirmed do expire: tests/orders/test_hoarding.py.
    from django.core.files.base import ContentFile

    from orders.services import submit_payment_proof

    submit_payment_proof(
        order=order, file=ContentFile(b"%PDF-1 %%EOF", name="a.pdf"), kind="pdf"
    )
    overdue(order)
    assert expire_due_orders(now=timezone.now() + timedelta(days=30)) == 0
    assert Order.objects.get(pk=order.pk).status == "menunggu_verifikasi"


def test_proof_after_the_deadline_is_refused(order):
    from django.core.files.base import ContentFile

    from orders.services import OrderError, submit_payment_proof

    overdue(order)
    with pytest.raises(OrderError, match="sudah lewat"):
        submit_payment_proof(
            order=order, file=ContentFile(b"%PDF-1 %%EOF", name="a.pdf"), kind="pdf"
        )


def test_expired_order_refuses_further_moves(order, posdaya, koordinator):
    from orders.services import IllegalTransitionError, cancel_suborder

    overdue(order)
    expire_due_orders()
    sub = SubOrder.objects.get(order=order, posdaya=posdaya)
    with pytest.raises(IllegalTransitionError):
        cancel_suborder(suborder=sub, by=koordinator, reason="x")
