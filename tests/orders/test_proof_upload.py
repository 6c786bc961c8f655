"""Proof uploads: access and state before the file, one waiting, throttled.

Decoding a proof (an image re-encoded, a PDF parsed) is the expensive part of
an upload; every refusal that does not need the file comes before it.
"""

import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.models import Order, PaymentProof
from orders.services import submit_payment_proof

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("b.png", buffer.getvalue())


def pdf():
    return SimpleUploadedFile("b.pdf", b"%PDF-1.4 not parsed before the checks")


@pytest.fixture
def decoders():
    """Spy on both decoders the proof form calls (they still run)."""
    import orders.forms

    with (
        mock.patch.object(
            orders.forms, "reencode_image", wraps=orders.forms.reencode_image
        ) as image,
        mock.patch.object(orders.forms, "clean_pdf", wraps=orders.forms.clean_pdf) as p,
    ):
        yield image, p


@pytest.fixture
def counters():
    """Empty rate-limit counters (the test cache lives as long as the process)."""
    cache.clear()
    yield
    cache.clear()


def flashed(client, response) -> list[str]:
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def state_of(order):
    order = Order.objects.get(pk=order.pk)
    return order.status, PaymentProof.objects.filter(order=order).count()


@pytest.mark.parametrize("upload", [png, pdf])
def test_a_wrong_secret_is_a_404_before_any_decoding(client, order, decoders, upload):
    url = f"/pesanan/{order.code}/bukti/"
    for data in ({"t": "salah"}, {}):
        response = client.post(url, {**data, "file": upload()})
        assert response.status_code == 404
    unknown = client.post("/pesanan/PB-0000-XXXX/bukti/", {"file": upload()})
    assert unknown.status_code == 404
    assert [d.call_count for d in decoders] == [0, 0]
    assert state_of(order) == ("menunggu_pembayaran", 0)


@pytest.mark.parametrize("upload", [png, pdf])
def test_a_refused_state_is_said_before_any_decoding(
    client, order, cod_order, koordinator, decoders, upload
):
    from orders.services import approve_payment

    approve_payment(
        proof_id=submit_payment_proof(order=order, file=png(), kind="image").pk,
        by=koordinator,
    )
    paid = f"/pesanan/{order.code}/bukti/"
    response = client.post(paid, {"t": order.secret, "file": upload()})
    assert response.status_code == 302
    assert flashed(client, response) == [
        "Bukti transfer tidak bisa diunggah: status pesanan Dibayar."
    ]
    cash = f"/pesanan/{cod_order.code}/bukti/"
    response = client.post(cash, {"t": cod_order.secret, "file": upload()})
    assert flashed(client, response) == [
        "Pesanan ini dibayar di tempat, tanpa bukti transfer."
    ]
    assert [d.call_count for d in decoders] == [0, 0]
    assert state_of(order) == ("dibayar", 1)
    assert state_of(cod_order) == ("menunggu_pembayaran", 0)


def test_one_proof_waits_at_a_time(client, order, decoders):
    url = f"/pesanan/{order.code}/bukti/"
    first = client.post(url, {"t": order.secret, "file": png()})
    assert flashed(client, first) == [
        "Bukti transfer terkirim. Kami periksa secepatnya."
    ]
    second = client.post(url, {"t": order.secret, "file": png()})
    assert second["Location"] == f"/pesanan/{order.code}/?t={order.secret}"
    assert flashed(client, second) == [
        "Bukti transfer Anda sedang diperiksa koordinator. Tunggu hasilnya "
        "sebelum mengunggah bukti lain."
    ]
    assert [d.call_count for d in decoders] == [1, 0]  # the first one only
    assert state_of(order) == ("menunggu_verifikasi", 1)
    assert list(PaymentProof.objects.values_list("status", flat=True)) == ["menunggu"]


def test_uploads_are_throttled_per_client(
    client, order, product, settings, counters, decoders
):
    from .conftest import make_order

    settings.PASAR_RATE_LIMITS = {"proof_upload": "3/h/ip"}
    bad = {"t": order.secret, "file": SimpleUploadedFile("x.png", b"no image")}
    url = f"/pesanan/{order.code}/bukti/"
    for _ in range(3):
        bad["file"].seek(0)
        response = client.post(url, bad)
        assert "bukan foto yang bisa dibaca" in flashed(client, response)[0]
    bad["file"].seek(0)
    response = client.post(url, bad)
    assert response["Location"] == f"/pesanan/{order.code}/?t={order.secret}"
    assert flashed(client, response) == [
        "Terlalu banyak unggahan bukti. Coba lagi nanti."
    ]
    # Another order from the same client: the same limit.
    other = make_order({product: 1})
    response = client.post(
        f"/pesanan/{other.code}/bukti/", {"t": other.secret, "file": png()}
    )
    assert flashed(client, response) == [
        "Terlalu banyak unggahan bukti. Coba lagi nanti."
    ]
    assert [d.call_count for d in decoders] == [3, 0]
    assert state_of(order) == ("menunggu_pembayaran", 0)
    assert state_of(other) == ("menunggu_pembayaran", 0)
    # Another client is not blocked by this one.
    elsewhere = client_for()
    response = elsewhere.post(
        f"/pesanan/{other.code}/bukti/",
        {"t": other.secret, "file": png()},
        REMOTE_ADDR="10.9.8.7",
    )
    assert flashed(elsewhere, response) == [
        "Bukti transfer terkirim. Kami periksa secepatnya."
    ]
    assert state_of(other) == ("menunggu_verifikasi", 1)


def test_uploads_are_throttled_per_order(client, order, settings, counters):
    settings.PASAR_RATE_LIMITS = {"proof_upload": "100/h/ip,2/h/key"}
    url = f"/pesanan/{order.code}/bukti/"
    answers = []
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        response = client.post(
            url,
            {"t": order.secret, "file": SimpleUploadedFile("x.png", b"no")},
            REMOTE_ADDR=address,
        )
        answers.append(flashed(client, response)[0])
    assert answers[2] == "Terlalu banyak unggahan bukti. Coba lagi nanti."
    assert all("bukan foto" in answer for answer in answers[:2])


def test_the_default_throttle_is_set():
    from pasar.settings import base

    assert base.PASAR_RATE_LIMITS["proof_upload"] == "10/h/ip,5/h/key"


def test_a_proof_missing_from_storage_is_a_404(order, koordinator):
    proof = submit_payment_proof(order=order, file=png(), kind="image")
    proof.file.storage.delete(proof.file.name)
    response = client_for(koordinator).get(f"/dasbor/pembayaran/{proof.pk}/berkas/")
    assert response.status_code == 404
    # The proof's own page still opens, to approve or reject it.
    page = client_for(koordinator).get(f"/dasbor/pembayaran/{proof.pk}/")
    assert page.status_code == 200
