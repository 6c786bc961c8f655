"""PostgreSQL: checkouts racing for one kode unik each get a different one."""

import secrets
import threading

import pytest
from django.db import connection

from orders.models import Order
from orders.services import place_order
from orders.services import unique_code as unique_code_module

from ..factories import ProductFactory
from .conftest import PHONE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL unique index waits"
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 6


def test_racing_checkouts_draw_distinct_codes(settings, posdaya, monkeypatch):
    settings.PASAR_TRANSFER_UNIQUE_CODE = True
    # Every drawer picks the lowest free code: all racers collide on purpose,
    # and the unique index must send each loser to draw again.
    monkeypatch.setattr(unique_code_module, "pick", min)
    product = ProductFactory(posdaya=posdaya, price=10000, stock=THREADS)
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def buy(index):
        try:
            barrier.wait()
            results[index] = place_order(
                quantities={product.pk: 1},
                customer=None,
                name=f"Pembeli {index}",
                phone=PHONE,
                delivery_method="ambil",
                payment_method="transfer",
                checkout_token=secrets.token_urlsafe(24),
            ).order.unique_code
        except Exception as error:  # reported below
            results[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, THREADS + 1))
    totals = sorted(Order.objects.values_list("total", flat=True))
    assert totals == [10000 + code for code in range(1, THREADS + 1)]
