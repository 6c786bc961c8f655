"""The orders demo step: every state, deterministic counts, idempotent."""

import pytest
from django.core.management import call_command

from catalog.models import Product
from orders import demo
from orders.models import DeliveryZone, Order, OrderEvent, SubOrder
from posdaya.models import Posdaya

from ..factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_no_products_no_orders():
    call_command("seed_demo", "--quiet-accounts")
    assert Order.objects.count() == 0
    assert DeliveryZone.objects.count() == 4


def test_demo_orders_cover_every_state_and_run_once(django_capture_on_commit_callbacks):
    from django.core import mail

    call_command("seed_demo", "--quiet-accounts")
    for posdaya in Posdaya.objects.filter(slug__in=["bahagia", "flamboyan", "melati"]):
        for price in (10000, 15000, 20000):
            ProductFactory(posdaya=posdaya, price=price, stock=10)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    assert mail.outbox == []
    counts = (
        Order.objects.count(),
        SubOrder.objects.count(),
        OrderEvent.objects.count(),
    )
    assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status)
    assert set(SubOrder.objects.values_list("status", flat=True)) == set(
        SubOrder.Status
    )
    assert Product.objects.filter(stock__lt=0).count() == 0
    demo.seed()
    assert (
        Order.objects.count(),
        SubOrder.objects.count(),
        OrderEvent.objects.count(),
    ) == counts
