"""Permission matrix on every bank sampah URL; denied POSTs change nothing."""

import pytest

from banksampah.models import (
    Deposit,
    Member,
    PengepulSale,
    ProductionUse,
    SavingsEntry,
    WasteCategory,
    WastePrice,
    WasteStockMovement,
    Withdrawal,
)
from banksampah.services import record_withdrawal
from tests.conftest import client_for, status_matrix

from .conftest import deposit

pytestmark = pytest.mark.django_db

BRANCH = {
    "anonymous": "login",
    "shopper": 404,
    "other_staff": 404,
    "own_staff": 200,
    "koordinator": 200,
}
INDUK = {**BRANCH, "own_staff": 404}


@pytest.fixture
def documents(member, pet, posdaya):
    dep = deposit(member, (pet, "10"))
    wd = record_withdrawal(member=member, amount=1000, by=None)
    from banksampah.services import SaleLine, record_sale

    sale = record_sale(
        posdaya=posdaya, buyer_name="Pak Darto", lines=[SaleLine(pet, 1)], by=None
    )
    return {
        "member": member.pk,
        "deposit": dep.pk,
        "withdrawal": wd.pk,
        "sale": sale.pk,
    }


def branch_urls(d):
    base = "/dasbor/bahagia/bank-sampah/"
    return [
        base,
        base + "nasabah/",
        base + "nasabah/?q=siti",
        base + "nasabah/baru/",
        base + f"nasabah/{d['member']}/",
        base + f"nasabah/{d['member']}/ubah/",
        base + f"nasabah/{d['member']}/cetak/",
        base + f"nasabah/{d['member']}/penarikan/baru/",
        base + "setoran/baru/",
        base + f"setoran/baru/?member={d['member']}",
        base + f"setoran/{d['deposit']}/",
        base + f"setoran/{d['deposit']}/batal/",
        base + f"penarikan/{d['withdrawal']}/",
        base + f"penarikan/{d['withdrawal']}/batal/",
        base + "stok/",
        base + "penjualan/baru/",
        base + "stok/produksi/",
        base + "stok/penyesuaian/",
        base + f"penjualan/{d['sale']}/",
        base + "laporan/",
        base + "laporan/csv/",
        base + "laporan/xlsx/",
    ]


def test_every_branch_page_matrix(actors, documents):
    for url in branch_urls(documents):
        assert status_matrix(actors, url) == BRANCH, url


def test_petugas_of_own_posdaya_passes_and_of_another_gets_404(
    petugas, other_petugas, documents
):
    own, other = client_for(petugas), client_for(other_petugas)
    for url in branch_urls(documents):
        assert own.get(url).status_code == 200, url
        assert other.get(url).status_code == 404, url


def test_induk_pages_are_koordinator_only(actors, pet):
    for url in (
        "/dasbor/induk/harga-sampah/",
        "/dasbor/induk/jenis-sampah/baru/",
        f"/dasbor/induk/jenis-sampah/{pet.pk}/ubah/",
    ):
        assert status_matrix(actors, url) == INDUK, url


def test_other_posdaya_objects_are_404_through_own_branch_url(
    actors, other_member, pet
):
    dep = deposit(other_member, (pet, "1"))
    base = "/dasbor/bahagia/bank-sampah/"
    for url in (
        base + f"nasabah/{other_member.pk}/",
        base + f"nasabah/{other_member.pk}/penarikan/baru/",
        base + f"setoran/baru/?member={other_member.pk}",
        base + f"setoran/{dep.pk}/",
        base + f"setoran/{dep.pk}/batal/",
    ):
        assert actors.own_staff.get(url).status_code == 404, url
        assert actors.koordinator.get(url).status_code == 404, url


def snapshot():
    models = (
        Member,
        Deposit,
        SavingsEntry,
        Withdrawal,
        WasteStockMovement,
        PengepulSale,
        ProductionUse,
        WastePrice,
        WasteCategory,
    )
    return (
        {m.__name__: m.objects.count() for m in models},
        list(Member.objects.order_by("pk").values_list("name", "balance", "is_active")),
        list(WastePrice.objects.order_by("pk").values_list("buy_price", flat=True)),
    )


