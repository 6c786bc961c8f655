"""Upload validation: decode, size limit, bombs, metadata stripped."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from pasar.uploads import clean_pdf, open_image, reencode_image


def image_bytes(fmt="PNG", size=(40, 30), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 50, 50)).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def declared_size_png(width, height):
    """A small valid PNG with its IHDR rewritten to claim another size."""
    data = bytearray(image_bytes("PNG", size=(8, 8)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_text_file_renamed_jpg_is_refused():
    with pytest.raises(ValidationError) as error:
        open_image(upload(b"<?php echo 'hai'; ?>" * 10))
    assert error.value.code == "not_image"


def test_oversized_file_is_refused(settings):
    settings.PASAR_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        open_image(upload(b"x" * 1001))
    assert error.value.code == "too_large"
    assert "1000" in error.value.messages[0] or "1,0" in error.value.messages[0]


def test_gif_is_refused_even_though_pillow_reads_it():
    with pytest.raises(ValidationError) as error:
        open_image(upload(image_bytes("GIF"), name="a.gif"))
    assert error.value.code == "format"


def test_decompression_bomb_is_refused():
    # A tiny PNG whose header declares 20000×20000 pixels: refused before decoding.
    data = declared_size_png(20000, 20000)
    with pytest.raises(ValidationError) as error:
        open_image(upload(data, name="bom.png"))
    assert error.value.code in {"bomb", "too_many_pixels"}


def test_gps_exif_is_stripped():
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 0.0)}  # GPSInfo
    exif[0x010F] = "KameraHP"
    data = image_bytes("PNG", exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825) is not None
    rendition = reencode_image(upload(data, name="gps.png"))
    clean = Image.open(io.BytesIO(rendition.file.read()))
    assert clean.format == "WEBP"
    assert dict(clean.getexif()) == {}
    assert "exif" not in clean.info
    assert (rendition.width, rendition.height) == (40, 30)
    assert rendition.file.name.endswith(".webp")
    assert "gps" not in rendition.file.name


def test_pdf_accepted_and_fake_pdf_refused():
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(buffer)
    stored = clean_pdf(upload(buffer.getvalue(), name="bukti.pdf"))
    assert len(PdfReader(io.BytesIO(stored.read())).pages) == 1
    with pytest.raises(ValidationError):
        clean_pdf(upload(b"MZ\x90\x00 not a pdf", name="bukti.pdf"))
