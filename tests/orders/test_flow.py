"""The issue's "done when": a guest buys from two POSDAYA over HTTP to the end."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.models import Order, PaymentProof, SubOrder

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def test_guest_to_completed_order(
    client,
    product,
    other_product,
    posdaya,
    other_posdaya,
    pengelola,
    other_pengelola,
    koordinator,
):
    for item in (product, other_product):
        client.post("/keranjang/tambah/", {"product": item.pk, "quantity": 1})
    token = client.get("/checkout/").context["form"].initial["checkout_token"]
    data = {
        "name": "Tuti",
        "phone": "0813 1111 2222",
        "delivery_method": "ambil",
        "payment_method": "transfer",
        "checkout_token": token,
    }
    review = client.post("/checkout/", data)
    placed = client.post(
        "/checkout/",
        dict(data, expected_total=review.context["summary"].total, confirm="1"),
    )
    order_url = placed["Location"]
    order = Order.objects.get()

    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(buffer, format="JPEG")
    code = order.code
    client.post(
        f"/pesanan/{code}/bukti/",
        {"t": order.secret, "file": SimpleUploadedFile("b.jpg", buffer.getvalue())},
    )
    assert client.get(order_url).context["order"].status == "menunggu_verifikasi"

    proof = PaymentProof.objects.get()
    client_for(koordinator).post(f"/dasbor/pembayaran/{proof.pk}/setujui/")
    assert client.get(order_url).context["order"].status == "dibayar"

    for branch, staff in ((posdaya, pengelola), (other_posdaya, other_pengelola)):
        sub = SubOrder.objects.get(order=order, posdaya=branch)
        staff_client = client_for(staff)
        listing = staff_client.get(f"/dasbor/{branch.slug}/pesanan/")
        assert list(listing.context["suborders"]) == [sub]
        for state in ("diproses", "siap_diambil", "selesai"):
            staff_client.post(
                f"/dasbor/{branch.slug}/pesanan/{sub.pk}/ubah/", {"to_status": state}
            )
        assert SubOrder.objects.get(pk=sub.pk).status == "selesai"

    page = client.get(order_url)
    assert page.context["order"].status == "selesai"
    assert [e.to_status for e in page.context["order"].events.all()] == [
        "menunggu_pembayaran",
        "menunggu_verifikasi",
        "dibayar",
        "selesai",
    ]
