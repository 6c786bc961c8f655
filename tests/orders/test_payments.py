"""The payment registry is the one list of payment methods, the model's too."""

from io import StringIO

import pytest
from django.core.management import call_command

from orders.models import Order
from orders.payments import REGISTRY, PaymentMethod

pytestmark = pytest.mark.django_db


def test_order_payment_method_choices_are_the_registry():
    field = Order._meta.get_field("payment_method")
    assert list(field.choices) == [
        ("transfer", "Transfer bank ke rekening POSDAYA Induk"),
        ("qris", "QRIS (e-wallet atau m-banking)"),
        ("bayar_di_tempat", "Bayar di tempat (tunai)"),
        ("tabungan", "Bayar pakai tabungan sampah"),
    ]


def test_a_registered_method_is_a_choice_without_a_migration(monkeypatch, order):
    gateway = PaymentMethod(code="gateway", label="Gateway")
    monkeypatch.setitem(REGISTRY, "gateway", gateway)
    field = Order._meta.get_field("payment_method")
    assert ("gateway", "Gateway") in list(field.choices)
    Order.objects.filter(pk=order.pk).update(payment_method="gateway")
    assert Order.objects.get(pk=order.pk).get_payment_method_display() == "Gateway"
    out = StringIO()
    call_command("makemigrations", "orders", check=True, dry_run=True, stdout=out)
    assert out.getvalue() == "No changes detected in app 'orders'\n"
