"""The deposit screen, withdrawals through the UI, and exact query counts."""

import re
import uuid

import pytest

from banksampah.models import Deposit, Member, SavingsEntry, WasteStockMovement
from tests.conftest import client_for

from .conftest import deposit

pytestmark = pytest.mark.django_db

URL = "/dasbor/bahagia/bank-sampah/setoran/baru/"


def lines(*pairs):
    data = {"lines-TOTAL_FORMS": str(len(pairs)), "lines-INITIAL_FORMS": "0"}
    for i, (category, weight) in enumerate(pairs):
        data[f"lines-{i}-category"] = str(category)
        data[f"lines-{i}-weight"] = weight
    return data


def state():
    return (
        Deposit.objects.count(),
        SavingsEntry.objects.count(),
        WasteStockMovement.objects.count(),
        list(Member.objects.values_list("balance", flat=True)),
    )


def test_search_then_form_with_fresh_key(petugas, member):
    client = client_for(petugas)
    body = client.get(URL + "?q=siti").content.decode()
    # One match: the form opens for her straight away.
    assert "Ibu Siti Aminah" in body
    keys = re.findall(r'name="key" value="([0-9a-f-]{36})"', body)
    assert len(keys) == 1
    again = client.get(URL + f"?member={member.pk}").content.decode()
    assert re.findall(r'name="key" value="([0-9a-f-]{36})"', again) != keys
    assert "js/banksampah.js" in again
    assert "<script>" not in again


def test_preview_shows_amounts_and_changes_nothing(petugas, member, pet, kardus):
    key = str(uuid.uuid4())
    response = client_for(petugas).post(
        URL,
        {
            "member": member.pk,
            "key": key,
            "action": "preview",
            **lines((pet.pk, "2,345"), (kardus.pk, "1.001")),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rp\xa07.035" in body and "Rp\xa01.502" in body and "Rp\xa08.537" in body
    assert f'value="{key}"' in body
    assert state() == (0, 0, 0, [0])


def test_confirm_twice_with_same_key_credits_once(petugas, member, pet):
    client = client_for(petugas)
    data = {
        "member": member.pk,
        "key": str(uuid.uuid4()),
        "action": "confirm",
        **lines((pet.pk, "2")),
    }
    first = client.post(URL, data)
    second = client.post(URL, data)
    deposit_ = Deposit.objects.get()
    receipt = f"/dasbor/bahagia/bank-sampah/setoran/{deposit_.pk}/"
    assert first["Location"] == receipt
    assert second["Location"] == receipt
    assert state() == (1, 1, 1, [6000])
    body = client.get(receipt).content.decode()
    assert "Rp\xa06.000" in body
    assert "https://wa.me/6281311112222?text=" in body
    assert "sekarang%20Rp%C2%A06.000" in body


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("-1", "Berat harus lebih dari 0."),
        ("0", "Berat harus lebih dari 0."),
        ("1000,001", "Berat satu baris paling banyak 1.000,000."),
        ("1,2345", "Berat paling banyak 3 angka di belakang koma."),
        ("dua kilo", "Berat harus berupa angka, misalnya 2,5."),
        ("1e400", "Berat satu baris paling banyak 1.000,000."),
    ],
)
def test_bad_weights_show_message_and_change_nothing(
    petugas, member, pet, weight, message
):
    response = client_for(petugas).post(
        URL,
        {
            "member": member.pk,
            "key": str(uuid.uuid4()),
            "action": "confirm",
            **lines((pet.pk, weight)),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == (0, 0, 0, [0])


def test_unknown_category_empty_form_bad_key_inactive_member(petugas, member, pet):
    client = client_for(petugas)
    base = {"member": member.pk, "key": str(uuid.uuid4()), "action": "confirm"}
    cases = [
        (
            {**base, **lines((99999, "1"))},
            "Jenis sampah tidak dikenal atau tidak aktif.",
        ),
        ({**base, **lines(("", ""))}, "Isi paling sedikit satu baris timbangan."),
        ({**base, **lines((pet.pk, ""))}, "Isi berat."),
        (
            {**base, "key": "bukan-kunci", **lines((pet.pk, "1"))},
            "Formulir kedaluwarsa",
        ),
    ]
    for data, message in cases:
        response = client.post(URL, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    Member.objects.filter(pk=member.pk).update(is_active=False)
    response = client.post(URL, {**base, **lines((pet.pk, "1"))})
    assert "Nasabah Ibu Siti Aminah tidak aktif." in response.content.decode()
    assert client.post(URL, {**base, "member": "x"}).status_code == 404
    assert state() == (0, 0, 0, [0])


def test_withdrawal_form_refuses_above_balance_and_bad_amounts(petugas, member, pet):
    deposit(member, (pet, "2"))
    client = client_for(petugas)
    url = f"/dasbor/bahagia/bank-sampah/nasabah/{member.pk}/penarikan/baru/"
    for amount, message in [
        ("6001", "Saldo tidak cukup: saldo Rp\xa06.000, diminta Rp\xa06.001."),
        ("0", "Jumlah penarikan harus lebih dari Rp 0."),
        ("-10", "Jumlah penarikan harus lebih dari Rp 0."),
        ("seribu", "Tulis jumlah Rupiah tanpa koma, misalnya 25000."),
    ]:
        response = client.post(
            url, {"amount": amount, "method": "tunai", "key": str(uuid.uuid4())}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert state() == (1, 1, 1, [6000])
    key = str(uuid.uuid4())
    response = client.post(
        url, {"amount": "Rp 5.000", "method": "transfer", "key": key}
    )
    assert response.status_code == 302
    client.post(url, {"amount": "5000", "method": "transfer", "key": key})
    member.refresh_from_db()
    assert member.balance == 1000
    body = client.get(response["Location"]).content.decode()
    assert "Rp\xa05.000" in body and "Transfer" in body and "Rp\xa01.000" in body


def test_passbook_page_query_count(django_assert_num_queries, shopper, member, pet):
    Member.objects.filter(pk=member.pk).update(user=shopper)
    for _ in range(30):
        deposit(member, (pet, "1"))
    client = client_for(shopper)
    client.get("/tabungan/")
    # session, user, roles (the header's dashboard link), member (+posdaya),
    # her waste (lines, pool, categories), count, page of entries
    with django_assert_num_queries(9):
        response = client.get("/tabungan/?page=2")
    assert response.status_code == 200


def test_deposit_confirmation_query_count(
    django_assert_num_queries, petugas, member, pet, kardus
):
    client = client_for(petugas)
    client.get(URL)
    data = {
        "member": member.pk,
        "key": str(uuid.uuid4()),
        "action": "confirm",
        **lines((pet.pk, "2"), (kardus.pk, "3")),
    }
    # session, user, koordinator check, POSDAYA (4) + member + one category
    # check per line (2) + idempotency probe + prices; in the transaction:
    # savepoint, member lock, key re-check, deposit, lines, entry, balance,
    # stock rows (2), per line a movement and a stock update (4), release.
    with django_assert_num_queries(23):
        response = client.post(URL, data)
    assert response.status_code == 302
