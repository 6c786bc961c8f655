"""Settlement: credits on completion, reversals on refunds, payouts, balances."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from orders.models import SettlementEntry, SubOrder
from orders.services import advance_suborder, mark_suborder_paid, refund_suborder
from orders.services.settlement import (
    SettlementError,
    balance_of,
    induk_fee,
    record_payout,
)
from pasar.models import AppendOnlyError, AuditLog

from ..conftest import client_for, status_matrix
from .conftest import DENIED_INDUK, denied_as, make_order

pytestmark = pytest.mark.django_db


def complete(suborder, by):
    """Walk a cash-on-delivery sub-order to selesai through the services."""
    mark_suborder_paid(suborder=suborder, by=by)
    advance_suborder(suborder=suborder, to_status="diproses", by=by)
    to = "dikirim" if suborder.order.delivery_method != "ambil" else "siap_diambil"
    advance_suborder(suborder=suborder, to_status=to, by=by)
    advance_suborder(suborder=suborder, to_status="selesai", by=by)
    suborder.refresh_from_db()
    return suborder


def test_induk_fee_rounds_half_up_once():
    assert induk_fee(25000, Decimal("0")) == 0
    assert induk_fee(25000, Decimal("2.5")) == 625
    assert induk_fee(10010, Decimal("5")) == 501  # 500.5 → 501


def test_completed_paid_suborder_credits_goods_minus_fee_plus_delivery(
    cod_order, posdaya, other_posdaya, pengelola, settings
):
    settings.PASAR_INDUK_FEE_PERCENT = 10
    bahagia = cod_order.suborders.get(posdaya=posdaya)
    assert (bahagia.items_total, bahagia.delivery_fee) == (25000, 10000)
    complete(bahagia, pengelola)
    entry = SettlementEntry.objects.get()
    assert (entry.kind, entry.amount, entry.fee_amount, entry.fee_percent) == (
        "credit",
        25000 - 2500 + 10000,
        2500,
        Decimal("10.00"),
    )
    assert balance_of(posdaya) == 32500
    assert balance_of(other_posdaya) == 0
    settings.PASAR_INDUK_FEE_PERCENT = 0  # a later change rewrites nothing
    entry.refresh_from_db()
    assert entry.amount == 32500


def test_no_credit_before_completion(cod_order, posdaya, pengelola):
    bahagia = cod_order.suborders.get(posdaya=posdaya)
    mark_suborder_paid(suborder=bahagia, by=pengelola)
    advance_suborder(suborder=bahagia, to_status="diproses", by=pengelola)
    assert SettlementEntry.objects.count() == 0


def test_refund_reverses_the_credit_once_and_returns_stock(
    cod_order, posdaya, product, pengelola, koordinator
):
    bahagia = complete(cod_order.suborders.get(posdaya=posdaya), pengelola)
    stock = type(product).objects.get(pk=product.pk).stock
    refund_suborder(suborder=bahagia, by=koordinator, reason="Jahitan lepas")
    bahagia.refresh_from_db()
    assert bahagia.status == SubOrder.Status.CANCELLED
    assert type(product).objects.get(pk=product.pk).stock == stock + 1
    credit, reversal = SettlementEntry.objects.order_by("id")
    assert (reversal.kind, reversal.amount, reversal.reversal_of) == (
        "reversal",
        -credit.amount,
        credit,
    )
    assert balance_of(posdaya) == 0
    with pytest.raises(Exception, match="selesai"):
        refund_suborder(suborder=bahagia, by=koordinator, reason="lagi")
    assert SettlementEntry.objects.count() == 2
    assert AuditLog.objects.filter(action="ledger_correction").count() == 1


def test_payout_never_exceeds_balance_and_is_audited(
    cod_order, posdaya, pengelola, koordinator
):
    complete(cod_order.suborders.get(posdaya=posdaya), pengelola)
    with pytest.raises(SettlementError, match="melebihi saldo"):
        record_payout(
            posdaya=posdaya,
            amount=35001,
            paid_on=date(2026, 11, 27),
            method="transfer",
            reference="TRF-1",
            by=koordinator,
        )
    with pytest.raises(SettlementError):
        record_payout(
            posdaya=posdaya,
            amount=0,
            paid_on=date(2026, 11, 27),
            method="tunai",
            reference="",
            by=koordinator,
        )
    record_payout(
        posdaya=posdaya,
        amount=20000,
        paid_on=date(2026, 11, 27),
        method="transfer",
        reference="TRF-1",
        by=koordinator,
    )
    assert balance_of(posdaya) == 15000
    audit = AuditLog.objects.get(action="payout")
    assert (audit.before, audit.after) == (
        {"balance": 35000},
        {"balance": 15000, "payout": 20000},
    )


def test_entries_are_append_only(cod_order, posdaya, pengelola):
    complete(cod_order.suborders.get(posdaya=posdaya), pengelola)
    entry = SettlementEntry.objects.get()
    entry.amount = 1
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        SettlementEntry.objects.all().delete()


def test_balances_shown_equal_credits_minus_payouts(
    posdaya,
    other_posdaya,
    product,
    other_product,
    pengelola,
    other_pengelola,
    koordinator,
    zone,
):
    orders = [
        make_order({product: 1, other_product: 1}, payment="bayar_di_tempat")
        for _ in range(3)
    ]
    for order in orders:
        complete(order.suborders.get(posdaya=posdaya), pengelola)
        complete(order.suborders.get(posdaya=other_posdaya), other_pengelola)
    refund_suborder(
        suborder=orders[0].suborders.get(posdaya=other_posdaya),
        by=koordinator,
        reason="Retur",
    )
    client = client_for(koordinator)
    response = client.post(
        "/dasbor/induk/setelmen/",
        {
            "posdaya": posdaya.pk,
            "amount": "50000",
            "paid_on": "2026-11-27",
            "method": "tunai",
            "reference": "KW-07",
            "key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    page = client.get("/dasbor/induk/setelmen/")
    rows = {row["posdaya"]: row for row in page.context["rows"]}
    assert rows[posdaya]["credits"] == 3 * 25000
    assert rows[posdaya]["payouts"] == 50000
    assert rows[posdaya]["balance"] == 25000
    assert rows[other_posdaya]["credits"] == 3 * 15000
    assert rows[other_posdaya]["reversals"] == 15000
    assert rows[other_posdaya]["balance"] == 30000
    for branch, row in rows.items():
        credits = sum(
            e.amount
            for e in SettlementEntry.objects.filter(posdaya=branch, kind="credit")
        )
        debits = sum(
            -e.amount
            for e in SettlementEntry.objects.filter(posdaya=branch).exclude(
                kind="credit"
            )
        )
        assert row["balance"] == credits - debits == balance_of(branch)
    html = page.content.decode()
    assert f'data-balance="{posdaya.slug}">Rp\xa025.000<' in html
    assert 'data-balance="total">Rp\xa055.000<' in html
    statement = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/setelmen/")
    assert statement.context["balance"] == 25000
    assert len(statement.context["entries"]) == 4


def test_payout_form_bad_input(koordinator, posdaya):
    client = client_for(koordinator)
    cases = [
        (
            {
                "posdaya": posdaya.pk,
                "amount": "100",
                "paid_on": "2026-11-27",
                "method": "tunai",
                "key": str(uuid.uuid4()),
            },
            "melebihi saldo",
        ),
        (
            {
                "posdaya": posdaya.pk,
                "amount": "-5",
                "paid_on": "2026-11-27",
                "method": "tunai",
            },
            "lebih besar dari atau sama dengan 1",
        ),
        (
            {
                "posdaya": posdaya.pk,
                "amount": "abc",
                "paid_on": "2026-11-27",
                "method": "tunai",
            },
            "Masukkan keseluruhan angka bilangan",
        ),
        (
            {
                "posdaya": posdaya.pk,
                "amount": "10",
                "paid_on": "31-31-2026",
                "method": "tunai",
            },
            "Masukkan tanggal yang valid",
        ),
        (
            {"posdaya": "0", "amount": "10", "paid_on": "2026-11-27", "method": "cek"},
            "Masukkan pilihan yang valid",
        ),
    ]
    for data, message in cases:
        response = client.post("/dasbor/induk/setelmen/", data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert SettlementEntry.objects.count() == 0


def test_settlement_matrix(actors, posdaya, pengelola, koordinator):
    assert status_matrix(actors, "/dasbor/induk/setelmen/") == {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
        "own_staff": 404,
        "koordinator": 200,
    }
    assert status_matrix(actors, f"/dasbor/{posdaya.slug}/setelmen/") == {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
        "own_staff": 200,
        "koordinator": 200,
    }


def test_denied_payouts_and_refunds_change_nothing(
    actors, cod_order, posdaya, pengelola
):
    bahagia = complete(cod_order.suborders.get(posdaya=posdaya), pengelola)
    data = {
        "posdaya": posdaya.pk,
        "amount": "1000",
        "paid_on": "2026-11-27",
        "method": "tunai",
    }
    refund_url = f"/dasbor/{posdaya.slug}/pesanan/{bahagia.pk}/retur/"
    for name, answer in DENIED_INDUK.items():
        client = getattr(actors, name)
        assert denied_as(client.post("/dasbor/induk/setelmen/", data)) == answer
        assert denied_as(client.post(refund_url, {"reason": "x"})) == answer, name
    assert SettlementEntry.objects.count() == 1
    bahagia.refresh_from_db()
    assert bahagia.status == "selesai"
    response = actors.koordinator.post(refund_url, {"reason": "Rusak"})
    assert response.status_code == 302
    assert SettlementEntry.objects.count() == 2


def test_payout_date_input_renders_iso_and_accepts_day_first(
    cod_order, posdaya, pengelola, koordinator
):
    """The date input shows 2026-12-01 (browsers drop 01-12-2026); both are read."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    complete(cod_order.suborders.get(posdaya=posdaya), pengelola)
    client = client_for(koordinator)
    noon = timezone.make_aware(dt.datetime(2026, 12, 1, 12))
    with mock.patch("django.utils.timezone.now", return_value=noon):
        html = client.get("/dasbor/induk/setelmen/").content.decode()
    assert 'type="date" name="paid_on" value="2026-12-01"' in html
    data = {
        "posdaya": posdaya.pk,
        "paid_on": "01-12-2026",
        "method": "tunai",
        "key": str(uuid.uuid4()),
    }
    refused = client.post("/dasbor/induk/setelmen/", {**data, "amount": "0"})
    assert refused.status_code == 200
    assert 'type="date" name="paid_on" value="2026-12-01"' in refused.content.decode()
    response = client.post("/dasbor/induk/setelmen/", {**data, "amount": "1000"})
    assert response.status_code == 302
    payout = SettlementEntry.objects.get(kind="payout")
    assert (payout.paid_on, payout.amount) == (date(2026, 12, 1), -1000)
