"""A double click or two racing requests write one row: the form's one-time key.

Member registration, pengepul sales, production use and stock adjustments
each carry a hidden key issued with the form (as weighing and withdrawal do);
the second POST with that key answers like the first and writes nothing.
The sequential double POST runs on every database; the race (several
threads posting the same form at the same moment) on PostgreSQL.
"""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from banksampah.models import (
    Member,
    MemberSequence,
    PengepulSale,
    PengepulSaleLine,
    ProductionUse,
    WasteStock,
    WasteStockMovement,
)
from pasar.models import AuditLog
from tests.conftest import client_for, race

from .conftest import deposit

BASE = "/dasbor/bahagia/bank-sampah/"
THREADS = 4


def stock_of(category):
    return WasteStock.objects.get(category=category).weight


def movements_sum(category):
    return WasteStockMovement.objects.filter(category=category).aggregate(
        s=Sum("weight")
    )["s"]


def sale_data(pet, key):
    return {
        "buyer_name": "Pak Darto",
        "note": "",
        "key": key,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": str(pet.pk),
        "lines-0-weight": "2",
    }


def forms(pet):
    """(path, data) of each form, all with the key of one shown form."""
    key = str(uuid.uuid4())
    return {
        "member": ("nasabah/baru/", {"name": "Ibu Ratna", "key": key}),
        "sale": ("penjualan/baru/", sale_data(pet, key)),
        "production": (
            "stok/produksi/",
            {"category": pet.pk, "weight": "1.5", "note": "", "key": key},
        ),
        "adjustment": (
            "stok/penyesuaian/",
            {"category": pet.pk, "weight": "-1", "reason": "Basah", "key": key},
        ),
    }


def written(pet):
    """What the four forms write, to compare after one and after two POSTs."""
    return {
        "members": list(Member.objects.values_list("account_number", "name")),
        "sequence": MemberSequence.objects.get().last_number,
        "sales": list(PengepulSale.objects.values_list("buyer_name", "total_amount")),
        "sale_lines": list(
            PengepulSaleLine.objects.values_list("weight", "unit_price", "amount")
        ),
        "uses": list(ProductionUse.objects.values_list("weight", flat=True)),
        "movements": list(
            WasteStockMovement.objects.order_by("pk").values_list(
                "kind", "weight", "weight_after"
            )
        ),
        "stock": stock_of(pet),
        "audit": AuditLog.objects.filter(action="stock_adjustment").count(),
    }


EXPECTED_STOCK = {  # of 10 kg weighed in
    "member": Decimal("10.000"),
    "sale": Decimal("8.000"),
    "production": Decimal("8.500"),
    "adjustment": Decimal("9.000"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED_STOCK))
def test_the_same_form_sent_twice_writes_once(petugas, member, pet, name):
    deposit(member, (pet, "10"))  # 10 kg PET in stock, Rp 30.000
    client = client_for(petugas)
    path, data = forms(pet)[name]
    first = client.post(BASE + path, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    after_one = written(pet)
    second = client.post(BASE + path, data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert written(pet) == after_one
    assert stock_of(pet) == EXPECTED_STOCK[name]
    assert movements_sum(pet) == EXPECTED_STOCK[name]
    if name == "member":
        assert after_one["members"] == [
            ("BHG-07-0001", "Ibu Siti Aminah"),
            ("BHG-07-0002", "Ibu Ratna"),
        ]
        assert after_one["sequence"] == 2
    if name == "sale":
        assert after_one["sales"] == [("Pak Darto", 8000)]
        assert after_one["sale_lines"] == [(Decimal("2.000"), 4000, 8000)]
    if name == "production":
        assert after_one["uses"] == [Decimal("1.500")]
    if name == "adjustment":
        assert after_one["audit"] == 1


@pytest.mark.django_db
def test_a_form_without_its_key_is_shown_again_with_a_fresh_one(petugas, pet):
    client = client_for(petugas)
    for path, data in forms(pet).values():
        data = {**data, "key": "bukan-kunci"}
        response = client.post(BASE + path, data)
        assert response.status_code == 200, path
        form = response.context["form"]
        assert form.non_field_errors() == [
            "Formulir kedaluwarsa. Periksa isinya lalu kirim lagi."
        ], path
        fresh = form["key"].value()
        assert str(uuid.UUID(str(fresh))) == str(fresh), path
    assert Member.objects.count() == 0
    assert PengepulSale.objects.count() == 0
    assert WasteStockMovement.objects.count() == 0


@pytest.mark.django_db
def test_each_shown_form_has_its_own_key(petugas, pet):
    client = client_for(petugas)
    for path in ("nasabah/baru/", "penjualan/baru/", "stok/produksi/"):
        keys = {str(client.get(BASE + path).context["form"]["key"].value())}
        keys.add(str(client.get(BASE + path).context["form"]["key"].value()))
        assert len(keys) == 2, path
        assert 'name="key"' in client.get(BASE + path).content.decode(), path


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(EXPECTED_STOCK))
def test_racing_twins_write_once(petugas, member, pet, name):
    deposit(member, (pet, "10"))
    path, data = forms(pet)[name]
    clients = [client_for(petugas) for _ in range(THREADS)]
    lock = threading.Lock()

    def post():
        with lock:
            client = clients.pop()
        response = client.post(BASE + path, data)
        return response.status_code, response["Location"]

    answers, errors = race(post, threads=THREADS)
    assert errors == []
    assert len(set(answers)) == 1, answers
    assert answers[0][0] == 302
    assert stock_of(pet) == EXPECTED_STOCK[name]
    assert movements_sum(pet) == EXPECTED_STOCK[name]
    state = written(pet)
    expected_rows = {
        "member": ("members", 2),
        "sale": ("sales", 1),
        "production": ("uses", 1),
        "adjustment": ("audit", 1),
    }[name]
    key, count = expected_rows
    assert (len(state[key]) if key != "audit" else state[key]) == count
    if name == "member":
        assert state["sequence"] == 2
    if name == "sale":
        assert state["sales"] == [("Pak Darto", 8000)]
        assert state["sale_lines"] == [(Decimal("2.000"), 4000, 8000)]
    # One deposit movement in, at most one out.
    assert len(state["movements"]) == (1 if name == "member" else 2)
