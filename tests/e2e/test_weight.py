"""What a first visit on a phone downloads, with production static files.

The site runs as in production: `collectstatic` into a temporary STATIC_ROOT
with whitenoise's CompressedManifestStaticFilesStorage (hashed names, .br and
.gz), DEBUG off, the page cache on, served by whitenoise (not the test
server's static handler). A fresh browser context (nothing cached) opens each
page; the bytes come from Playwright's network events: each response's
encoded body plus its headers, product photos under /media/ left out.

    .venv/bin/pytest tests/e2e/test_weight.py -s    # prints the table
"""

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from catalog.models import Category
from catalog.services import add_default_categories

from ..conftest import use_collected_static
from ..factories import (
    PosdayaFactory,
    ProductFactory,
    ProductImageFactory,
    ProductMaterialFactory,
    WasteCategoryFactory,
)
from .conftest import PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 100 * 1024
DESCRIPTION = (
    "Dianyam tangan oleh ibu-ibu POSDAYA dari bungkus kopi dan sachet bekas yang "
    "sudah dicuci bersih. Kuat untuk belanja ke pasar, tahan air, dan bisa dilipat "
    "kecil. Setiap tas berbeda motifnya."
)


@pytest.fixture
def production_site(settings, collected_static):
    """The site on its own server thread, static files as in production."""
    use_collected_static(settings, collected_static)
    settings.DEBUG = False
    settings.PASAR_PAGE_CACHE = True
    overrides = {
        c.alias: c
        for c in connections.all()
        if c.vendor == "sqlite" and c.is_in_memory_db()
    }
    server = LiveServerThread(
        "127.0.0.1", static_handler=lambda app: app, connections_override=overrides
    )
    server.daemon = True
    for connection in overrides.values():
        connection.inc_thread_sharing()
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()
    # Requests still closing share the test's connection: let them end first.
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)
    for connection in overrides.values():
        connection.dec_thread_sharing()


@pytest.fixture
def market(db):
    """16 POSDAYA, the 13 default categories, 30 products with a photo each."""
    places = [PosdayaFactory(name=f"POSDAYA Mawar {i}") for i in range(16)]
    add_default_categories()
    categories = list(Category.objects.all())
    products = []
    for i in range(30):
        product = ProductFactory(
            posdaya=places[i % 16],
            category=categories[i % len(categories)],
            name=f"Tas Anyam Bungkus Kopi {i}",
            description=DESCRIPTION,
            price=25000 + 1500 * i,
        )
        ProductImageFactory(product=product, position=0)
        products.append(product)
    featured = products[0]
    for position in (1, 2):
        ProductImageFactory(product=featured, position=position)
    for slug in ("sachet", "kardus"):
        ProductMaterialFactory(
            product=featured,
            waste_category=WasteCategoryFactory(name=slug.title(), slug=slug),
            kg_per_unit=Decimal("0.150"),
        )
    return featured


def first_visit(browser, url: str):
    """Open `url` in a fresh context and wait for the service worker's install.

    Returns the context, the page and one (path, bytes, encoding) row per
    response; photos under /media/ are counted apart.
    """
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    finished, lock = [], threading.Lock()

    def done(request):
        with lock:
            finished.append(request)

    context.on("requestfinished", done)
    page.goto(url, wait_until="networkidle")
    # The worker caches its offline page on install: that is downloaded too.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    rows, photos = [], 0
    with lock:
        requests = list(finished)
    for request in requests:
        path = "/" + request.url.split("://", 1)[1].split("/", 1)[1]
        if path.startswith("/media/"):
            photos += 1
            continue
        sizes = request.sizes()
        encoding = request.response().headers.get("content-encoding", "-")
        rows.append(
            (path, sizes["responseBodySize"] + sizes["responseHeadersSize"], encoding)
        )
    return context, page, rows, photos


@pytest.mark.parametrize("which", ["home", "catalog", "product"])
def test_first_visit_is_at_most_100_kb_before_photos(
    browser, production_site, market, which
):
    path = {"home": "/", "catalog": "/produk/", "product": market.get_absolute_url()}
    context, page, rows, photos = first_visit(browser, production_site + path[which])
    try:
        total = sum(size for _path, size, _encoding in rows)
        print(f"\n{path[which]}: {total:,} bytes, {photos} photos left out")
        for name, size, encoding in sorted(rows, key=lambda row: -row[1]):
            print(f"  {size:>7,}  {encoding:<5} {name}")
        # Production static files: hashed names, served compressed by whitenoise.
        css = [row for row in rows if "/bootstrap.purged." in row[0]]
        assert css and css[0][2] in {"br", "gzip"}
        assert [row[2] for row in rows if row[0] == path[which]] in (["gzip"], ["br"])
        assert photos > 0
        assert total <= BUDGET, f"{path[which]}: {total:,} bytes > {BUDGET:,}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


def test_the_service_worker_registers_and_shows_the_offline_page(
    browser, production_site, market
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(production_site + "/", wait_until="load")
        scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == production_site + "/"
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.goto(production_site + market.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Tidak ada sambungan internet"
        )
        # The offline page is styled from the cache and shows no price.
        assert "Rp" not in page.content()
        button = page.get_by_role("link", name="Coba lagi")
        assert button.evaluate("(el) => getComputedStyle(el).backgroundColor") == (
            "rgb(25, 135, 84)"
        )
        context.set_offline(False)
        button.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(market.name)
    finally:
        context.close()
