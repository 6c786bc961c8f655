"""Too-large bodies are refused before they are read: a 413 page, never a 500.

A 60 MB upload used to be received in full, then refused. Now the declared
Content-Length is checked before anything reads the body, and a file is
stopped as soon as the bytes received for it pass the upload limit.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from orders.models import PaymentProof
from pasar.uploadlimits import LimitedUploadHandler

from .test_pdf_proofs import order  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "batas"
TOO_LARGE = "Kiriman terlalu besar."


class GuardedInput:
    """A wsgi.input that serves a multipart body and fails past `allowed` bytes."""

    def __init__(self, allowed, file_bytes=0, prefix=b""):
        self.allowed = allowed
        self.read_bytes = 0
        head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="bukti.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        self.body = prefix + head
        self.file_bytes = file_bytes

    def read(self, size=-1):
        if size is None or size < 0:
            size = len(self.body) + self.file_bytes
        if self.read_bytes + size > self.allowed:
            raise AssertionError(
                f"read past {self.allowed} bytes ({self.read_bytes} + {size})"
            )
        start = self.read_bytes
        self.read_bytes += size
        data = self.body[start : start + size]
        return data + b"\x00" * (size - len(data))

    readline = read


def post(url, wsgi_input, content_length, content_type=None):
    return Client().generic(
        "POST",
        url,
        **{
            "wsgi.input": wsgi_input,
            "CONTENT_LENGTH": str(content_length),
            "CONTENT_TYPE": content_type or f"multipart/form-data; boundary={BOUNDARY}",
        },
    )


def test_a_declared_60_mb_upload_is_refused_without_reading_the_body(order):  # noqa: F811
    body = GuardedInput(allowed=0, file_bytes=60 * MB)
    response = post(f"/pesanan/{order.code}/bukti/", body, 60 * MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert TOO_LARGE in page
    assert "Batas satu kiriman 51,0\xa0MB, satu berkas 5,0\xa0MB." in page
    assert body.read_bytes == 0
    assert PaymentProof.objects.count() == 0


def test_a_file_over_the_limit_is_not_kept_and_the_form_says_so(client, order):  # noqa: F811
    big = SimpleUploadedFile("bukti.png", b"\x89PNG" + b"\x00" * (7 * MB))
    response = client.post(
        f"/pesanan/{order.code}/bukti/", {"t": order.secret, "file": big}, follow=True
    )
    assert response.status_code == 200
    assert "Berkas terlalu besar (7,0\xa0MB). Batasnya 5,0\xa0MB." in (
        response.content.decode()
    )
    assert PaymentProof.objects.count() == 0


def test_the_handler_passes_on_no_byte_past_the_limit(settings):
    settings.PASAR_MAX_UPLOAD_BYTES = 100
    handler = LimitedUploadHandler()
    handler.new_file("file", "a.png", "image/png", None, None)
    passed = [handler.receive_data_chunk(b"x" * 60, start) for start in (0, 60, 120)]
    assert passed == [b"x" * 60, None, None]
    upload = handler.file_complete(180)
    assert (upload.name, upload.size, upload.read()) == ("a.png", 180, b"")
    small = LimitedUploadHandler()
    small.new_file("file", "b.png", "image/png", None, None)
    assert small.receive_data_chunk(b"x" * 100, 0) == b"x" * 100
    assert small.file_complete(100) is None  # the next handler keeps the file


def test_too_much_form_data_is_a_413_not_a_400(order):  # noqa: F811
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = Client().post(
        f"/pesanan/{order.code}/bukti/",
        data="t=" + "a" * size,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


def test_limits():
    assert settings.PASAR_MAX_UPLOAD_BYTES == 5 * MB
    # Ten product photos of 5 MB at once, plus the form's fields.
    assert settings.PASAR_MAX_REQUEST_BYTES == 51 * MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * MB
    assert settings.FILE_UPLOAD_HANDLERS[0] == "pasar.uploadlimits.LimitedUploadHandler"
    assert settings.MIDDLEWARE.index(
        "pasar.uploadlimits.RequestSizeLimitMiddleware"
    ) < settings.MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware")
