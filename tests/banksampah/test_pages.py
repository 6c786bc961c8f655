"""Every bank sampah form page: where it goes, what it says, what it refuses.

The pages are form → service → message → redirect views; these pin the exact
redirect and message of each success, and show that a refused service call
lands on the page with its message and changes nothing.
"""

import re
import uuid

import pytest

from banksampah.models import (
    Member,
    PengepulSale,
    ProductionUse,
    SavingsEntry,
    WasteCategory,
    WastePrice,
    WasteStockMovement,
)
from banksampah.services import record_withdrawal
from tests.conftest import client_for

from .conftest import deposit

pytestmark = pytest.mark.django_db

BASE = "/dasbor/bahagia/bank-sampah/"


def messages_of(client, response):
    """The messages the visitor sees next: on the page, or where it redirects."""
    if response.status_code == 302:
        response = client.get(response["Location"])
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def rows():
    return [
        m.objects.count()
        for m in (
            Member,
            SavingsEntry,
            WasteStockMovement,
            PengepulSale,
            ProductionUse,
            WastePrice,
            WasteCategory,
        )
    ]


def test_each_branch_form_redirects_with_its_message(petugas, member, pet):
    dep = deposit(member, (pet, "10"))  # Rp 30.000, 10 kg
    client = client_for(petugas)

    response = client.post(
        BASE + "nasabah/baru/", {"name": "Ibu Baru", "key": str(uuid.uuid4())}
    )
    new = Member.objects.get(name="Ibu Baru")
    # Straight to the claim-code sheet, to print or copy for the member.
    assert response["Location"] == BASE + f"nasabah/{new.pk}/kode-klaim/"
    sheet = client.get(response["Location"])
    assert [(m.level_tag, str(m)) for m in sheet.context["messages"]] == [
        ("success", "Nasabah Ibu Baru terdaftar dengan nomor BHG-07-0002.")
    ]
    assert re.search(
        r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", sheet.content.decode()
    ), "the code is on the sheet"

    response = client.post(
        BASE + f"nasabah/{new.pk}/ubah/", {"name": "Ibu Baru Sekali", "is_active": "on"}
    )
    assert response["Location"] == BASE + f"nasabah/{new.pk}/"
    assert messages_of(client, response) == [("success", "Data nasabah disimpan.")]

    response = client.post(
        BASE + f"nasabah/{member.pk}/penarikan/baru/",
        {"amount": "1000", "method": "tunai", "key": str(uuid.uuid4())},
    )
    withdrawal = member.withdrawals.get()
    assert response["Location"] == BASE + f"penarikan/{withdrawal.pk}/"
    assert messages_of(client, response) == []

    response = client.post(BASE + f"penarikan/{withdrawal.pk}/batal/", {"reason": "X"})
    assert response["Location"] == BASE + f"nasabah/{member.pk}/"
    assert messages_of(client, response) == [("success", "Koreksi dicatat.")]

    response = client.post(
        BASE + "stok/produksi/",
        {"category": pet.pk, "weight": "1", "note": "", "key": str(uuid.uuid4())},
    )
    assert response["Location"] == BASE + "stok/"
    assert messages_of(client, response) == [
        ("success", "Pemakaian untuk produksi dicatat.")
    ]

    response = client.post(
        BASE + "stok/penyesuaian/",
        {
            "category": pet.pk,
            "weight": "-1",
            "reason": "Basah",
            "key": str(uuid.uuid4()),
        },
    )
    assert response["Location"] == BASE + "stok/"
    assert messages_of(client, response) == [("success", "Penyesuaian stok dicatat.")]

    response = client.post(
        BASE + "penjualan/baru/",
        {
            "buyer_name": "Pak Darto",
            "note": "",
            "key": str(uuid.uuid4()),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": str(pet.pk),
            "lines-0-weight": "2",
        },
    )
    sale = PengepulSale.objects.get()
    assert response["Location"] == BASE + f"penjualan/{sale.pk}/"
    assert messages_of(client, response) == []

    response = client.post(BASE + f"setoran/{dep.pk}/batal/", {"reason": "Salah"})
    # 6 kg left in stock of the 10 weighed: the reversal is refused, on the page.
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "Stok Botol plastik PET tidak cukup: tersedia 6,000\xa0kg, "
        "diminta 10,000\xa0kg."
    ) in body
    assert messages_of(client, response) == []


def test_refusals_show_on_the_page_and_change_nothing(petugas, member, pet):
    deposit(member, (pet, "1"))  # Rp 3.000, 1 kg
    wd = record_withdrawal(member=member, amount=1000, by=None)
    client = client_for(petugas)
    client.post(BASE + f"penarikan/{wd.pk}/batal/", {"reason": "Batal"}, follow=True)
    before = rows()
    cases = [
        (
            BASE + f"penarikan/{wd.pk}/batal/",
            {"reason": "Lagi"},
            "Catatan ini sudah dibatalkan.",
        ),
        (
            BASE + "stok/produksi/",
            {"category": pet.pk, "weight": "1.5", "key": str(uuid.uuid4())},
            "Stok Botol plastik PET tidak cukup: tersedia 1,000\xa0kg, "
            "diminta 1,500\xa0kg.",
        ),
        (
            BASE + "stok/penyesuaian/",
            {
                "category": pet.pk,
                "weight": "-2",
                "reason": "Hilang",
                "key": str(uuid.uuid4()),
            },
            "Stok Botol plastik PET tidak cukup: tersedia 1,000\xa0kg, "
            "diminta 2,000\xa0kg.",
        ),
        (
            BASE + "penjualan/baru/",
            {
                "buyer_name": "Pak Darto",
                "key": str(uuid.uuid4()),
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-category": str(pet.pk),
                "lines-0-weight": "3",
            },
            "Stok Botol plastik PET tidak cukup: tersedia 1,000\xa0kg, "
            "diminta 3,000\xa0kg.",
        ),
    ]
    for url, data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert message in response.content.decode(), url
        assert messages_of(client, response) == [], url
        assert rows() == before, url


