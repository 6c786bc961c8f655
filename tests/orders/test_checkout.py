"""Checkout over HTTP: two steps, phone numbers, double submit, emails, queries."""

import pytest
from django.core import mail

from catalog.models import Product
from orders.models import Order

from ..conftest import client_for
from ..factories import PosdayaFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def fill(client, *products, quantity=1):
    for product in products:
        client.post("/keranjang/tambah/", {"product": product.pk, "quantity": quantity})


def form_data(client, **overrides):
    token = client.get("/checkout/").context["form"].initial["checkout_token"]
    data = {
        "name": "Budi Santoso",
        "phone": "0812-9876-5432",
        "email": "budi@contoh.id",
        "delivery_method": "ambil",
        "payment_method": "transfer",
        "checkout_token": token,
    }
    data.update(overrides)
    return data


def confirm(client, data):
    """Step 1 (review) then step 2 (confirm), as the browser does."""
    review = client.post("/checkout/", data)
    assert review.status_code == 200 and review.context["confirming"], review.context[
        "form"
    ].errors
    final = dict(data, expected_total=review.context["summary"].total, confirm="1")
    return client.post("/checkout/", final)


def test_guest_checkout_places_order_and_empties_cart(client, product, other_product):
    fill(client, product, other_product, quantity=2)
    response = confirm(client, form_data(client))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pesanan/{order.code}/?t={order.secret}"
    assert order.customer is None
    assert (order.name, order.phone, order.total) == (
        "Budi Santoso",
        "6281298765432",
        80000,
    )
    assert order.suborders.count() == 2
    assert client.session["cart"] == {}


def test_review_shows_fees_per_posdaya_and_total(client, product, other_product, zone):
    fill(client, product, other_product)
    data = form_data(
        client, delivery_method="antar", zone=zone.pk, address="Jl. Mawar 1"
    )
    response = client.post("/checkout/", data)
    summary = response.context["summary"]
    assert [g.delivery_fee for g in summary.groups] == [10000, 10000]
    assert (summary.items_total, summary.delivery_total, summary.total) == (
        40000,
        20000,
        60000,
    )
    assert "Rp\xa060.000" in response.content.decode()
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "raw", ["0812-9876-5432", "+62 812 9876 5432", "6281298765432", "812 9876 5432"]
)
def test_phone_is_normalised(client, product, raw):
    fill(client, product)
    confirm(client, form_data(client, phone=raw))
    assert Order.objects.get().phone == "6281298765432"


@pytest.mark.parametrize("raw", ["021-555-1234", "12345", "abc", "+1 415 555 0100"])
def test_bad_phone_is_refused(client, product, raw):
    fill(client, product)
    response = client.post("/checkout/", form_data(client, phone=raw))
    assert response.status_code == 200
    assert "Nomor WhatsApp tidak valid" in response.content.decode()
    assert Order.objects.count() == 0


def test_delivery_needs_zone_and_address(client, product):
    fill(client, product)
    response = client.post("/checkout/", form_data(client, delivery_method="antar"))
    errors = response.context["form"].errors
    assert errors["zone"] == ["Pilih zona pengiriman."]
    assert errors["address"] == ["Tulis alamat pengiriman."]


def test_cash_with_courier_is_refused(client, product, zone):
    fill(client, product)
    response = client.post(
        "/checkout/",
        form_data(
            client,
            delivery_method="ekspedisi",
            zone=zone.pk,
            address="Jl. A",
            payment_method="bayar_di_tempat",
        ),
    )
    assert "payment_method" in response.context["form"].errors


def test_double_submit_creates_one_order(client, product):
    fill(client, product, quantity=2)
    data = form_data(client)
    review = client.post("/checkout/", data)
    final = dict(data, expected_total=review.context["summary"].total, confirm="1")
    first = client.post("/checkout/", final)
    second = client.post("/checkout/", final)  # the cart is empty by now
    order = Order.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == (f"/pesanan/{order.code}/?t={order.secret}")
    )
    assert Product.objects.get(pk=product.pk).stock == 3


