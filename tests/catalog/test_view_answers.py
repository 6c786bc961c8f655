"""Every catalog button and form answers exactly: status, where, what it says.

Written before the views moved onto ServiceFormView / ServiceActionView and
run against both versions, so the move changed no answer.
"""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Category, Product
from tests.conftest import client_for
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def answer(client, url, data=None):
    """Return (status, Location, [(level, text)]) of a POST, messages as shown next."""
    response = client.post(url, data or {})
    location = response.get("Location", "")
    shown = client.get(location) if location.startswith("/") else response
    return (
        response.status_code,
        location,
        [(m.tags, str(m)) for m in shown.context["messages"]],
    )


@pytest.fixture
def product(posdaya):
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=2)


def test_category_buttons(koordinator, posdaya):
    client = client_for(koordinator)
    base = "/dasbor/induk/kategori/"
    assert answer(client, f"{base}baru/", {"name": "Tikar", "order": 1}) == (
        302,
        base,
        [("success", "Kategori Tikar disimpan.")],
    )
    tikar = Category.objects.get()
    assert answer(
        client, f"{base}{tikar.pk}/", {"name": "Tikar Pandan", "order": 1}
    ) == (
        302,
        base,
        [("success", "Kategori Tikar Pandan disimpan.")],
    )
    refused = client.post(f"{base}{tikar.pk}/", {"name": "", "order": 1})
    assert (refused.status_code, refused.context["category"]) == (200, tikar)
    ProductFactory(posdaya=posdaya, category=tikar)
    assert answer(client, f"{base}{tikar.pk}/hapus/") == (
        302,
        base,
        [
            (
                "danger",
                "Kategori Tikar Pandan masih dipakai 1 produk. Pindahkan produknya "
                "ke kategori lain dulu.",
            )
        ],
    )
    unused = CategoryFactory(name="Lampu", slug="lampu")
    assert answer(client, f"{base}{unused.pk}/hapus/") == (
        302,
        base,
        [("success", "Kategori Lampu dihapus.")],
    )
    assert client.post(f"{base}999999/hapus/").status_code == 404
    assert client.post(f"{base}999999/", {"name": "X"}).status_code == 404
    assert answer(client, f"{base}bawaan/") == (
        302,
        base,
        [("success", "13 kategori bawaan ditambahkan.")],
    )
    assert answer(client, f"{base}bawaan/") == (
        302,
        base,
        [("info", "Semua kategori bawaan sudah ada.")],
    )
    assert client.get(f"{base}bawaan/").status_code == 405


def test_product_buttons(pengelola, product, other_posdaya):
    client = client_for(pengelola)
    base = f"/dasbor/bahagia/produk/{product.pk}/"
    assert answer(client, f"{base}status/", {"action": "hapus"}) == (
        302,
        base,
        [("danger", "Tindakan tidak dikenal.")],
    )
    assert answer(client, f"{base}status/", {}) == (
        302,
        base,
        [("danger", "Tindakan tidak dikenal.")],
    )
    for action, message in (
        ("unpublish", "Produk dijadikan draf."),
        ("publish", "Produk ditayangkan."),
        ("archive", "Produk diarsipkan."),
    ):
        assert answer(client, f"{base}status/", {"action": action}) == (
            302,
            base,
            [("success", message)],
        )
    first, second = (ProductImageFactory(product=product, position=n) for n in (0, 1))
    photos = f"{base}foto/"
    assert answer(client, f"{photos}{second.pk}/", {"action": "up"}) == (
        302,
        photos,
        [],
    )
    assert answer(client, f"{photos}{second.pk}/", {"action": "putar"}) == (
        302,
        photos,
        [],
    )
    assert answer(client, f"{photos}{first.pk}/", {"action": "delete"}) == (
        302,
        photos,
        [("success", "Foto dihapus.")],
    )
    assert client.post(f"{photos}999999/", {"action": "delete"}).status_code == 404
    assert answer(client, photos, {"images": png()}) == (
        302,
        photos,
        [("success", "Foto ditambahkan.")],
    )
    refused = client.post(photos, {})
    assert (refused.status_code, refused.context["form"].errors) == (
        200,
        {"images": ["Pilih minimal satu foto."]},
    )
    stock = f"{base}stok/"
    key = str(uuid.uuid4())
    assert answer(
        client, stock, {"quantity": "3", "reason": "produksi", "key": key}
    ) == (
        302,
        stock,
        [("success", "Stok Tas Kopi sekarang 5.")],
    )
    refused = client.post(
        stock, {"quantity": "-9", "reason": "rusak", "key": str(uuid.uuid4())}
    )
    assert (refused.status_code, refused.context["form"].errors) == (
        200,
        {"quantity": ["Stok tidak cukup: sisa 5, akan dikurangi 9."]},
    )
    foreign = ProductFactory(posdaya=other_posdaya)
    for path in ("status/", "foto/", "stok/", ""):
        url = f"/dasbor/bahagia/produk/{foreign.pk}/{path}"
        assert client.post(url, {"action": "archive"}).status_code == 404
    assert Product.objects.get(pk=foreign.pk).status == "published"


def test_product_form_answers(pengelola, posdaya):
    category = CategoryFactory(name="Tas", slug="tas")
    client = client_for(pengelola)
    data = {
        "product-name": "Tas Baru",
        "product-category": category.pk,
        "product-price": "35000",
        "product-weight_grams": "300",
        "product-description": "",
        "product-stock": "0",
        "bahan-TOTAL_FORMS": "0",
        "bahan-INITIAL_FORMS": "0",
    }
    status, location, shown = answer(client, "/dasbor/bahagia/produk/baru/", data)
    product = Product.objects.get()
    assert (status, location, shown) == (
        302,
        f"/dasbor/bahagia/produk/{product.pk}/",
        [("success", "Produk Tas Baru disimpan.")],
    )
    edit = {**data, "product-name": "Tas Lama"}
    assert answer(client, location, edit) == (
        302,
        location,
        [("success", "Perubahan Tas Lama disimpan.")],
    )
    page = client.get(location)
    assert (page.context["creating"], page.context["product"]) == (False, product)
    assert page.context["formset"].prefix == "bahan"
    bad = {**data, "product-images": SimpleUploadedFile("x.jpg", b"bukan foto")}
    refused = client.post("/dasbor/bahagia/produk/baru/", bad)
    assert refused.status_code == 200
    assert refused.context["creating"] is True
    assert list(refused.context["form"].errors) == ["images"]
    assert Product.objects.count() == 1


def test_a_photo_the_service_refuses_shows_on_the_form(pengelola, product):
    for position in range(10):
        ProductImageFactory(product=product, position=position)
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/foto/", {"images": [png(), png()]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "images": ["Paling banyak 10 foto per produk."]
    }
    assert product.images.count() == 10
