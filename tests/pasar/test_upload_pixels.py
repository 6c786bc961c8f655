"""Pixel caps per kind of upload, read from the header before any decoding.

A 185 KiB PNG can declare 7,740 × 7,740 pixels: decoding it costs seconds of
CPU and ~600 MB. The header alone tells the size, so the refusal must come
before Pillow decodes a single row.
"""

import io
import secrets
import struct
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from orders.models import PaymentProof
from orders.services import place_order
from pasar.uploads import (
    POSDAYA_PHOTO_MAX_PIXELS,
    PRODUCT_PHOTO_MAX_PIXELS,
    PROOF_MAX_PIXELS,
    open_image,
    reencode_image,
)

from ..conftest import client_for
from ..factories import ProductFactory


def png_declaring(width, height):
    """A valid 8×8 PNG whose IHDR claims `width`×`height` (CRC fixed up)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 60)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data, name="foto.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def decode_spy():
    """Record every full decode of a file's pixels (ImageFile.load)."""
    calls = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        calls.append(self.size)
        return real_load(self)

    with mock.patch.object(ImageFile.ImageFile, "load", load):
        yield calls


def test_caps_per_kind():
    # A phone screenshot is at most about 4000×4000; a product photo ~40 Mpx.
    assert PROOF_MAX_PIXELS == 4000 * 4000
    assert PRODUCT_PHOTO_MAX_PIXELS == 40_000_000
    assert POSDAYA_PHOTO_MAX_PIXELS == 40_000_000


@pytest.mark.parametrize(
    ("max_pixels", "limit"),
    [
        (PROOF_MAX_PIXELS, "16 juta"),
        (PRODUCT_PHOTO_MAX_PIXELS, "40 juta"),
        (POSDAYA_PHOTO_MAX_PIXELS, "40 juta"),
    ],
)
def test_huge_declared_size_is_refused_before_decoding(max_pixels, limit, decode_spy):
    data = png_declaring(7740, 7740)
    assert len(data) < 1024
    with pytest.raises(ValidationError) as error:
        open_image(upload(data), max_pixels=max_pixels)
    assert error.value.code == "too_many_pixels"
    assert error.value.messages == [
        f"Foto terlalu besar: 7740×7740 piksel. Batasnya {limit} piksel; "
        "kecilkan atau potong fotonya lalu unggah lagi."
    ]
    assert decode_spy == []


def test_screenshot_sized_proof_passes_and_one_pixel_more_is_refused(decode_spy):
    assert reencode_image(upload(png(4000, 4000)), max_pixels=PROOF_MAX_PIXELS)
    assert decode_spy  # decoded once it passed the cap
    decode_spy.clear()
    with pytest.raises(ValidationError):
        open_image(upload(png_declaring(4000, 4001)), max_pixels=PROOF_MAX_PIXELS)
    assert decode_spy == []


def test_product_photo_over_a_screenshot_is_still_a_product_photo():
    image = open_image(upload(png(5000, 4000)))  # default: a product photo
    assert image.size == (5000, 4000)


@pytest.mark.django_db
def test_proof_of_transfer_form_refuses_a_huge_png_without_decoding(
    client, posdaya, decode_spy
):
    product = ProductFactory(posdaya=posdaya, price=25000, stock=5)
    order = place_order(
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
    response = client.post(
        f"/pesanan/{order.code}/bukti/",
        {"t": order.secret, "file": upload(png_declaring(7740, 7740), "bukti.png")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Foto terlalu besar: 7740×7740 piksel. Batasnya 16 juta piksel" in (
        response.content.decode()
    )
    assert PaymentProof.objects.count() == 0
    assert decode_spy == []


@pytest.mark.django_db
def test_posdaya_photo_form_uses_its_cap(posdaya, pengelola, decode_spy):
    response = client_for(pengelola).post(
        "/dasbor/bahagia/profil/",
        {
            "name": "POSDAYA Bahagia",
            "rw": "07",
            "address": "Jl. Melati",
            "profile": "",
            "whatsapp": "081311112222",
            "weighing_days": ["5"],
            "photo": upload(png_declaring(7000, 6000)),  # 42 Mpx
        },
    )
    assert response.status_code == 200
    assert "Batasnya 40 juta piksel" in response.content.decode()
    assert decode_spy == []