def test_out_of_stock_at_confirm_shows_message(client, product):
    fill(client, product, quantity=3)
    data = form_data(client)
    review = client.post("/checkout/", data)
    Product.objects.filter(pk=product.pk).update(stock=1)
    response = client.post(
        "/checkout/",
        dict(data, expected_total=review.context["summary"].total, confirm="1"),
    )
    assert response.status_code == 200
    assert (
        "Stok Tas Kopi tidak cukup: diminta 3, tersisa 1." in response.content.decode()
    )
    assert Order.objects.count() == 0


def test_price_change_between_review_and_confirm_is_refused(client, product):
    fill(client, product)
    data = form_data(client)
    review = client.post("/checkout/", data)
    Product.objects.filter(pk=product.pk).update(price=30000)
    response = client.post(
        "/checkout/",
        dict(data, expected_total=review.context["summary"].total, confirm="1"),
    )
    assert "Harga atau ongkir berubah" in response.content.decode()
    assert Order.objects.count() == 0


def test_empty_cart_redirects(client):
    assert client.get("/checkout/")["Location"] == "/keranjang/"


def test_signed_in_checkout_links_the_order(product):
    user = UserFactory(username="sari", email="sari@contoh.id")
    client = client_for(user)
    fill(client, product)
    data = form_data(client)
    assert data  # initial values come from the account
    assert client.get("/checkout/").context["form"].initial["email"] == "sari@contoh.id"
    confirm(client, data)
    order = Order.objects.get()
    assert order.customer == user
    response = client.get("/akun/pesanan/")
    assert list(response.context["orders"]) == [order]


def test_emails_go_out_after_commit(
    client,
    product,
    other_product,
    pengelola,
    other_pengelola,
    django_capture_on_commit_callbacks,
):
    fill(client, product, other_product)
    data = form_data(client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm(client, data)
    assert len(mail.outbox) == 0
    # Three deliveries to enqueue (the WhatsApp messages wait to be sent by
    # hand: no Cloud API in tests), and dropping the pages of the products
    # whose stock changed.
    names = [c.__name__ for c in callbacks]
    assert sorted(names) == ["<lambda>", "<lambda>", "<lambda>", "drop_cached_pages"]
    for callback in callbacks:
        if callback.__name__ == "<lambda>":
            callback()
    order = Order.objects.get()
    subjects = sorted((m.subject, tuple(m.to)) for m in mail.outbox)
    assert subjects == [
        (f"Pesanan {order.code} diterima", ("budi@contoh.id",)),
        (f"Pesanan baru {order.code} untuk POSDAYA Bahagia", ("pengelola@contoh.id",)),
        (
            f"Pesanan baru {order.code} untuk POSDAYA Flamboyan",
            ("pengelola-lain@contoh.id",),
        ),
    ]
    shopper_mail = next(m for m in mail.outbox if m.to == ["budi@contoh.id"])
    assert f"?t={order.secret}" in shopper_mail.body
    assert "0012345678901" in shopper_mail.body


def test_no_shopper_email_when_none_given(
    client, product, django_capture_on_commit_callbacks
):
    fill(client, product)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, form_data(client, email=""))
    assert [m.to for m in mail.outbox] == []


@pytest.mark.parametrize(("lines", "branches"), [(1, 1), (6, 3)])
def test_checkout_page_queries_are_fixed(
    client, django_assert_num_queries, zone, lines, branches
):
    posdaya_list = [PosdayaFactory() for _ in range(branches)]
    for i in range(lines):
        fill(client, ProductFactory(posdaya=posdaya_list[i % branches], stock=9))
    # session, products with POSDAYA, zones (select options), is there a QRIS
    with django_assert_num_queries(4):
        response = client.get("/checkout/")
    assert len(response.context["summary"].lines) == lines
    data = form_data(client, delivery_method="antar", zone=zone.pk, address="Jl. A")
    # session, is there a QRIS (choices), zones (validation), products
    with django_assert_num_queries(4):
        response = client.post("/checkout/", data)
    assert response.context["summary"].delivery_total == 10000 * branches
