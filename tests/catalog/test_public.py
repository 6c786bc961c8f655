"""Public catalog: search, filters, sorts, hidden products, product page, SEO."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.factories import (
    CategoryFactory,
    PosdayaFactory,
    ProductFactory,
    ProductImageFactory,
    ProductMaterialFactory,
    WasteCategoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(posdaya, other_posdaya):
    """Four public products and three hidden ones."""
    now = timezone.now()
    tas = CategoryFactory(name="Tas", slug="tas", order=1, icon="bag")
    dompet = CategoryFactory(name="Dompet", slug="dompet", order=2)
    vas = CategoryFactory(name="Vas Bunga", slug="vas-bunga", order=3)
    rows = [
        ("Tas Anyaman Kopi", tas, posdaya, 75000, 5, 3, "Dianyam dari bungkus kopi."),
        ("Tas Belanja Plastik", tas, posdaya, 45000, 0, 10, "Dari kantong kresek."),
        (
            "Dompet Koin Sachet",
            dompet,
            other_posdaya,
            20000,
            8,
            1,
            "Kemasan plastik warna-warni.",
        ),
        ("Vas Bunga Botol", vas, other_posdaya, 120000, 2, 0, "Botol kaca dicat."),
    ]
    products = {}
    for age, (name, category, branch, price, stock, sold, text) in enumerate(rows):
        products[name] = ProductFactory(
            name=name,
            slug=name.lower().replace(" ", "-"),
            category=category,
            posdaya=branch,
            price=price,
            stock=stock,
            sold_count=sold,
            description=text,
            published_at=now - timedelta(days=4 - age),
        )
    ProductFactory(
        name="Tas Draf Rahasia",
        slug="tas-draf",
        category=tas,
        posdaya=posdaya,
        status="draft",
        published_at=None,
    )
    ProductFactory(
        name="Tas Arsip Lama",
        slug="tas-arsip",
        category=tas,
        posdaya=posdaya,
        status="archived",
    )
    sleeping = PosdayaFactory(name="POSDAYA Tidur", slug="tidur", is_active=False)
    ProductFactory(
        name="Tas Nonaktif", slug="tas-nonaktif", category=tas, posdaya=sleeping
    )
    return products


def names(response):
    return [product.name for product in response.context["products"]]


ALL_NEWEST = [
    "Vas Bunga Botol",
    "Dompet Koin Sachet",
    "Tas Belanja Plastik",
    "Tas Anyaman Kopi",
]


def test_product_list_shows_only_public_products_newest_first(client, catalog):
    response = client.get("/produk/")
    assert response.status_code == 200
    assert names(response) == ALL_NEWEST
    assert "4 produk" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dompet", ["Dompet Koin Sachet"]),
        ("tas plastik", ["Tas Belanja Plastik"]),
        ("kopi", ["Tas Anyaman Kopi"]),
        ("botol", ["Vas Bunga Botol"]),
        ("flamboyan", ["Dompet Koin Sachet", "Vas Bunga Botol"]),  # POSDAYA name
        ("draf rahasia", []),  # a draft is never found
        ("   ", ALL_NEWEST[::-1][::-1]),
    ],
)
def test_search(client, catalog, query, expected):
    response = client.get("/produk/", {"q": query, "urut": "termurah"})
    if query.strip():
        assert names(response) == expected
    else:
        assert sorted(names(response)) == sorted(expected)


def test_search_matches_category_name(client, catalog):
    response = client.get("/produk/", {"q": "vas bunga", "urut": "termurah"})
    assert names(response) == ["Vas Bunga Botol"]


def test_search_forgives_a_typo(client, catalog):
    # Was PostgreSQL only (issue 13): SQLite found nothing.
    response = client.get("/produk/", {"q": "dompett"})
    assert names(response) == ["Dompet Koin Sachet"]


def test_search_never_finds_a_draft_by_its_own_words(client, catalog):
    # "rahasia" is one typo from "Bahagia": POSDAYA Bahagia's products, never
    # the draft named "Tas Draf Rahasia".
    response = client.get("/produk/", {"q": "rahasia"})
    assert names(response) == ["Tas Belanja Plastik", "Tas Anyaman Kopi"]


def test_search_without_sort_orders_by_relevance(client, catalog):
    # Was PostgreSQL only, with ties in any order; now the same on both
    # databases, ties broken by the newest product.
    response = client.get("/produk/", {"q": "tas"})
    assert names(response) == ["Tas Belanja Plastik", "Tas Anyaman Kopi"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kategori": "tas"}, ["Tas Belanja Plastik", "Tas Anyaman Kopi"]),
        ({"posdaya": "flamboyan"}, ["Vas Bunga Botol", "Dompet Koin Sachet"]),
        (
            {"harga_min": "45000"},
            ["Vas Bunga Botol", "Tas Belanja Plastik", "Tas Anyaman Kopi"],
        ),
        ({"harga_max": "45000"}, ["Dompet Koin Sachet", "Tas Belanja Plastik"]),
        (
            {"tersedia": "1"},
            ["Vas Bunga Botol", "Dompet Koin Sachet", "Tas Anyaman Kopi"],
        ),
        ({"kategori": "tas", "tersedia": "1"}, ["Tas Anyaman Kopi"]),
        (
            {"harga_min": "20000", "harga_max": "80000", "urut": "termahal"},
            ["Tas Anyaman Kopi", "Tas Belanja Plastik", "Dompet Koin Sachet"],
        ),
        # Invalid values are ignored, never an error.
        ({"harga_min": "abc", "kategori": "tidak-ada", "urut": "acak"}, ALL_NEWEST),
        ({"posdaya": "tidur"}, ALL_NEWEST),  # an inactive POSDAYA is no filter
    ],
)
def test_filters(client, catalog, params, expected):
    response = client.get("/produk/", params)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("terbaru", ALL_NEWEST),
        (
            "termurah",
            [
                "Dompet Koin Sachet",
                "Tas Belanja Plastik",
                "Tas Anyaman Kopi",
                "Vas Bunga Botol",
            ],
        ),
        (
            "termahal",
            [
                "Vas Bunga Botol",
                "Tas Anyaman Kopi",
                "Tas Belanja Plastik",
                "Dompet Koin Sachet",
            ],
        ),
        (
            "terlaris",
            [
                "Tas Belanja Plastik",
                "Tas Anyaman Kopi",
                "Dompet Koin Sachet",
                "Vas Bunga Botol",
            ],
        ),
    ],
)
def test_sorts(client, catalog, sort, expected):
    assert names(client.get("/produk/", {"urut": sort})) == expected


def test_filters_stay_in_pagination_links(client, posdaya):
    category = CategoryFactory(slug="tas", name="Tas")
    ProductFactory.create_batch(25, posdaya=posdaya, category=category)
    response = client.get("/produk/", {"kategori": "tas", "urut": "termurah"})
    assert len(response.context["products"]) == 24
    html = response.content.decode()
    assert 'href="?kategori=tas&amp;urut=termurah&amp;page=2"' in html
    page2 = client.get("/produk/", {"kategori": "tas", "urut": "termurah", "page": 2})
    assert len(page2.context["products"]) == 1
    assert client.get("/produk/", {"page": "x"}).status_code == 200


def test_category_page(client, catalog):
    response = client.get("/kategori/tas/")
    assert response.status_code == 200
    assert names(response) == ["Tas Belanja Plastik", "Tas Anyaman Kopi"]
    assert names(client.get("/kategori/tas/", {"tersedia": "1"})) == [
        "Tas Anyaman Kopi"
    ]
    html = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/kategori/tas/">' in html
    assert '<meta property="og:title" content="Tas · Pasar Bahagia">' in html
    assert client.get("/kategori/tidak-ada/").status_code == 404


@pytest.mark.parametrize("slug", ["tas-draf", "tas-arsip", "tas-nonaktif", "x"])
def test_hidden_products_are_404(client, catalog, slug):
    assert client.get(f"/produk/{slug}/").status_code == 404


def test_product_page(client, catalog, other_posdaya):
    product = catalog["Dompet Koin Sachet"]
    first = ProductImageFactory(
        product=product,
        position=0,
        small_width=400,
        small_height=300,
        large_width=1200,
        large_height=900,
    )
    second = ProductImageFactory(
        product=product, position=1, small_width=400, small_height=400
    )
    ProductMaterialFactory(
        product=product,
        waste_category=WasteCategoryFactory(name="Kemasan/sachet", slug="sachet"),
        kg_per_unit="0.040",
    )
    related = ProductFactory(
        name="Dompet Kartu",
        slug="dompet-kartu",
        category=product.category,
        posdaya=other_posdaya,
    )
    response = client.get("/produk/dompet-koin-sachet/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp\xa020.000" in html
    assert "Tersedia (8)" in html
    assert f'<a class="product-gallery-item" href="{first.large.url}"' in html
    # The first photo is the largest paint: the large rendition, fetched at once,
    # with both renditions offered for the screen's width and density.
    assert (
        f'<img src="{first.large.url}" srcset="{first.small.url} 400w, '
        f'{first.large.url} 1200w" sizes="(min-width: 1400px) 636px, '
        "(min-width: 1200px) 546px, (min-width: 992px) 456px, (min-width: 768px) "
        '336px, calc(100vw - 24px)" width="1200" height="900" '
        'alt="Dompet Koin Sachet" loading="eager" fetchpriority="high"'
    ) in html
    # The others stay small and lazy.
    assert (
        f'<img src="{second.small.url}" width="400" height="400" '
        'alt="Dompet Koin Sachet" loading="lazy"'
    ) in html
    assert html.count('fetchpriority="high"') == 1
    assert "Kemasan/sachet: 0,040\xa0kg per unit" in html
    text = quote(
        "Halo POSDAYA Flamboyan, saya tertarik dengan produk Dompet Koin Sachet: "
        "http://testserver/produk/dompet-koin-sachet/"
    )
    assert f"https://wa.me/{other_posdaya.whatsapp}?text={text}" in html
    assert [p.name for p in response.context["related"]] == [related.name]
    assert "orders/partials/_add_to_cart.html" in [t.name for t in response.templates]
    # OpenGraph: a link shared on WhatsApp shows photo, name and price.
    assert '<meta property="og:title" content="Dompet Koin Sachet">' in html
    assert (
        '<meta property="og:description" content="Rp\xa020.000 · POSDAYA Flamboyan · '
        'Kemasan plastik warna-warni.">'
    ) in html
    assert (
        f'<meta property="og:image" content="http://testserver{first.large.url}">'
        in html
    )
    assert (
        '<link rel="canonical" href="http://testserver/produk/dompet-koin-sachet/">'
        in html
    )


def test_stock_states(client, catalog):
    assert "Stok habis" in client.get("/produk/tas-belanja-plastik/").content.decode()
    assert "Tinggal 2" in client.get("/produk/vas-bunga-botol/").content.decode()


def test_posdaya_storefront_lists_its_public_products(client, catalog, posdaya):
    ProductImageFactory(product=catalog["Tas Belanja Plastik"])
    response = client.get("/posdaya/bahagia/")
    assert [p.name for p in response.context["products"]] == [
        "Tas Belanja Plastik",
        "Tas Anyaman Kopi",
    ]
    html = response.content.decode()
    assert '<meta property="og:image" content="http://testserver/media/' in html
    assert '<link rel="canonical" href="http://testserver/posdaya/bahagia/">' in html
    assert "/produk/?posdaya=bahagia" in html


def test_home_sections(client, catalog):
    response = client.get("/")
    assert [p.name for p in response.context["new_products"]] == ALL_NEWEST
    html = response.content.decode()
    assert 'href="/kategori/tas/"' in html
    assert '<i class="bi bi-bag" aria-hidden="true"></i> Tas' in html


def test_sitemap(client, catalog):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    body = index.content.decode()
    for section in ("halaman", "kategori", "posdaya", "produk"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in body
    products = client.get("/sitemap-produk.xml").content.decode()
    locations = sorted(re.findall(r"<loc>(.*?)</loc>", products))
    assert locations == sorted(
        f"http://testserver/produk/{slug}/"
        for slug in (
            "tas-anyaman-kopi",
            "tas-belanja-plastik",
            "dompet-koin-sachet",
            "vas-bunga-botol",
        )
    )
    categories = client.get("/sitemap-kategori.xml").content.decode()
    assert "<loc>http://testserver/kategori/dompet/</loc>" in categories
    branches = client.get("/sitemap-posdaya.xml").content.decode()
    assert "<loc>http://testserver/posdaya/flamboyan/</loc>" in branches
    assert "tidur" not in branches
    pages = client.get("/sitemap-halaman.xml").content.decode()
    assert "<loc>http://testserver/produk/</loc>" in pages
    assert client.get("/sitemap-lain.xml").status_code == 404
