"""A settlement payout sent twice, or by two racing requests, pays out once.

The payout form carries a one-time key issued with the form; the payout entry
stores it (unique), so the second POST answers like the first and writes
nothing. Sequential on every database; threads on PostgreSQL.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.db.models import Sum

from orders.models import SettlementEntry
from orders.services.settlement import balance_of
from pasar.models import AuditLog
from tests.conftest import client_for, race

from .conftest import make_order
from .test_settlement import complete

URL = "/dasbor/induk/setelmen/"
THREADS = 4


def owed_posdaya(product, pengelola):
    order = make_order({product: 2}, payment="bayar_di_tempat")
    complete(order.suborders.get(), pengelola)
    return product.posdaya


def payout_data(posdaya):
    return {
        "posdaya": posdaya.pk,
        "amount": "30000",
        "paid_on": "2026-11-27",
        "method": "transfer",
        "reference": "TRF-0042",
        "key": str(uuid.uuid4()),
    }


def payouts(posdaya):
    return list(
        SettlementEntry.objects.filter(posdaya=posdaya, kind="payout").values_list(
            "amount", "reference"
        )
    )


@pytest.mark.django_db
def test_the_same_payout_form_sent_twice_pays_once(product, pengelola, koordinator):
    posdaya = owed_posdaya(product, pengelola)
    owed = balance_of(posdaya)
    assert owed >= 30000
    client = client_for(koordinator)
    data = payout_data(posdaya)
    first = client.post(URL, data)
    assert first.status_code == 302
    second = client.post(URL, data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"] == URL
    assert payouts(posdaya) == [(-30000, "TRF-0042")]
    assert balance_of(posdaya) == owed - 30000
    assert AuditLog.objects.filter(action="payout").count() == 1
    page = client.get(URL)
    assert [str(m) for m in page.context["messages"]] == [
        "Pembayaran Rp\xa030.000 ke POSDAYA Bahagia dicatat."
    ] * 2


@pytest.mark.django_db
def test_the_payout_form_refuses_a_missing_key(product, pengelola, koordinator):
    posdaya = owed_posdaya(product, pengelola)
    data = {**payout_data(posdaya), "key": ""}
    response = client_for(koordinator).post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Formulir kedaluwarsa. Periksa isinya lalu kirim lagi."
    ]
    assert payouts(posdaya) == []


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_racing_payout_forms_with_one_key_pay_once(product, pengelola, koordinator):
    posdaya = owed_posdaya(product, pengelola)
    owed = balance_of(posdaya)
    data = payout_data(posdaya)
    clients = [client_for(koordinator) for _ in range(THREADS)]
    lock = threading.Lock()

    def post():
        with lock:
            client = clients.pop()
        response = client.post(URL, data)
        return response.status_code, response["Location"]

    answers, errors = race(post, threads=THREADS)
    assert errors == []
    assert answers == [(302, URL)] * THREADS
    assert payouts(posdaya) == [(-30000, "TRF-0042")]
    assert balance_of(posdaya) == owed - 30000
    total = SettlementEntry.objects.filter(posdaya=posdaya, kind="payout").aggregate(
        s=Sum("amount")
    )
    assert total["s"] == -30000
    assert AuditLog.objects.filter(action="payout").count() == 1
