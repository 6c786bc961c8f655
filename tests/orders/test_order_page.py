"""The order page: who may open it, proof upload, invoice, expiry on open."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from catalog.models import Product
from orders.models import Order, PaymentProof

from ..conftest import client_for
from ..factories import UserFactory
from .conftest import make_order

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")


def test_secret_link_opens_the_order(client, order):
    response = client.get(f"/pesanan/{order.code}/?t={order.secret}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rp\xa065.000" in page and "0012345678901" in page
    assert "https://wa.me/6281234567890?text=" in page
    assert f"Pesanan%20{order.code}" in page


@pytest.mark.parametrize("kind", ["no_token", "wrong_token", "other_token", "no_code"])
def test_guessing_gives_404(client, order, product, kind):
    other = make_order({product: 1})
    url = {
        "no_token": f"/pesanan/{order.code}/",
        "wrong_token": f"/pesanan/{order.code}/?t={order.secret[:-1]}"
        + ("A" if order.secret[-1] != "A" else "B"),
        "other_token": f"/pesanan/{order.code}/?t={other.secret}",
        "no_code": f"/pesanan/PB-0000-ZZZZ/?t={order.secret}",
    }[kind]
    assert client.get(url).status_code == 404
    assert client.get(url.replace("/?", "/invoice/?", 1)).status_code == 404


def test_owner_opens_without_token_but_staff_do_not(product, pengelola, koordinator):
    owner = UserFactory(username="pemilik")
    order = make_order({product: 1}, customer=owner)
    url = f"/pesanan/{order.code}/"
    assert client_for(owner).get(url).status_code == 200
    assert client_for(UserFactory()).get(url).status_code == 404
    assert client_for(pengelola).get(url).status_code == 404
    assert client_for(koordinator).get(url).status_code == 404


def test_my_orders_needs_sign_in_and_lists_only_mine(client, product):
    assert "/akun/login/" in client.get("/akun/pesanan/")["Location"]
    owner = UserFactory(username="pemilik")
    mine = make_order({product: 1}, customer=owner)
    make_order({product: 1}, customer=UserFactory())
    make_order({product: 1})
    response = client_for(owner).get("/akun/pesanan/")
    assert list(response.context["orders"]) == [mine]


def blank_pdf():
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        (png, "image"),
        (lambda: SimpleUploadedFile("b.pdf", blank_pdf()), "pdf"),
    ],
)
def test_proof_upload_image_or_pdf(client, order, upload, kind):
    response = client.post(
        f"/pesanan/{order.code}/bukti/", {"t": order.secret, "file": upload()}
    )
    assert response["Location"] == f"/pesanan/{order.code}/?t={order.secret}"
    proof = PaymentProof.objects.get()
    assert (proof.kind, proof.status) == (kind, "menunggu")
    if kind == "image":
        assert proof.file.name.endswith(".webp")
    assert Order.objects.get(pk=order.pk).status == "menunggu_verifikasi"


def test_bad_proof_is_refused(client, order):
    bad = SimpleUploadedFile("x.png", b"not an image at all")
    response = client.post(
        f"/pesanan/{order.code}/bukti/", {"t": order.secret, "file": bad}
    )
    page = client.get(response["Location"]).content.decode()
    assert "bukan foto yang bisa dibaca" in page
    assert PaymentProof.objects.count() == 0
    assert Order.objects.get(pk=order.pk).status == "menunggu_pembayaran"


def test_proof_upload_needs_the_token(client, order):
    response = client.post(f"/pesanan/{order.code}/bukti/", {"file": png()})
    assert response.status_code == 404
    assert PaymentProof.objects.count() == 0


def test_rejected_reason_is_shown_to_shopper(client, order, koordinator):
    from orders.services import reject_payment, submit_payment_proof

    proof = submit_payment_proof(order=order, file=png(), kind="image")
    reject_payment(proof_id=proof.pk, by=koordinator, reason="Nominal kurang Rp 5.000")
    page = client.get(f"/pesanan/{order.code}/?t={order.secret}").content.decode()
    assert "Nominal kurang Rp 5.000" in page
    assert 'name="file"' in page


def test_invoice_is_printable(client, order):
    response = client.get(f"/pesanan/{order.code}/invoice/?t={order.secret}")
    assert response.status_code == 200
    assert "layouts/print.html" in [t.name for t in response.templates]
    assert "INVOICE" in response.content.decode()


def test_opening_an_overdue_order_expires_it(client, order, product, other_product):
    Order.objects.filter(pk=order.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(f"/pesanan/{order.code}/?t={order.secret}")
    assert response.context["order"].status == "kedaluwarsa"
    assert Product.objects.get(pk=product.pk).stock == 5
    assert Product.objects.get(pk=other_product.pk).stock == 5
    client.get(f"/pesanan/{order.code}/?t={order.secret}")
    assert Product.objects.get(pk=product.pk).stock == 5


def test_proof_is_stored_privately_and_not_served_as_media(client, order, settings):
    from pathlib import Path

    from orders.services import submit_payment_proof

    settings.PASAR_SERVE_MEDIA = True
    proof = submit_payment_proof(order=order, file=png(), kind="image")
    path = Path(proof.file.path)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert client.get(f"/media/{proof.file.name}").status_code == 404
