"""PASAR_SITE_URL builds every absolute link, never the request's Host header."""

import re

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import override_settings

from pasar.checks import check_site_url
from tests.conftest import client_for
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

SITE = "https://pasarbahagia.id"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PASAR_SITE_URL = SITE + "/"  # a trailing slash is forgiven


def test_robots_names_the_public_sitemap(client):
    text = client.get("/robots.txt", HTTP_HOST="evil.example").content.decode()
    assert "Sitemap: https://pasarbahagia.id/sitemap.xml" in text


def test_sitemap_links_are_on_the_public_address(client, posdaya):
    ProductFactory(posdaya=posdaya, name="Tas Kopi", slug="tas-kopi")
    index = client.get("/sitemap.xml", HTTP_HOST="evil.example").content.decode()
    assert "<loc>https://pasarbahagia.id/sitemap-produk.xml</loc>" in index
    assert "evil.example" not in index
    section = client.get("/sitemap-produk.xml", HTTP_HOST="evil.example")
    text = section.content.decode()
    assert "<loc>https://pasarbahagia.id/produk/tas-kopi/</loc>" in text
    assert "evil.example" not in text


def test_opengraph_and_canonical_use_the_public_address(client, posdaya):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", slug="tas-kopi")
    image = ProductImageFactory(product=product)
    html = client.get("/produk/tas-kopi/", HTTP_HOST="evil.example").content.decode()
    assert '<link rel="canonical" href="https://pasarbahagia.id/produk/tas-kopi/">' in (
        html
    )
    assert (
        f'<meta property="og:image" content="https://pasarbahagia.id{image.large.url}">'
        in html
    )
    storefront = client.get("/posdaya/bahagia/", HTTP_HOST="evil.example")
    assert (
        '<meta property="og:url" content="https://pasarbahagia.id/posdaya/bahagia/">'
        in storefront.content.decode()
    )
    category = CategoryFactory(name="Tas", slug="tas")
    page = client.get(category.get_absolute_url(), HTTP_HOST="evil.example")
    assert f'content="https://pasarbahagia.id{category.get_absolute_url()}"' in (
        page.content.decode()
    )


def test_invitation_link_is_on_the_public_address(
    koordinator, posdaya, django_capture_on_commit_callbacks
):
    client = client_for(koordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/dasbor/induk/staf/",
            {
                "invite-email": "ani@contoh.id",
                "invite-username": "ani",
                "invite-role": "petugas",
                "invite-posdaya": posdaya.pk,
            },
            HTTP_HOST="evil.example",
        )
    (message,) = mail.outbox
    assert re.search(
        r"https://pasarbahagia\.id/akun/password/reset/key/\w+-[\w-]+/", message.body
    )
    assert "evil.example" not in message.body


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "PASAR_SITE_URL is not set."),
        (
            "pasarbahagia.id",
            "PASAR_SITE_URL must be an http:// or https:// address with a host name.",
        ),
        (
            "https://pasarbahagia.id/toko",
            "PASAR_SITE_URL must be the site's root, without a path, query or "
            "fragment.",
        ),
    ],
)
def test_the_check_refuses_a_missing_or_bad_address(value, problem):
    with override_settings(DEBUG=False, PASAR_SITE_URL=value):
        errors = check_site_url()
        assert [(e.id, e.msg) for e in errors] == [("pasar.E005", problem)]
        assert "pasar.E005" in [e.id for e in run_checks(tags=["urls"])]
    with override_settings(DEBUG=True, PASAR_SITE_URL=""):
        assert check_site_url() == []


def test_the_check_accepts_the_public_root():
    with override_settings(DEBUG=False, PASAR_SITE_URL="https://pasarbahagia.id/"):
        assert check_site_url() == []