def denied_posts(d, pet):
    base = "/dasbor/bahagia/bank-sampah/"
    lines = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": str(pet.pk),
        "lines-0-weight": "2",
    }
    return [
        (
            base + "nasabah/baru/",
            {"name": "Ibu Baru", "key": "1b1f1c3e-9a43-4d1e-8a36-1f2d9f5b0c11"},
        ),
        (base + f"nasabah/{d['member']}/ubah/", {"name": "Diubah", "is_active": "on"}),
        (
            base + "setoran/baru/",
            {
                "member": d["member"],
                "key": "7b1f1c3e-9a43-4d1e-8a36-1f2d9f5b0c11",
                "action": "confirm",
                **lines,
            },
        ),
        (
            base + f"nasabah/{d['member']}/penarikan/baru/",
            {
                "amount": "1000",
                "method": "tunai",
                "key": "8b1f1c3e-9a43-4d1e-8a36-1f2d9f5b0c11",
            },
        ),
        (base + f"setoran/{d['deposit']}/batal/", {"reason": "Salah"}),
        (base + f"penarikan/{d['withdrawal']}/batal/", {"reason": "Salah"}),
        (
            base + "penjualan/baru/",
            {
                "buyer_name": "Pak X",
                **lines,
                "lines-0-weight": "0.5",
                "key": "2b1f1c3e-9a43-4d1e-8a36-1f2d9f5b0c11",
            },
        ),
        (
            base + "stok/produksi/",
            {
                "category": pet.pk,
                "weight": "0.5",
                "key": "3b1f1c3e-9a43-4d1e-8a36-1f2d9f5b0c11",
            },
        ),
        (
            base + "stok/penyesuaian/",
            {
                "category": pet.pk,
                "weight": "0.5",
                "reason": "Lupa dicatat",
                "key": "4b1f1c3e-9a43-4d1e-8a36-1f2d9f5b0c11",
            },
        ),
        (
            "/dasbor/induk/harga-sampah/",
            {
                "category": pet.pk,
                "valid_from": "2030-01-01",
                "buy_price": "9999",
                "sell_price": "9999",
            },
        ),
        (
            "/dasbor/induk/jenis-sampah/baru/",
            {
                "name": "Baru",
                "slug": "baru",
                "group": "plastik",
                "unit": "kg",
                "order": 1,
            },
        ),
    ]


DENIED = {"anonymous": "login", "shopper": 404, "other_staff": 404}


def test_denied_posts_change_nothing(actors, documents, pet):
    for url, data in denied_posts(documents, pet):
        before = snapshot()
        for name, expected in DENIED.items():
            response = getattr(actors, name).post(url, data)
            if name == "anonymous":
                assert response.status_code == 302, (url, name)
                assert response["Location"].startswith("/akun/login/"), (url, name)
            else:
                assert response.status_code == expected, (url, name)
            assert snapshot() == before, (url, name)


def test_own_staff_posts_succeed(actors, documents, pet):
    for url, data in denied_posts(documents, pet):
        client = actors.koordinator if "/induk/" in url else actors.own_staff
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content[:3000])


def test_passbook_for_anonymous_non_member_and_member(client, shopper, member, pet):
    response = client.get("/tabungan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")
    response = client_for(shopper).get("/tabungan/")
    assert response.status_code == 200
    assert "belum terhubung" in response.content.decode()
    deposit(member, (pet, "2"))
    Member.objects.filter(pk=member.pk).update(user=shopper)
    response = client_for(shopper).get("/tabungan/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "BHG-07-0001" in body
    assert "Rp\xa06.000" in body
    response = client_for(shopper).get("/tabungan/cetak/")
    assert response.status_code == 200
    assert "Rp\xa06.000" in response.content.decode()


def test_waste_price_date_input_renders_iso_and_accepts_day_first(koordinator, pet):
    """The start date shows 2026-12-01 (browsers drop 01-12-2026); both are read."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    client = client_for(koordinator)
    noon = timezone.make_aware(dt.datetime(2026, 12, 1, 12))
    with mock.patch("django.utils.timezone.now", return_value=noon):
        html = client.get("/dasbor/induk/harga-sampah/").content.decode()
    assert 'type="date" name="valid_from" value="2026-12-01"' in html
    response = client.post(
        "/dasbor/induk/harga-sampah/",
        {
            "category": pet.pk,
            "valid_from": "01-12-2026",
            "buy_price": "3500",
            "sell_price": "4500",
        },
    )
    assert response.status_code == 302
    price = WastePrice.objects.get(category=pet, valid_from=dt.date(2026, 12, 1))
    assert (price.buy_price, price.sell_price) == (3500, 4500)