def test_induk_forms_redirect_to_the_price_list_with_their_message(koordinator, pet):
    client = client_for(koordinator)
    response = client.post(
        "/dasbor/induk/harga-sampah/",
        {
            "category": pet.pk,
            "valid_from": "2030-01-01",
            "buy_price": "3100",
            "sell_price": "4100",
        },
    )
    assert response["Location"] == "/dasbor/induk/harga-sampah/"
    assert messages_of(client, response) == [("success", "Harga disimpan.")]
    category = {"group": "plastik", "unit": "kg", "order": 1, "is_active": "on"}
    response = client.post(
        "/dasbor/induk/jenis-sampah/baru/",
        {"name": "Styrofoam", "slug": "styrofoam", **category},
    )
    assert response["Location"] == "/dasbor/induk/harga-sampah/"
    assert messages_of(client, response) == [("success", "Jenis sampah disimpan.")]
    response = client.post(
        f"/dasbor/induk/jenis-sampah/{pet.pk}/ubah/",
        {"name": "Botol PET", "slug": "plastik-pet", **category},
    )
    assert response["Location"] == "/dasbor/induk/harga-sampah/"
    assert messages_of(client, response) == [("success", "Jenis sampah disimpan.")]
    assert WasteCategory.objects.get(pk=pet.pk).name == "Botol PET"
    response = client.post("/dasbor/induk/jenis-sampah/bawaan/")
    assert response["Location"] == "/dasbor/induk/harga-sampah/"
    assert messages_of(client, response) == [
        ("success", "10 jenis sampah bawaan ditambahkan beserta harganya.")
    ]
    response = client.post("/dasbor/induk/jenis-sampah/bawaan/")
    assert response["Location"] == "/dasbor/induk/harga-sampah/"
    assert messages_of(client, response) == [
        ("info", "Semua jenis sampah bawaan sudah ada.")
    ]


def test_form_pages_refuse_put_as_they_always_did(petugas, koordinator, member):
    before = rows()
    for client, url in [
        (client_for(petugas), BASE + "nasabah/baru/"),
        (client_for(petugas), BASE + f"nasabah/{member.pk}/ubah/"),
        (client_for(petugas), BASE + f"nasabah/{member.pk}/penarikan/baru/"),
        (client_for(petugas), BASE + "setoran/baru/"),
        (client_for(petugas), BASE + "penjualan/baru/"),
        (client_for(petugas), BASE + "stok/produksi/"),
        (client_for(petugas), BASE + "stok/penyesuaian/"),
        (client_for(koordinator), "/dasbor/induk/harga-sampah/"),
        (client_for(koordinator), "/dasbor/induk/jenis-sampah/baru/"),
        (client_for(koordinator), "/dasbor/induk/jenis-sampah/bawaan/"),
    ]:
        assert client.put(url, "name=Ibu+Baru").status_code == 405, url
    assert rows() == before


def test_old_paths_redirect_permanently_keeping_method_and_query(
    actors, petugas, member, pet
):
    old_to_new = [
        (BASE + "timbang/", BASE + "setoran/baru/"),
        (
            BASE + f"timbang/?member={member.pk}",
            BASE + f"setoran/baru/?member={member.pk}",
        ),
        (BASE + "nasabah/tambah/", BASE + "nasabah/baru/"),
        (
            BASE + f"nasabah/{member.pk}/tarik/",
            BASE + f"nasabah/{member.pk}/penarikan/baru/",
        ),
        (BASE + "stok/jual/", BASE + "penjualan/baru/"),
        ("/dasbor/induk/jenis-sampah/tambah/", "/dasbor/induk/jenis-sampah/baru/"),
    ]
    for old, new in old_to_new:
        for name, client in actors.items():
            for method in ("get", "post"):
                response = getattr(client, method)(old)
                assert (response.status_code, response["Location"]) == (308, new), (
                    old,
                    name,
                    method,
                )
    # A weighing form still open on the old address confirms once, at the new one.
    data = {
        "member": member.pk,
        "key": str(uuid.uuid4()),
        "action": "confirm",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": str(pet.pk),
        "lines-0-weight": "2",
    }
    response = client_for(petugas).post(BASE + "timbang/", data, follow=True)
    deposit_ = member.deposits.get()
    assert response.redirect_chain == [
        (BASE + "setoran/baru/", 308),
        (BASE + f"setoran/{deposit_.pk}/", 302),
    ]
    assert deposit_.total_amount == 6000
