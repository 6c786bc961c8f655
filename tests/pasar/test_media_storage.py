"""Media on disk or on S3-compatible storage, and code that works with either."""

import io
import json

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from catalog.services import add_product_image
from orders.models import PaymentProof
from orders.services import submit_payment_proof
from pasar.uploads import reencode_image

from ..conftest import client_for
from ..factories import ProductFactory
from ..orders.conftest import make_order
from .test_deploy import KEY, run_manage

S3 = {
    "DJANGO_SECRET_KEY": KEY,
    "DJANGO_ALLOWED_HOSTS": "pasarbahagia.id",
    "EMAIL_HOST": "smtp.pasarbahagia.id",
    "PASAR_SITE_URL": "https://pasarbahagia.id",
    "PASAR_S3_BUCKET": "pasar-media",
    "PASAR_S3_PRIVATE_BUCKET": "pasar-bukti",
    "PASAR_S3_REGION": "ap-southeast-3",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "example-secret",
}
SHOW = """
import json
from django.conf import settings
from django.core.files.storage import storages
public, private = storages["default"], storages["private"]
print(json.dumps({
    "public": [type(public).__name__, public.bucket_name, public.querystring_auth],
    "private": [
        type(private).__name__, private.bucket_name, private.default_acl,
        private.querystring_auth,
    ],
    "url": public.url("products/small/tas.webp"),
    "img_src": settings.SECURE_CSP["img-src"][2:],
}))
"""


def show(**env):
    result = run_manage("shell", "--no-imports", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_s3_with_a_custom_domain():
    shown = show(**S3, PASAR_S3_CUSTOM_DOMAIN="media.pasarbahagia.id")
    assert shown == {
        "public": ["S3Storage", "pasar-media", False],
        "private": ["S3Storage", "pasar-bukti", "private", True],
        "url": "https://media.pasarbahagia.id/products/small/tas.webp",
        "img_src": ["https://media.pasarbahagia.id"],
    }


def test_s3_compatible_endpoint_is_allowed_by_the_csp():
    shown = show(**S3, PASAR_S3_ENDPOINT_URL="https://s3.minio.bahagia.id:9000")
    assert shown["img_src"] == [
        "https://s3.minio.bahagia.id:9000",
        "https://pasar-media.s3.minio.bahagia.id:9000",
    ]


def test_aws_without_endpoint_allows_the_bucket_host():
    assert show(**S3)["img_src"] == [
        "https://pasar-media.s3.ap-southeast-3.amazonaws.com"
    ]


@pytest.mark.parametrize("private", ["", "pasar-media"])
def test_s3_refuses_to_start_without_a_separate_private_bucket(private):
    result = run_manage("check", **(S3 | {"PASAR_S3_PRIVATE_BUCKET": private}))
    assert result.returncode != 0
    assert "PASAR_S3_PRIVATE_BUCKET must name a second, non-public bucket" in (
        result.stderr
    )


def test_check_deploy_is_clean_with_s3():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **S3)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the code never assumes files on a local disk -------------------------------


def png(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_photos_and_proofs_work_on_a_storage_without_local_paths(
    settings, monkeypatch, posdaya, pengelola, koordinator
):
    # InMemoryStorage has no .path(): anything that needs a local file fails.
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    }
    private = InMemoryStorage()
    monkeypatch.setattr(PaymentProof._meta.get_field("file"), "storage", private)

    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", stock=3)
    image = add_product_image(product=product, upload=png(), by=pengelola)
    assert isinstance(image.small.storage, InMemoryStorage)
    assert (image.small_width, image.large_width) == (60, 60)
    with image.small.open("rb") as small:
        assert Image.open(small).format == "WEBP"
    page = Client().get(product.get_absolute_url()).content.decode()
    assert f'href="{image.large.url}"' in page
    assert (
        f'<img src="{image.large.url}" srcset="{image.small.url} 60w, '
        f'{image.large.url} 60w"'
    ) in page
    assert 'width="60" height="40" alt=' in page

    order = make_order({product: 1})
    proof = submit_payment_proof(
        order=order, file=reencode_image(png("bukti.png")).file, kind="image"
    )
    assert private.exists(proof.file.name)
    response = client_for(koordinator).get(f"/dasbor/pembayaran/{proof.pk}/berkas/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "WEBP"
