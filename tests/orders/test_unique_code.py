"""Kode unik: 1–999 on open transfer orders, shown, the induk's, never a POSDAYA's."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import Order, SettlementEntry
from orders.services import advance_suborder, approve_payment, submit_payment_proof
from orders.services import unique_code as unique_code_module
from orders.services.settlement import balance_of

from ..conftest import client_for
from .conftest import make_order
from .qris_data import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes_on(settings):
    settings.PASAR_TRANSFER_UNIQUE_CODE = True


def proof_file():
    from django.core.files.base import ContentFile

    return ContentFile(png_bytes(), name="bukti.webp")


def test_off_by_default(order):
    assert (order.unique_code, order.total) == (0, 65000)


def test_a_transfer_order_gets_a_code_added_to_its_total(
    codes_on, product, other_product, client
):
    order = make_order({product: 2, other_product: 1})
    assert 1 <= order.unique_code <= 999
    assert (order.items_total, order.delivery_total) == (65000, 0)
    assert order.total == 65000 + order.unique_code
    assert [s.total for s in order.suborders.order_by("pk")] == [50000, 15000]
    response = client.get(f"/pesanan/{order.code}/?t={order.secret}")
    assert response.context["amount_due"] == order.total
    page = response.content.decode()
    digits = f"{order.unique_code:03d}"
    assert (
        f"Tiga angka terakhir ({order.unique_code}) adalah kode unik pesanan Anda"
    ) in page
    assert f"Rp\xa065.{digits}" in page
    invoice = client.get(f"/pesanan/{order.code}/invoice/?t={order.secret}")
    assert f"Kode unik: Rp\xa0{order.unique_code}" in invoice.content.decode()


@pytest.mark.parametrize("payment", ["bayar_di_tempat", "qris"])
def test_other_methods_get_no_code(codes_on, product, koordinator, payment):
    from orders.services.induk_qris import save_induk_qris

    from .qris_data import INDUK

    save_induk_qris(payload=INDUK, by=koordinator)
    order = make_order({product: 1}, payment=payment)
    assert (order.unique_code, order.total) == (0, 25000)


def test_a_code_is_not_drawn_twice_while_an_order_is_open(
    codes_on, product, monkeypatch, koordinator
):
    monkeypatch.setattr(unique_code_module, "CODES", range(1, 3))
    first = make_order({product: 1})
    second = make_order({product: 1})
    assert {first.unique_code, second.unique_code} == {1, 2}
    # All taken: the order is placed without a code rather than refused.
    third = make_order({product: 1})
    assert (third.unique_code, third.total) == (0, 25000)
    # Paid orders give their code back.
    proof = submit_payment_proof(order=first, file=proof_file(), kind="image")
    approve_payment(proof_id=proof.pk, by=koordinator)
    assert make_order({product: 1}).unique_code == first.unique_code


def test_the_database_refuses_a_second_open_order_with_the_same_code(codes_on, product):
    order = make_order({product: 1})
    other = make_order({product: 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=other.pk).update(
            unique_code=order.unique_code,
            total=other.items_total + order.unique_code,
        )


def test_the_code_goes_to_the_induk_not_to_the_posdaya(
    codes_on, product, posdaya, pengelola, koordinator
):
    order = make_order({product: 2})
    code = order.unique_code
    proof = submit_payment_proof(order=order, file=proof_file(), kind="image")
    approve_payment(proof_id=proof.pk, by=koordinator)
    suborder = order.suborders.get()
    for step in ("diproses", "siap_diambil", "selesai"):
        advance_suborder(suborder=suborder, to_status=step, by=pengelola)
    credit = SettlementEntry.objects.get()
    assert (credit.goods_total, credit.amount) == (50000, 50000)
    assert balance_of(posdaya) == 50000
    page = client_for(koordinator).get("/dasbor/induk/setelmen/")
    assert page.context["unique_codes"] == {"orders": 1, "amount": code}
    assert (
        f"Kode unik transfer diterima induk: Rp\xa0{code} dari 1 pesanan"
        in page.content.decode()
    )
    # The induk report shows it beside the POSDAYA figures, never in them.
    report = client_for(koordinator).get("/dasbor/induk/")
    assert report.context["unique_codes"] == {"orders": 1, "amount": code}
    assert report.context["income"].product == 50000
    assert f'data-unique-codes="{code}"' in report.content.decode()
    today = timezone.localdate().isoformat()
    chosen = client_for(koordinator).get(
        "/dasbor/induk/", {"dari": today, "sampai": today, "posdaya": posdaya.slug}
    )
    assert chosen.context["filters"]["posdaya"] == posdaya
    assert chosen.context["unique_codes"] is None


def test_a_cancelled_order_owes_no_code(codes_on, product, pengelola, client):
    from orders.services import amount_due, cancel_suborder

    order = make_order({product: 1})
    assert amount_due(order) == 25000 + order.unique_code
    cancel_suborder(suborder=order.suborders.get(), by=pengelola, reason="Habis")
    order.refresh_from_db()
    assert (order.status, amount_due(order)) == ("dibatalkan", 0)
