"""The session cart: add, change, remove, stock limits, badge, sign-in, queries."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from catalog.models import Product

from ..conftest import client_for
from ..factories import PASSWORD, PosdayaFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def cart_of(client):
    return client.session.get("cart", {})


def add(client, product, quantity=1, **extra):
    return client.post(
        "/keranjang/tambah/", {"product": product.pk, "quantity": quantity, **extra}
    )


def test_add_update_remove(client, product):
    response = add(client, product, 2)
    assert response.status_code == 302 and response["Location"] == "/keranjang/"
    assert cart_of(client) == {str(product.pk): 2}
    add(client, product, 1)
    assert cart_of(client) == {str(product.pk): 3}
    client.post("/keranjang/ubah/", {"product": product.pk, "quantity": 1})
    assert cart_of(client) == {str(product.pk): 1}
    client.post("/keranjang/ubah/", {"product": product.pk, "quantity": 0})
    assert cart_of(client) == {}
    add(client, product, 1)
    client.post("/keranjang/hapus/", {"product": product.pk})
    assert cart_of(client) == {}


def test_add_returns_to_a_safe_next_only(client, product):
    assert add(client, product, next="/produk/x/")["Location"] == "/produk/x/"
    assert add(client, product, next="https://jahat.example/")["Location"] == (
        "/keranjang/"
    )


def test_quantity_above_stock_is_refused(client, product):
    add(client, product, 4)
    response = add(client, product, 2, next="/keranjang/")
    assert cart_of(client) == {str(product.pk): 4}
    page = client.get(response["Location"]).content.decode()
    assert "Stok Tas Kopi tinggal 5. Kurangi jumlahnya." in page
    client.post("/keranjang/ubah/", {"product": product.pk, "quantity": 6})
    assert cart_of(client) == {str(product.pk): 4}


@pytest.mark.parametrize("quantity", ["-1", "abc", "", "100"])
def test_bad_quantity_changes_nothing(client, product, quantity):
    add(client, product, 1)
    response = client.post(
        "/keranjang/ubah/", {"product": product.pk, "quantity": quantity}
    )
    assert response.status_code == 302
    assert cart_of(client) == {str(product.pk): 1}


def test_unpublished_or_sold_out_cannot_be_added(client, product):
    Product.objects.filter(pk=product.pk).update(stock=0)
    add(client, product, 1)
    assert cart_of(client) == {}
    Product.objects.filter(pk=product.pk).update(stock=5, status="draft")
    add(client, product, 1)
    assert cart_of(client) == {}


def test_cart_drops_products_no_longer_sold(client, product, other_product):
    add(client, product, 1)
    add(client, other_product, 1)
    Product.objects.filter(pk=other_product.pk).update(status="archived")
    response = client.get("/keranjang/")
    assert [g.posdaya.slug for g in response.context["summary"].groups] == ["bahagia"]
    assert cart_of(client) == {str(product.pk): 1}


def test_cart_groups_by_posdaya_with_subtotals(client, product, other_product):
    add(client, product, 2)
    add(client, other_product, 3)
    summary = client.get("/keranjang/").context["summary"]
    assert [(g.posdaya.name, g.subtotal) for g in summary.groups] == [
        ("POSDAYA Bahagia", 50000),
        ("POSDAYA Flamboyan", 45000),
    ]
    assert summary.items_total == 95000


def test_cart_warns_when_stock_dropped(client, product):
    add(client, product, 4)
    Product.objects.filter(pk=product.pk).update(stock=2)
    page = client.get("/keranjang/").content.decode()
    assert "Melebihi stok: tinggal 2." in page
    assert "/checkout/" not in page.split("<main")[1]


def test_header_badge_counts_units(client, product, other_product):
    add(client, product, 2)
    add(client, other_product, 1)
    assert client.get("/keranjang/").context["cart_count"] == 3


def test_tampered_session_is_ignored(client, product):
    session = client.session
    session["cart"] = {"abc": 1, str(product.pk): "9", "7": -2, "8": 10**9}
    session.save()
    assert client.get("/keranjang/").status_code == 200
    assert client.get("/keranjang/").context["cart_count"] == 0


def test_cart_is_carried_over_on_sign_in(client, product):
    user = UserFactory(username="sari")
    add(client, product, 2)
    response = client.post("/akun/login/", {"login": "sari", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user
    assert cart_of(client) == {str(product.pk): 2}


def fill_cart(client, lines, branches):
    posdaya_list = [PosdayaFactory() for _ in range(branches)]
    products = [
        ProductFactory(posdaya=posdaya_list[i % branches], stock=20)
        for i in range(lines)
    ]
    for product in products:
        add(client, product, 2)


@pytest.mark.parametrize(("lines", "branches"), [(1, 1), (6, 3)])
def test_cart_page_queries_are_fixed(
    client, django_assert_num_queries, lines, branches
):
    fill_cart(client, lines, branches)
    # session, products with their POSDAYA
    with django_assert_num_queries(2):
        response = client.get("/keranjang/")
    assert len(response.context["summary"].lines) == lines


@pytest.mark.parametrize(("lines", "branches"), [(1, 1), (6, 3)])
def test_cart_page_queries_fixed_when_signed_in(
    django_assert_num_queries, lines, branches
):
    client = client_for(UserFactory())
    fill_cart(client, lines, branches)
    # session, user, products with their POSDAYA, the user's roles (the
    # header shows "Dasbor" only to staff)
    with django_assert_num_queries(4):
        client.get("/keranjang/")


def test_anonymous_visitor_without_cart_costs_no_query(
    client, django_assert_num_queries
):
    from pasar.site.context_processors import site

    request = RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    with django_assert_num_queries(0):
        assert site(request)["cart_count"] == 0


def test_add_to_cart_partial(product):
    request = RequestFactory().get("/produk/tas/")
    html = render_to_string(
        "orders/partials/_add_to_cart.html", {"product": product, "request": request}
    )
    assert 'action="/keranjang/tambah/"' in html
    assert 'max="5"' in html
    product.stock = 0
    html = render_to_string(
        "orders/partials/_add_to_cart.html", {"product": product, "request": request}
    )
    assert "/keranjang/tambah/" not in html
    assert "disabled" in html and "Stok habis" in html


# --- the product page's script asks for JSON ------------------------------------


def add_json(client, product, quantity=1):
    return client.post(
        "/keranjang/tambah/",
        {"product": product.pk, "quantity": quantity, "next": "/produk/x/"},
        HTTP_ACCEPT="application/json",
    )


def test_json_add_answers_message_and_count_and_queues_no_message(
    client, product, other_product
):
    response = add_json(client, product, 2)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Tas Kopi masuk keranjang.",
        "cart_count": 2,
        "cart_label": "Keranjang, 2 barang",
    }
    assert add_json(client, other_product, 1).json()["cart_count"] == 3
    assert cart_of(client) == {str(product.pk): 2, str(other_product.pk): 1}
    # The message was shown by the script: the next page does not repeat it.
    assert list(client.get("/keranjang/").context["messages"]) == []


@pytest.mark.parametrize(
    ("setup", "quantity", "message"),
    [
        (None, 6, "Stok Tas Kopi tinggal 5. Kurangi jumlahnya."),
        (None, "abc", "Jumlah tidak valid."),
        ({"status": "draft"}, 1, "Produk ini tidak lagi dijual."),
        ({"stock": 0}, 1, "Tas Kopi sedang habis."),
    ],
)
def test_json_refusal_says_why_and_changes_nothing(
    client, product, setup, quantity, message
):
    add_json(client, product, 1)
    if setup:
        Product.objects.filter(pk=product.pk).update(**setup)
    response = add_json(client, product, quantity)
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "message": message,
        "cart_count": 1,
        "cart_label": "Keranjang, 1 barang",
    }
    assert cart_of(client) == {str(product.pk): 1}
    assert list(client.get("/tentang/").context["messages"]) == []


def test_json_add_in_english(client, product):
    client.cookies["django_language"] = "en"
    assert add_json(client, product, 1).json() == {
        "ok": True,
        "message": "Tas Kopi added to the cart.",
        "cart_count": 1,
        "cart_label": "Cart, 1 item",
    }


def test_header_cart_link_names_its_count(client, product):
    add(client, product, 3)
    page = client.get("/keranjang/").content.decode()
    assert 'aria-label="Keranjang, 3 barang" data-cart-link' in page
