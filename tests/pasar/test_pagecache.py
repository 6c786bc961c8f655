"""The anonymous page cache: hits, per-visitor CSRF, and never a stale price."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.http import QueryDict
from django.test import Client

from catalog.filters import SORT_CHOICES, ProductFilter
from catalog.services import adjust_stock, update_product
from orders.services import place_order
from pasar import pagecache

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


# --- the catalogue version ---------------------------------------------------


def test_a_lost_version_key_never_brings_old_pages_back(
    product, pengelola, django_capture_on_commit_callbacks
):
    """Redis evicts (allkeys-lru) and the database cache culls: a new version."""
    url = product.get_absolute_url()
    get(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        update_product(
            product=product,
            by=pengelola,
            category=product.category,
            name=product.name,
            price=27500,
        )
    assert "Rp\xa027.500" in get(Client(), url).content.decode()
    cache.delete(pagecache.VERSION_KEY)  # evicted
    page = get(Client(), url)
    assert "X-Page-Cache" not in page
    assert "Rp\xa027.500" in page.content.decode()
    assert "Rp\xa025.000" not in page.content.decode()


def test_every_bump_writes_a_version_never_used_before():
    first = pagecache.catalogue_version()
    assert pagecache.catalogue_version() == first
    written = {pagecache.bump_catalogue_version() for _ in range(50)}
    assert len(written) == 50
    assert first not in written
    assert pagecache.catalogue_version() in written


def test_a_page_rendered_before_a_change_is_stored_under_the_retired_version(
    product, pengelola, django_capture_on_commit_callbacks, monkeypatch
):
    """The version is read before the page: a change during rendering wins."""
    url = product.get_absolute_url()
    render = pagecache.AnonymousPageCacheMiddleware.__call__

    def change_during_rendering(self, request):
        response = render(self, request)  # rendered with the old price...
        with django_capture_on_commit_callbacks(execute=True):
            update_product(  # ...while the change commits and bumps
                product=product,
                by=pengelola,
                category=product.category,
                name=product.name,
                price=27500,
            )
        return response

    monkeypatch.setattr(
        pagecache.AnonymousPageCacheMiddleware, "__call__", change_during_rendering
    )
    assert "Rp\xa025.000" in get(Client(), url).content.decode()
    monkeypatch.setattr(pagecache.AnonymousPageCacheMiddleware, "__call__", render)
    page = get(Client(), url)
    assert "X-Page-Cache" not in page
    assert "Rp\xa027.500" in page.content.decode()


def test_http_and_https_pages_are_cached_apart(product):
    """Kept apart by scheme; the canonical link is PASAR_SITE_URL's either way."""
    url = product.get_absolute_url()
    get(Client(), url)
    secure = Client().get(url, secure=True)
    assert "X-Page-Cache" not in secure
    assert (
        '<link rel="canonical" href="http://testserver/produk/tas-kopi/">'
        in secure.content.decode()
    )


# --- the query string: normal forms only ---------------------------------------


def stored_entries() -> int:
    """Count every entry of every cache (LocMemCache in the test settings)."""
    return sum(len(caches[alias]._cache) for alias in settings.CACHES)


def test_junk_query_strings_store_no_new_pages(product):
    get(Client(), "/produk/?q=tas")
    get(Client(), "/produk/")
    before = stored_entries()
    for i in range(200):
        junk = [
            f"/produk/?utm_source=wa{i}",
            f"/produk/?q=tas&fbclid=x{i}",
            f"/produk/?page=1&x{i}=1",
            f"/produk/?q=+tas+&kategori=&posdaya=&ref={i}",
        ][i % 4]
        page = get(Client(), junk)
        assert page["X-Page-Cache"] == "hit"
        assert "Tas Kopi" in page.content.decode()
    assert stored_entries() == before
    for normal in ("/produk/?q=tas", "/produk/"):
        assert get(Client(), normal)["X-Page-Cache"] == "hit"


def test_a_tracking_link_is_served_the_normal_page_and_never_leaks(product):
    first = get(Client(), "/produk/?fbclid=RAHASIA-1&q=tas")
    assert "X-Page-Cache" not in first
    assert "RAHASIA" not in first.content.decode()
    assert 'name="next" type="hidden" value="/produk/?q=tas"' in (
        first.content.decode()
    )
    again = get(Client(), "/produk/?q=tas")
    assert again["X-Page-Cache"] == "hit"
    assert "RAHASIA" not in again.content.decode()


def test_the_filter_form_is_cached_under_its_normal_form(product):
    submitted = (
        "/produk/?q=tas&kategori=&posdaya=&harga_min=&harga_max=&tersedia=on"
        "&urut=termurah"
    )
    page = get(Client(), submitted)
    assert "X-Page-Cache" not in page
    assert page.context["filter"].form.cleaned_data["tersedia"] is True
    normal = get(Client(), "/produk/?q=tas&tersedia=1&urut=termurah")
    assert normal["X-Page-Cache"] == "hit"
    assert "Tas Kopi" in normal.content.decode()
    get(Client(), "/produk/")
    assert get(Client(), "/produk/?page=1")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "query",
    [
        "harga_min=abc",
        "harga_min=1.5",
        "harga_max=999999999",
        "urut=acak",
        "q=tas&q=dompet",
        "page=satu",
        "tersedia=ya",
        "kategori=Tas%20",
        "q=" + "x" * 101,
    ],
)
def test_values_without_a_normal_form_are_served_uncached(product, query):
    # The filter form's two choice lists, kept once per catalogue version.
    form = ProductFilter().form
    for name in ("kategori", "posdaya"):
        list(form[name].field.choices)
    before = stored_entries()
    for _ in range(2):
        page = get(Client(), f"/produk/?{query}")
        assert "X-Page-Cache" not in page
    assert stored_entries() == before


@pytest.mark.parametrize(
    ("view", "query", "normal"),
    [
        ("home", "fbclid=1&utm_source=wa", ""),
        ("catalog:product_detail", "q=tas", ""),
        ("catalog:product_list", "urut=termurah&q=tas", "q=tas&urut=termurah"),
        ("catalog:product_list", "q=+tas+kopi+&page=1", "q=tas+kopi"),
        ("catalog:product_list", "harga_min=0020000&harga_max=", "harga_min=20000"),
        ("catalog:product_list", "page=007&kategori=tas", "kategori=tas&page=7"),
        (
            "catalog:product_list",
            "tersedia=on&posdaya=bahagia",
            "posdaya=bahagia&tersedia=1",
        ),
        ("catalog:product_list", "q=+++", ""),
        ("catalog:category", "kategori=tas&q=vas", "q=vas"),
    ],
)
def test_normal_query(view, query, normal):
    assert pagecache.normal_query(view, QueryDict(query)) == normal


def test_cacheable_parameters_are_the_catalog_filters():
    filters = ProductFilter.base_filters
    assert set(pagecache.CACHEABLE["catalog:product_list"]) == {*filters, "page"}
    assert set(pagecache.CACHEABLE["catalog:category"]) == {*filters, "page"} - {
        "kategori"
    }
    assert tuple(value for value, _label in SORT_CHOICES) == pagecache.SORTS
    for name in ("harga_min", "harga_max"):
        assert filters[name].extra["min_value"] == 0
        assert filters[name].extra["max_value"] == 100_000_000
    assert filters["q"].extra["max_length"] == 100
