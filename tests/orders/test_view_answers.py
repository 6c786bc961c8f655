"""Every order button answers exactly: status, where it goes, what it says.

Written before the views moved onto ServiceFormView / ServiceActionView and
run against both versions, so the move changed no answer.
"""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from orders.models import PaymentProof, SettlementEntry, SubOrder
from orders.services import submit_payment_proof

from ..conftest import client_for
from .conftest import make_order

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("b.png", buffer.getvalue())


def answer(client, url, data=None):
    """Return (status, Location, [(level, text)]) of a POST, messages as shown next."""
    response = client.post(url, data or {})
    location = response.get("Location", "")
    shown = client.get(location) if location.startswith("/") else response
    found = (
        [(m.tags, str(m)) for m in shown.context["messages"]] if shown.context else []
    )
    return response.status_code, location, found


@pytest.fixture
def proof(order):
    return submit_payment_proof(order=order, file=png(), kind="image")


def test_payment_decisions(koordinator, proof, order):
    client = client_for(koordinator)
    detail = f"/dasbor/pembayaran/{proof.pk}/"
    assert answer(client, f"{detail}tolak/", {"reason": " "}) == (
        302,
        detail,
        [("danger", "Tuliskan alasan penolakan.")],
    )
    assert answer(client, f"{detail}tolak/", {"reason": "x" * 301}) == (
        302,
        detail,
        [("danger", "Tuliskan alasan penolakan.")],
    )
    assert answer(client, f"{detail}setujui/") == (
        302,
        "/dasbor/pembayaran/",
        [("success", f"Pembayaran {order.code} disetujui.")],
    )
    assert answer(client, f"{detail}setujui/") == (
        302,
        detail,
        [("danger", "Bukti transfer ini sudah diperiksa.")],
    )
    assert answer(client, f"{detail}tolak/", {"reason": "Buram"}) == (
        302,
        detail,
        [("danger", "Bukti transfer ini sudah diperiksa.")],
    )
    assert client.post("/dasbor/pembayaran/999999/setujui/").status_code == 404
    assert client.post("/dasbor/pembayaran/999999/tolak/", {}).status_code == 404
    assert client.get(f"{detail}setujui/").status_code == 405


def test_reject_answers(koordinator, proof, order):
    client = client_for(koordinator)
    assert answer(
        client, f"/dasbor/pembayaran/{proof.pk}/tolak/", {"reason": "Buram"}
    ) == (
        302,
        "/dasbor/pembayaran/",
        [("success", f"Bukti transfer {order.code} ditolak.")],
    )


def test_suborder_buttons(cod_order, posdaya, pengelola, other_posdaya):
    client = client_for(pengelola)
    sub = cod_order.suborders.get(posdaya=posdaya)
    page = f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/"
    assert answer(client, f"{page}ubah/", {"to_status": "diproses"}) == (
        302,
        page,
        [("success", "Status pesanan diperbarui.")],
    )
    assert answer(client, f"{page}ubah/", {"to_status": "selesai"}) == (
        302,
        page,
        [
            (
                "danger",
                "Status pesanan POSDAYA tidak bisa diubah dari Diproses ke Selesai.",
            )
        ],
    )
    assert answer(
        client, f"{page}ubah/", {"to_status": "rusak", "note": "x" * 301}
    ) == (
        302,
        page,
        [
            (
                "danger",
                "Masukkan pilihan yang valid. rusak bukan salah satu dari pilihan "
                "yang tersedia.",
            ),
            (
                "danger",
                "Pastikan nilai ini mengandung paling banyak 300 karakter "
                "(sekarang 301 karakter).",
            ),
        ],
    )
    assert answer(client, f"{page}lunas/") == (
        302,
        page,
        [("success", "Pembayaran tunai dicatat.")],
    )
    assert answer(client, f"{page}lunas/") == (
        302,
        page,
        [("danger", "Pembayaran ini sudah dicatat.")],
    )
    theirs = cod_order.suborders.get(posdaya=other_posdaya)
    for action in ("ubah/", "lunas/"):
        url = f"/dasbor/{posdaya.slug}/pesanan/{theirs.pk}/{action}"
        assert client.post(url, {"to_status": "rusak"}).status_code == 404
    assert list(client.get(page).context["messages"]) == []
    assert client.get(f"{page}ubah/").status_code == 405


