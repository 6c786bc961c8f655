"""Fragments: visitors with a session get the cached catalog too, never stale.

The user-independent part of each public catalog page (product grid, filter
form, product detail) is cached per normal query, language and catalogue
version (pasar/pagecache.py); the header, cart badge, messages and CSRF token
are rendered per request.
"""

import re

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.services import adjust_stock, update_product
from orders.services import place_order

from ..conftest import client_for
from ..factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "listing": "/produk/",
    "filtered": "/produk/?kategori=tas&urut=termurah",
    "search": "/produk/?q=tas",
    "category": "/kategori/tas/",
    "storefront": "/posdaya/bahagia/",
    "product": "/produk/tas-kopi/",
}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PASAR_PAGE_CACHE = True


@pytest.fixture
def product(posdaya):
    category = CategoryFactory(slug="tas", name="Tas")
    product = ProductFactory(
        posdaya=posdaya,
        category=category,
        name="Tas Kopi",
        slug="tas-kopi",
        price=25000,
        stock=3,
    )
    ProductImageFactory(product=product, position=0)
    return product


def with_cart(product) -> Client:
    visitor = Client()
    visitor.post("/keranjang/tambah/", {"product": product.pk, "quantity": 2})
    return visitor


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def visitor(kind, product, shopper) -> Client:
    if kind == "guest with a cart":
        return with_cart(product)
    if kind == "signed in":
        return client_for(shopper)
    return Client()


# Queries of a page's own work (fresh caches): what the fragment saves.
UNCACHED = {
    "home": 10,  # + the impact figures, computed once and cached
    "listing": 5,
    "filtered": 5,
    "search": 9,
    "category": 5,
    "storefront": 3,
    "product": 4,
}
# The same pages once another listing has been rendered: the filter form's
# category and POSDAYA choices come from the cache (the search still reads
# categories and POSDAYA names with the waste categories, in its own query).
CHOICES_CACHED = {"listing": 3, "filtered": 3, "search": 7, "category": 4}
# Per visitor: the session (signed in: also the user and the policy's roles
# for the header's menu), nothing else.
OWN = {"guest with a cart": 1, "signed in": 3, "no session": 0}
KINDS = pytest.mark.parametrize("kind", list(OWN))


@KINDS
@pytest.mark.parametrize("page", PAGES)
def test_queries_cached_and_uncached(product, shopper, kind, page):
    client = visitor(kind, product, shopper)
    # No session: the whole page is cached, so its second visit costs nothing.
    assert queries_of(client, PAGES[page]) == UNCACHED[page] + OWN[kind]
    assert queries_of(client, PAGES[page]) == OWN[kind]
    # Another visitor of another kind shares the fragment.
    for other in OWN:
        assert queries_of(visitor(other, product, shopper), PAGES[page]) == OWN[other]


@pytest.mark.parametrize("page", CHOICES_CACHED)
def test_the_choice_lists_are_read_once_per_catalogue_version(product, page):
    queries_of(Client(), "/produk/?page=2")  # a listing: the choices cached
    assert queries_of(Client(), PAGES[page]) == CHOICES_CACHED[page]


@pytest.mark.parametrize("cache_on", [True, False])
@pytest.mark.parametrize("page", ["listing", "filtered", "search", "category"])
def test_no_server_side_cursor_for_the_choice_lists(
    product, settings, monkeypatch, page, cache_on
):
    """ModelChoiceField iterates with .iterator(): a DECLARE … CURSOR on PG."""
    settings.PASAR_PAGE_CACHE = cache_on
    opened = []
    wrapper = type(connections["default"])
    chunked = wrapper.chunked_cursor
    monkeypatch.setattr(
        wrapper, "chunked_cursor", lambda self: opened.append(1) or chunked(self)
    )
    response = Client().get(PAGES[page])
    assert response.status_code == 200
    assert "POSDAYA Bahagia</option>" in response.content.decode()
    assert opened == []


def all_pages(client) -> dict[str, str]:
    pages = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200
        pages[name] = response.content.decode()
    return pages


def test_a_price_change_shows_at_once_to_every_visitor_on_every_page(
    product, shopper, pengelola, django_capture_on_commit_callbacks
):
    visitors = [with_cart(product), client_for(shopper), Client()]
    for client in visitors:
        for html in all_pages(client).values():
            assert "Rp\xa025.000" in html
    with django_capture_on_commit_callbacks(execute=True):
        update_product(
            product=product,
            by=pengelola,
            category=product.category,
            name=product.name,
            price=27500,
        )
    for client in visitors:
        for name, html in all_pages(client).items():
            assert "Rp\xa027.500" in html, name
            assert "Rp\xa025.000" not in html, name


def order(product, quantity, token="t-1"):
    return place_order(
        quantities={product.pk: quantity},
        customer=None,
        name="Budi",
        phone="6281298765432",
        email="",
        delivery_method="ambil",
        address="",
        zone=None,
        payment_method="transfer",
        checkout_token=token,
    )


