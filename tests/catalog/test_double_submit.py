"""A product stock adjustment sent twice, or by two racing requests, counts once.

The stock form carries a one-time key issued with the form; the movement
stores it (unique), so the second POST answers like the first and changes
nothing. Sequential on every database; threads on PostgreSQL.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.db.models import Sum

from catalog.models import Product, StockMovement
from pasar.models import AuditLog
from tests.conftest import client_for, race
from tests.factories import ProductFactory

THREADS = 4


def url(product):
    return f"/dasbor/bahagia/produk/{product.pk}/stok/"


def state(product):
    return (
        Product.objects.get(pk=product.pk).stock,
        list(
            StockMovement.objects.filter(product=product)
            .order_by("pk")
            .values_list("kind", "quantity", "stock_after", "reason")
        ),
        AuditLog.objects.filter(action="stock_adjustment").count(),
    )


EXPECTED = (
    5,
    [("adjustment", 2, 2, "Stok awal"), ("adjustment", 3, 5, "Produksi baru")],
    1,
)


@pytest.mark.django_db
def test_the_same_stock_form_sent_twice_counts_once(posdaya, pengelola):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", stock=2)
    client = client_for(pengelola)
    data = {"quantity": "3", "reason": "Produksi baru", "key": str(uuid.uuid4())}
    first = client.post(url(product), data)
    assert first.status_code == 302
    second = client.post(url(product), data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert state(product) == EXPECTED
    page = client.get(second["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Stok Tas Kopi sekarang 5.",
        "Stok Tas Kopi sekarang 5.",
    ]


@pytest.mark.django_db
def test_a_key_of_another_product_is_refused(posdaya, pengelola):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", stock=2)
    other = ProductFactory(posdaya=posdaya, name="Vas", stock=2)
    client = client_for(pengelola)
    data = {"quantity": "3", "reason": "Produksi baru", "key": str(uuid.uuid4())}
    client.post(url(product), data)
    response = client.post(url(other), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Formulir ini sudah dipakai untuk produk lain. Muat ulang halaman."
    ]
    assert Product.objects.get(pk=other.pk).stock == 2


@pytest.mark.django_db
def test_the_stock_form_refuses_a_missing_key(posdaya, pengelola):
    product = ProductFactory(posdaya=posdaya, stock=2)
    response = client_for(pengelola).post(
        url(product), {"quantity": "3", "reason": "Produksi baru"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Formulir kedaluwarsa. Periksa isinya lalu kirim lagi."
    ]
    assert Product.objects.get(pk=product.pk).stock == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_racing_stock_forms_with_one_key_count_once(posdaya, pengelola):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", stock=2)
    data = {"quantity": "3", "reason": "Produksi baru", "key": str(uuid.uuid4())}
    clients = [client_for(pengelola) for _ in range(THREADS)]
    lock = threading.Lock()

    def post():
        with lock:
            client = clients.pop()
        response = client.post(url(product), data)
        return response.status_code, response["Location"]

    answers, errors = race(post, threads=THREADS)
    assert errors == []
    assert answers == [(302, url(product))] * THREADS
    assert state(product) == EXPECTED
    total = StockMovement.objects.filter(product=product).aggregate(s=Sum("quantity"))
    assert total["s"] == 5
