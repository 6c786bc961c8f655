"""Compressed responses: HTML through gzip, static files as .br and .gz.

A page is compressed for each request on its own (cached pages too), carries
`Vary: Accept-Encoding`, and every response has a freshly masked CSRF token
(BREACH). Photos and other binary files are never compressed twice.
"""

import gzip
import re

import pytest
from django.test import Client

from ..conftest import use_collected_static
from ..factories import ProductFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def product(posdaya):
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", slug="tas-kopi")


def vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",")}


def test_html_is_gzipped_when_asked_and_varies_on_accept_encoding(product):
    plain = Client().get("/produk/tas-kopi/")
    packed = Client().get("/produk/tas-kopi/", **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in vary(packed) and "Accept-Encoding" in vary(plain)
    html = gzip.decompress(packed.content).decode()
    assert '<h1 class="h3">Tas Kopi</h1>' in html
    assert len(packed.content) < len(plain.content) / 2


@pytest.mark.parametrize("first", [GZIP, {}])
def test_a_cached_page_is_compressed_per_request(settings, product, first):
    settings.PASAR_PAGE_CACHE = True
    Client().get("/produk/tas-kopi/", **first)  # fills the cache
    packed = Client().get("/produk/tas-kopi/", **GZIP)
    plain = Client().get("/produk/tas-kopi/")
    assert packed["X-Page-Cache"] == plain["X-Page-Cache"] == "hit"
    assert packed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in vary(packed) and "Accept-Encoding" in vary(plain)
    unpacked = gzip.decompress(packed.content).decode()
    body = plain.content.decode()
    assert TOKEN.sub("", unpacked) == TOKEN.sub("", body)
    # BREACH: the secret never repeats byte for byte between two responses.
    assert TOKEN.findall(unpacked)[0] != TOKEN.findall(body)[0]


def test_two_compressed_responses_differ_in_token_and_length_padding(product):
    first = Client().get("/produk/tas-kopi/", **GZIP)
    second = Client().get("/produk/tas-kopi/", **GZIP)
    one, two = (gzip.decompress(r.content).decode() for r in (first, second))
    assert TOKEN.findall(one) != TOKEN.findall(two)
    assert first.content != second.content


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("text/csv", True),
        ("application/json", True),
        ("application/manifest+json", True),
        ("image/webp", False),
        ("application/pdf", False),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    ],
)
def test_only_text_is_compressed(rf, content_type, compressed):
    from django.http import HttpResponse

    from pasar.compression import TextGZipMiddleware

    body = b"a" * 1000
    middleware = TextGZipMiddleware(
        lambda request: HttpResponse(body, content_type=content_type)
    )
    response = middleware(rf.get("/", **GZIP))
    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert (response.content == body) is not compressed


def test_collectstatic_writes_brotli_and_gzip_and_whitenoise_serves_brotli(
    settings, collected_static
):
    use_collected_static(settings, collected_static)
    manifest = (collected_static / "staticfiles.json").read_text()
    hashed = re.search(r'"css/pasar.css": "(css/pasar\.[0-9a-f]+\.css)"', manifest)
    name = hashed.group(1)
    for suffix in ("", ".gz", ".br"):
        assert (collected_static / (name + suffix)).exists(), name + suffix
    client = Client()
    response = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in vary(response)
    assert "immutable" in response["Cache-Control"]
    gzipped = client.get(f"/static/{name}", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    brotli_size = int(response["Content-Length"])
    assert brotli_size < int(gzipped["Content-Length"])
    # Pages link the hashed names.
    html = client.get("/tentang/").content.decode()
    assert f'href="/static/{name}"' in html
