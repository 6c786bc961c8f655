"""Installable site: manifest, icons, service worker and offline page."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"

pytestmark = pytest.mark.django_db


def test_manifest_is_valid_json_with_the_fields_an_install_needs():
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text())
    assert manifest["name"] == "Pasar Bahagia Online"
    assert manifest["short_name"] == "Pasar Bahagia"
    assert manifest["lang"] == "id"
    assert (manifest["start_url"], manifest["scope"], manifest["id"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1f7a4d"
    assert manifest["background_color"] == "#fafaf7"
    icons = {(i["sizes"], i["purpose"]): i for i in manifest["icons"]}
    assert set(icons) == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for (sizes, _purpose), icon in icons.items():
        assert icon["type"] == "image/png"
        # Relative to the manifest's own URL, /static/.
        with Image.open(STATIC / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == sizes
            assert image.format == "PNG"
    # The maskable icon fills its square: its corners are the logo's green.
    with Image.open(STATIC / icons[("512x512", "maskable")]["src"]) as image:
        assert image.convert("RGB").getpixel((2, 2)) == (31, 122, 77)


def test_every_page_links_the_manifest_and_the_service_worker(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#1f7a4d">' in html
    assert 'data-service-worker="/sw.js"' in html


def test_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'const OFFLINE_URL = "/offline/";' in script
    # Pages go to the network; only the offline page's own files are kept.
    assert 'request.mode === "navigate"' in script
    assert "fetch(request).catch(() => caches.match(OFFLINE_URL))" in script
    assets = re.search(r"const ASSETS = \[(.*?)\];", script, re.S).group(1)
    assert re.findall(r'"([^"]+)"', assets) == [
        "/static/css/bootstrap.purged.css",
        "/static/css/pasar.css",
        "/static/img/logo.svg",
    ]
    assert client.post("/sw.js").status_code == 405


def test_offline_page_renders_without_prices_or_personal_data(client, koordinator):
    client.force_login(koordinator)
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="h3">Tidak ada sambungan internet</h1>' in html
    assert '<a class="btn btn-success" href="">Coba lagi</a>' in html
    assert "Rp" not in html
    assert koordinator.username not in html
    assert "csrfmiddlewaretoken" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert client.post("/offline/").status_code == 405
    english = Client()
    english.cookies["django_language"] = "en"
    assert "No internet connection" in english.get("/offline/").content.decode()
