"""Site-wide behaviour: language switch, health check, robots, error pages."""

import pytest

from pasar.money import rupiah_for_weight
from pasar.phone import display_phone, normalize_phone, whatsapp_url

pytestmark = pytest.mark.django_db


def test_language_switch_remembers_english(client):
    assert 'lang="id"' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tentang/"})
    assert response.status_code == 302
    assert response["Location"] == "/tentang/"
    assert response.cookies["django_language"].value == "en"
    html = client.get("/tentang/").content.decode()
    assert 'lang="en"' in html
    assert "About Pasar Bahagia Online" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Tentang Pasar Bahagia Online" in client.get("/tentang/").content.decode()


def test_language_switch_ignores_unknown_language(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert 'lang="id"' in client.get("/").content.decode()


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_robots_points_to_sitemap_and_hides_dashboard(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /dasbor/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman yang Anda cari tidak ada" in response.content.decode()


def test_home_lists_posdaya(client, posdaya):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/posdaya/bahagia/"' in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("(0857) 1234.567", "628571234567"),
        ("81234567890", "6281234567890"),
    ],
)
def test_phone_normalisation(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize(
    "raw", ["", "021-8888-123", "0812", "62812345678901234", "abc", "+1 415 555 0100"]
)
def test_phone_rejects_non_indonesian_mobile(raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_phone_display_and_link():
    assert display_phone("6281234567890") == "0812-3456-7890"
    assert whatsapp_url("6281234567890", "Halo Bu, pesanan PB-1") == (
        "https://wa.me/6281234567890?text=Halo%20Bu%2C%20pesanan%20PB-1"
    )


def test_rupiah_for_weight_rounds_half_up_once():
    from decimal import Decimal

    assert rupiah_for_weight(Decimal("1.255"), 3000) == 3765
    assert rupiah_for_weight(Decimal("0.0005"), 1000) == 1  # 0.5 rounds up
    assert rupiah_for_weight(Decimal("2.333"), 1500) == 3500  # 3499.5 → 3500


def test_browser_language_does_not_override_indonesian(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="id"' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_guide_and_about_pages(client):
    guide = client.get("/panduan/").content.decode()
    anchors = ("produk", "pesanan", "transfer", "timbang", "penarikan", "persiapan")
    for anchor in anchors:
        assert f'id="{anchor}"' in guide
    assert "Mencatat penimbangan" in guide
    assert "menu Kategori produk, lalu tekan Tambahkan kategori bawaan" in guide
    assert "UNISMA Bekasi" in client.get("/tentang/").content.decode()
