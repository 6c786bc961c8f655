"""Paying by QRIS: offered once configured, the exact amount, the same queue."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.models import IndukQris, Order, PaymentProof
from orders.qris import decode_image, parse_qris, qr_svg
from orders.services import (
    OrderError,
    approve_payment,
    cancel_suborder,
    submit_payment_proof,
)
from orders.services.induk_qris import save_induk_qris

from ..conftest import client_for
from .conftest import make_order
from .qris_data import INDUK, png_bytes, svg_to_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def induk_qris(koordinator):
    return save_induk_qris(payload=INDUK, by=koordinator)


@pytest.fixture
def qris_order(induk_qris, product, other_product):
    # 2 × 25.000 (Bahagia) + 1 × 15.000 (Flamboyan), pickup.
    return make_order({product: 2, other_product: 1}, payment="qris")


def order_url(order, suffix=""):
    return f"/pesanan/{order.code}/{suffix}?t={order.secret}"


def read_qr(client, order) -> str:
    response = client.get(order_url(order, "qris.png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return decode_image(Image.open(io.BytesIO(response.content)))


def test_qris_is_not_offered_before_the_induk_enters_its_code(product):
    from orders.forms import CheckoutForm

    assert [c for c, _ in CheckoutForm().fields["payment_method"].choices] == [
        "transfer",
        "bayar_di_tempat",
    ]
    with pytest.raises(OrderError, match=r"Pilih cara pembayaran\."):
        make_order({product: 1}, payment="qris")
    assert Order.objects.count() == 0


def test_qris_is_offered_once_configured(induk_qris):
    from orders.forms import CheckoutForm

    assert [c for c, _ in CheckoutForm().fields["payment_method"].choices] == [
        "transfer",
        "qris",
        "bayar_di_tempat",
    ]


def test_the_order_page_shows_the_code_for_the_exact_amount(client, qris_order):
    response = client.get(order_url(qris_order))
    page = response.content.decode()
    code = response.context["qris"]
    assert (code.amount, code.merchant_name) == (65000, "POSDAYA INDUK BAHAGIA")
    assert qr_svg(code.payload) in page  # inline SVG, nothing to fetch
    svg = re.search(r'<svg width="\d+" height="\d+" class="segno">.*?</svg>', page)
    assert decode_image(svg_to_image(svg.group(0))) == code.payload
    assert "Rp\xa065.000</span>" in page
    assert '<span class="d-block fw-semibold">POSDAYA INDUK BAHAGIA</span>' in page
    assert "Saya sudah membayar" in page
    # What a phone's reader gets from the picture: the amount, a valid CRC.
    fields = parse_qris(read_qr(client, qris_order)).fields
    assert (fields["01"], fields["54"], fields["59"], fields["62"]) == (
        "12",
        "65000",
        "POSDAYA INDUK BAHAGIA",
        "01" + f"{len(qris_order.code):02d}" + qris_order.code,  # bill number
    )
    assert read_qr(client, qris_order) == code.payload


def test_the_code_follows_the_amount_due(client, qris_order, posdaya, pengelola):
    bahagia = qris_order.suborders.get(posdaya=posdaya)
    cancel_suborder(suborder=bahagia, by=pengelola, reason="Stok rusak")
    assert parse_qris(read_qr(client, qris_order)).fields["54"] == "15000"


def test_the_code_needs_the_link_and_a_qris_order(client, qris_order, order):
    assert client.get(f"/pesanan/{qris_order.code}/qris.png").status_code == 404
    assert client.get(order_url(qris_order, "qris.png")[:-3] + "xyz").status_code == (
        404
    )
    assert client.get(order_url(order, "qris.png")).status_code == 404  # transfer


def test_invoice_shows_the_code(client, qris_order):
    response = client.get(order_url(qris_order, "invoice/"))
    assert qr_svg(response.context["qris"].payload) in response.content.decode()


def test_the_confirmation_email_links_the_code(
    induk_qris, product, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order({product: 1}, payment="qris")
    body = next(m.body for m in mail.outbox if m.to == ["budi@contoh.id"])
    assert (
        "Bayar Rp\xa025.000 dengan QRIS: pindai kode QRIS di halaman pesanan, "
        "jumlahnya sudah terisi persis. Gambar kodenya: "
        f"http://testserver/pesanan/{order.code}/qris.png?t={order.secret}"
    ) in body


def test_no_code_once_paid(client, qris_order, koordinator):
    proof = submit_payment_proof(order=qris_order, file=None, kind="")
    assert client.get(order_url(qris_order)).context["qris"] is not None
    approve_payment(proof_id=proof.pk, by=koordinator)
    assert client.get(order_url(qris_order)).context["qris"] is None
    assert client.get(order_url(qris_order, "qris.png")).status_code == 404


def test_i_have_paid_without_a_screenshot_queues_it(client, qris_order, koordinator):
    response = client.post(
        f"/pesanan/{qris_order.code}/bukti/", {"t": qris_order.secret}, follow=True
    )
    assert "Terima kasih. Pembayaran QRIS Anda kami periksa secepatnya." in (
        response.content.decode()
    )
    qris_order.refresh_from_db()
    assert qris_order.status == "menunggu_verifikasi"
    proof = PaymentProof.objects.get()
    assert (proof.file.name, proof.kind, proof.status) == ("", "", "menunggu")
    assert qris_order.events.last().note == (
        "Pembeli menyatakan sudah membayar dengan QRIS."
    )
    staff = client_for(koordinator)
    queue = staff.get("/dasbor/pembayaran/").content.decode()
    assert qris_order.code in queue
    assert "QRIS (e-wallet atau m-banking)" in queue
    detail = staff.get(f"/dasbor/pembayaran/{proof.pk}/").content.decode()
    assert "Pembeli tidak melampirkan tangkapan layar." in detail
    assert "Lewat QRIS induk" in detail
    assert staff.get(f"/dasbor/pembayaran/{proof.pk}/berkas/").status_code == 404
    response = staff.post(f"/dasbor/pembayaran/{proof.pk}/setujui/")
    assert response.status_code == 302
    qris_order.refresh_from_db()
    assert qris_order.status == "dibayar"


def test_a_screenshot_may_be_attached(client, qris_order):
    buffer = io.BytesIO(png_bytes())
    client.post(
        f"/pesanan/{qris_order.code}/bukti/",
        {
            "t": qris_order.secret,
            "file": SimpleUploadedFile("layar.png", buffer.getvalue(), "image/png"),
        },
    )
    proof = PaymentProof.objects.get()
    assert proof.kind == "image"
    assert re.fullmatch(r"payment-proofs/.+\.webp", proof.file.name)


def test_a_transfer_still_needs_its_proof(client, order):
    response = client.post(f"/pesanan/{order.code}/bukti/", {"t": order.secret})
    order.refresh_from_db()
    assert order.status == "menunggu_pembayaran"
    assert PaymentProof.objects.count() == 0
    assert response.status_code == 302
    with pytest.raises(OrderError, match=r"Pilih berkas bukti transfer\."):
        submit_payment_proof(order=order, file=None, kind="")


def test_without_an_induk_code_an_old_qris_order_says_so(client, qris_order):
    IndukQris.objects.all().delete()
    page = client.get(order_url(qris_order)).content.decode()
    assert "Kode QRIS belum tersedia. Hubungi POSDAYA Induk lewat WhatsApp." in page


def approve_url(order):
    return f"/dasbor/pembayaran/qris/{order.pk}/setujui/"


def test_the_koordinator_approves_a_qris_payment_seen_in_the_merchant_app(
    qris_order, koordinator
):
    staff = client_for(koordinator)
    queue = staff.get("/dasbor/pembayaran/")
    assert [o.code for o in queue.context["qris_waiting"]] == [qris_order.code]
    assert "Setujui: Rp\xa065.000 masuk" in queue.content.decode()
    response = staff.post(approve_url(qris_order), follow=True)
    assert f"Pembayaran {qris_order.code} disetujui." in response.content.decode()
    qris_order.refresh_from_db()
    assert qris_order.status == "dibayar"
    proof = PaymentProof.objects.get()
    assert (proof.file.name, proof.status, proof.reviewed_by) == (
        "",
        "disetujui",
        koordinator,
    )
    notes = [e.note for e in qris_order.events.order_by("id")]
    assert notes[1:] == [
        "Koordinator melihat pembayaran QRIS masuk.",
        "Pembayaran diverifikasi.",
    ]
    assert staff.get("/dasbor/pembayaran/").context["qris_waiting"] == []


def test_approving_twice_or_a_transfer_changes_nothing(qris_order, order, koordinator):
    staff = client_for(koordinator)
    staff.post(approve_url(qris_order))
    response = staff.post(approve_url(qris_order), follow=True)
    assert f"Pesanan {qris_order.code} tidak menunggu pembayaran lagi (Dibayar)." in (
        response.content.decode()
    )
    response = staff.post(approve_url(order), follow=True)
    assert "Hanya pesanan QRIS yang bisa disetujui tanpa bukti." in (
        response.content.decode()
    )
    order.refresh_from_db()
    assert (order.status, PaymentProof.objects.count()) == ("menunggu_pembayaran", 1)
    assert staff.post("/dasbor/pembayaran/qris/999999/setujui/").status_code == 404


def test_only_the_koordinator_approves_qris(actors, qris_order):
    from ..conftest import assert_denied

    def state():
        qris_order.refresh_from_db()
        return (qris_order.status, PaymentProof.objects.count())

    assert_denied(actors, approve_url(qris_order), state)
    assert state() == ("menunggu_pembayaran", 0)
    assert actors.koordinator.get(approve_url(qris_order)).status_code == 405