def test_a_stock_change_shows_at_once_to_every_visitor_on_every_page(
    product, shopper, pengelola, django_capture_on_commit_callbacks
):
    visitors = [with_cart(product), client_for(shopper), Client()]
    for client in visitors:
        for html in all_pages(client).values():
            assert "Stok habis" not in html
    with django_capture_on_commit_callbacks(execute=True):
        order(product, 3)  # the last three
    for client in visitors:
        for name, html in all_pages(client).items():
            assert "Stok habis" in html, name
        assert "Tambah ke keranjang" not in all_pages(client)["product"]
    with django_capture_on_commit_callbacks(execute=True):
        adjust_stock(product=product, quantity=4, reason="Produksi baru", by=pengelola)
    for client in visitors:
        page = all_pages(client)
        assert "Stok habis" not in page["listing"]
        assert "Stok 4 buah" in page["product"]


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_two_visitors_never_see_each_others_header_cart_or_token(product):
    shopper = UserFactory(username="siti-rahmawati")
    guest = Client()
    guest.post("/keranjang/tambah/", {"product": product.pk, "quantity": 2})
    signed_in = client_for(shopper)
    signed_in.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    for index, url in enumerate(PAGES.values()):
        # Each renders the fragments the other then reads, in turn.
        (guest, signed_in)[index % 2].get(url)
        mine = guest.get(url).content.decode()
        theirs = signed_in.get(url).content.decode()
        assert "data-cart-count>2<" in mine
        assert "data-cart-count>1<" in theirs
        assert "siti-rahmawati" not in mine
        assert "siti-rahmawati" in theirs
        assert TOKEN.search(theirs)  # the sign-out form, at least
        if "add-to-cart" in mine:  # the product page: a token in the fragment
            token = TOKEN.search(mine).group(1)
            assert token not in theirs
            data = {"product": product.pk, "quantity": 1}
            other = Client(enforce_csrf_checks=True)
            other.get("/")
            refused = other.post(
                "/keranjang/tambah/", {**data, "csrfmiddlewaretoken": token}
            )
            assert refused.status_code == 403
            checked = Client(enforce_csrf_checks=True)
            checked.cookies = guest.cookies  # the guest, checked this time
            accepted = checked.post(
                "/keranjang/tambah/", {**data, "csrfmiddlewaretoken": token}
            )
            assert accepted.status_code == 302
            assert "__PASAR_CSRF_TOKEN__" not in mine


# --- invalidation by what changed ---------------------------------------------


@pytest.fixture
def two_shelves(posdaya, other_posdaya):
    """Three bags at POSDAYA Bahagia, then eight newer vases at Flamboyan."""
    bags = CategoryFactory(slug="tas", name="Tas")
    vases = CategoryFactory(slug="vas", name="Vas")
    ordered = [
        ProductFactory(posdaya=posdaya, category=bags, slug=f"tas-{i}", stock=5)
        for i in range(3)
    ]
    others = [
        ProductFactory(posdaya=other_posdaya, category=vases, slug=f"vas-{i}", stock=5)
        for i in range(8)
    ]
    return ordered, others


DROPPED = ["/produk/tas-0/", "/produk/tas-1/", "/produk/tas-2/", "/kategori/tas/"]
DROPPED += ["/posdaya/bahagia/", "/produk/", "/produk/?kategori=tas", "/produk/?q=tas"]
KEPT = ["/produk/vas-0/", "/produk/vas-7/", "/kategori/vas/", "/posdaya/flamboyan/"]
KEPT += ["/produk/?kategori=vas", "/produk/?posdaya=flamboyan", "/"]  # home: vases


def cached(url, guest) -> bool:
    """Whether both kinds of visitor get `url` from the cache.

    The guest asks first: her miss renders the fragment again, which the
    anonymous visitor's page then reuses (it is still not a cached page).
    """
    own = queries_of(guest, url)
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert ("X-Page-Cache" in anonymous) == (own == 1), url
    return own == 1


def test_an_order_drops_only_the_pages_of_its_products(
    two_shelves, django_capture_on_commit_callbacks
):
    ordered, _others = two_shelves
    guest = with_cart(ordered[0])
    for url in DROPPED + KEPT:
        Client().get(url)
        guest.get(url)
        assert cached(url, guest)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        place_order(
            quantities={product.pk: 1 for product in ordered},
            customer=None,
            name="Budi",
            phone="6281298765432",
            email="",
            delivery_method="ambil",
            address="",
            zone=None,
            payment_method="transfer",
            checkout_token="t-3",
        )
    # Nothing is dropped before the commit...
    assert all(cached(url, guest) for url in DROPPED)
    for callback in callbacks:
        callback()
    # ...then exactly the pages the three bags are on.
    assert {url: cached(url, guest) for url in DROPPED + KEPT} == {
        **dict.fromkeys(DROPPED, False),
        **dict.fromkeys(KEPT, True),
    }
    assert "Stok 4 buah" in Client().get("/produk/tas-1/").content.decode()


def test_an_order_of_a_product_the_home_shows_drops_the_home(
    two_shelves, django_capture_on_commit_callbacks
):
    _ordered, vases = two_shelves
    guest = with_cart(vases[0])
    for url in ["/", "/kategori/tas/"]:
        Client().get(url)
        assert cached(url, guest)
    with django_capture_on_commit_callbacks(execute=True):
        order(vases[3], 5)
    assert not cached("/", guest)
    assert cached("/kategori/tas/", guest)
    assert "Stok habis" in Client().get("/").content.decode()
