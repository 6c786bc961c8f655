"""The anonymous page cache: hits, per-visitor CSRF, and never a stale price."""

import re

import pytest
from django.test import Client

from catalog.services import adjust_stock, update_product
from orders.services import place_order

from ..conftest import client_for
from ..factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PASAR_PAGE_CACHE = True


@pytest.fixture
def product(posdaya):
    return ProductFactory(
        posdaya=posdaya, name="Tas Kopi", slug="tas-kopi", price=25000, stock=3
    )


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_anonymous_visit_is_served_from_cache(
    product, django_assert_num_queries
):
    url = product.get_absolute_url()
    first = get(Client(), url)
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = get(Client(), url)
    assert second["X-Page-Cache"] == "hit"
    assert "Rp\xa025.000" in second.content.decode()
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert header in second


def test_each_visitor_gets_a_working_csrf_token(product):
    url = product.get_absolute_url()
    get(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    page = get(visitor, url)
    assert page["X-Page-Cache"] == "hit"
    tokens = set(
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    )
    assert len(tokens) == 1
    assert "__PASAR_CSRF_TOKEN__" not in page.content.decode()
    assert "csrftoken" in page.cookies
    response = visitor.post(
        "/keranjang/tambah/",
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302  # accepted, not a 403


def test_price_change_is_never_served_stale(
    product, pengelola, django_capture_on_commit_callbacks
):
    url = product.get_absolute_url()
    get(Client(), url)
    assert get(Client(), url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        update_product(
            product=product,
            by=pengelola,
            category=product.category,
            name=product.name,
            price=27500,
        )
    fresh = get(Client(), url)
    assert "X-Page-Cache" not in fresh
    assert "Rp\xa027.500" in fresh.content.decode()
    assert "Rp\xa025.000" not in fresh.content.decode()
    listing = get(Client(), "/produk/").content.decode()
    assert "Rp\xa027.500" in listing


def test_stock_changes_from_orders_and_adjustments_show_at_once(
    product, pengelola, django_capture_on_commit_callbacks
):
    url = product.get_absolute_url()
    get(Client(), url)
    get(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        place_order(
            quantities={product.pk: 3},
            customer=None,
            name="Budi",
            phone="6281298765432",
            email="",
            delivery_method="ambil",
            address="",
            zone=None,
            payment_method="transfer",
            checkout_token="t-1",
        )
    sold_out = get(Client(), url)
    assert "X-Page-Cache" not in sold_out
    assert sold_out.context["product"].stock == 0
    with django_capture_on_commit_callbacks(execute=True):
        adjust_stock(product=product, quantity=4, reason="Produksi baru", by=pengelola)
    assert get(Client(), url).context["product"].stock == 4


def test_visitors_with_a_session_or_account_are_not_served_cached_pages(
    product, shopper
):
    url = product.get_absolute_url()
    get(Client(), url)
    cart_visitor = Client()
    cart_visitor.post("/keranjang/tambah/", {"product": product.pk, "quantity": 2})
    page = get(cart_visitor, "/")
    assert "X-Page-Cache" not in page
    assert "data-cart-count>2<" in page.content.decode()
    signed_in = get(client_for(shopper), url)
    assert "X-Page-Cache" not in signed_in
    assert "pembeli" in signed_in.content.decode()


def test_cart_and_checkout_read_live_prices(product, pengelola):
    visitor = Client()
    visitor.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    assert "Rp\xa025.000" in get(visitor, "/keranjang/").content.decode()
    update_product(
        product=product,
        by=pengelola,
        category=product.category,
        name=product.name,
        price=30000,
    )
    cart = get(visitor, "/keranjang/").content.decode()
    assert "Rp\xa030.000" in cart
    assert "Rp\xa025.000" not in cart


def test_languages_are_cached_apart(product):
    url = product.get_absolute_url()
    get(Client(), url)
    english = Client()
    english.cookies["django_language"] = "en"
    page = get(english, url)
    assert "X-Page-Cache" not in page
    assert 'lang="en"' in page.content.decode()