def test_refund_button(cod_order, posdaya, pengelola, koordinator):
    sub = cod_order.suborders.get(posdaya=posdaya)
    client = client_for(koordinator)
    page = f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/"
    assert answer(client, f"{page}retur/", {"reason": ""}) == (
        302,
        page,
        [("danger", "Tuliskan alasan retur.")],
    )
    assert answer(client, f"{page}retur/", {"reason": "Rusak"}) == (
        302,
        page,
        [("danger", "Hanya pesanan POSDAYA yang sudah selesai yang dapat diretur.")],
    )
    staff = client_for(pengelola)
    staff.post(f"{page}lunas/")
    for to in ("diproses", "dikirim", "selesai"):
        staff.post(f"{page}ubah/", {"to_status": to})
    assert SubOrder.objects.get(pk=sub.pk).status == "selesai"
    assert answer(client, f"{page}retur/", {"reason": "Rusak"}) == (
        302,
        page,
        [("success", "Retur dicatat; stok dan setelmen sudah dikoreksi.")],
    )
    assert client.post(f"/dasbor/{posdaya.slug}/pesanan/999999/retur/").status_code == (
        404
    )


def test_payout_form(koordinator, cod_order, posdaya, pengelola, product):
    sub = cod_order.suborders.get(posdaya=posdaya)
    for to in ("diproses", "dikirim"):
        client_for(pengelola).post(
            f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/", {"to_status": to}
        )
    client_for(pengelola).post(f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/lunas/")
    client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/", {"to_status": "selesai"}
    )
    client = client_for(koordinator)
    page = client.get("/dasbor/induk/setelmen/")
    assert page.context["form"].initial["paid_on"] == timezone.localdate()
    data = {
        "posdaya": posdaya.pk,
        "amount": "35001",
        "paid_on": "2026-11-27",
        "method": "tunai",
        "key": str(uuid.uuid4()),
    }
    refused = client.post("/dasbor/induk/setelmen/", data)
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "amount": ["Jumlah melebihi saldo yang menjadi hak POSDAYA (Rp\xa035.000)."]
    }
    assert answer(client, "/dasbor/induk/setelmen/", dict(data, amount="20000")) == (
        302,
        "/dasbor/induk/setelmen/",
        [("success", "Pembayaran Rp\xa020.000 ke POSDAYA Bahagia dicatat.")],
    )
    assert SettlementEntry.objects.filter(kind="payout").count() == 1


def test_cart_buttons(client, product):
    assert answer(
        client, "/keranjang/ubah/", {"product": product.pk, "quantity": "x"}
    ) == (
        302,
        "/keranjang/",
        [("danger", "Jumlah tidak valid.")],
    )
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    client.get("/keranjang/")  # shows the "added" message
    assert answer(
        client, "/keranjang/ubah/", {"product": product.pk, "quantity": 9}
    ) == (
        302,
        "/keranjang/",
        [("danger", "Stok Tas Kopi tinggal 5. Kurangi jumlahnya.")],
    )
    assert answer(
        client, "/keranjang/ubah/", {"product": product.pk, "quantity": 2}
    ) == (
        302,
        "/keranjang/",
        [],
    )
    assert client.session["cart"] == {str(product.pk): 2}
    assert answer(client, "/keranjang/ubah/", {"product": 999999, "quantity": 2}) == (
        302,
        "/keranjang/",
        [],
    )
    assert answer(client, "/keranjang/hapus/", {"product": "abc"}) == (
        302,
        "/keranjang/",
        [],
    )
    assert answer(client, "/keranjang/hapus/", {"product": product.pk}) == (
        302,
        "/keranjang/",
        [("info", "Produk dihapus dari keranjang.")],
    )
    assert client.session["cart"] == {}
    assert client.get("/keranjang/ubah/").status_code == 405


def test_proof_upload_answers(client, order, product):
    url = f"/pesanan/{order.code}/bukti/"
    page = f"/pesanan/{order.code}/?t={order.secret}"
    assert answer(client, url, {"t": order.secret}) == (
        302,
        page,
        [("danger", "Bidang ini tidak boleh kosong.")],
    )
    assert answer(client, url, {"t": order.secret, "file": png()}) == (
        302,
        page,
        [("success", "Bukti transfer terkirim. Kami periksa secepatnya.")],
    )
    assert answer(client, url, {"t": order.secret, "file": png()}) == (
        302,
        page,
        [
            (
                "danger",
                "Bukti transfer Anda sedang diperiksa koordinator. Tunggu "
                "hasilnya sebelum mengunggah bukti lain.",
            )
        ],
    )
    assert PaymentProof.objects.count() == 1
    assert client.post(url, {"t": "salah", "file": png()}).status_code == 404
    cash = make_order({product: 1}, payment="bayar_di_tempat")
    assert answer(
        client, f"/pesanan/{cash.code}/bukti/", {"t": cash.secret, "file": png()}
    ) == (
        302,
        f"/pesanan/{cash.code}/?t={cash.secret}",
        [("danger", "Pesanan ini dibayar di tempat, tanpa bukti transfer.")],
    )
