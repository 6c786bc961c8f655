"""Branch product management: access matrix, forms, photos, stock, audit."""

import io
import struct
import uuid
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Product, ProductImage, ProductMaterial, StockMovement
from pasar.models import AuditLog
from tests.conftest import client_for, status_matrix
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    WasteCategoryFactory,
)

pytestmark = pytest.mark.django_db

OWN_ONLY = {
    "anonymous": "login",
    "shopper": 404,
    "other_staff": 404,
    "own_staff": 200,
    "koordinator": 200,
}


def png_bytes(size=(60, 40), color=(200, 50, 50), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG", **save_kwargs)
    return buffer.getvalue()


def upload(data, name="foto.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def bomb_png():
    """A tiny PNG whose header claims 20000×20000 pixels."""
    data = bytearray(png_bytes(size=(8, 8)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", 20000, 20000)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


@pytest.fixture
def category(db):
    return CategoryFactory(name="Tas", slug="tas")


@pytest.fixture
def product(posdaya, category):
    return ProductFactory(
        posdaya=posdaya,
        category=category,
        name="Tas Kopi",
        slug="tas-kopi",
        price=25000,
        stock=2,
    )


@pytest.fixture
def image(product):
    return ProductImageFactory(product=product, position=0)


def product_data(category, **overrides):
    data = {
        "product-name": "Tas Anyaman Baru",
        "product-category": category.pk,
        "product-price": "35000",
        "product-weight_grams": "300",
        "product-description": "Tas dari bungkus kopi.",
        "product-stock": "4",
        "product-publish": "on",
        "bahan-TOTAL_FORMS": "2",
        "bahan-INITIAL_FORMS": "0",
        "bahan-MIN_NUM_FORMS": "0",
        "bahan-MAX_NUM_FORMS": "10",
    }
    data.update(overrides)
    return data


def snapshot():
    return {
        "products": list(
            Product.objects.order_by("pk").values_list(
                "pk", "name", "price", "stock", "status"
            )
        ),
        "images": list(
            ProductImage.objects.order_by("pk").values_list("pk", "position")
        ),
        "movements": StockMovement.objects.count(),
        "audit": AuditLog.objects.count(),
    }


# ---- access matrix ----------------------------------------------------------


@pytest.mark.parametrize("path", ["", "baru/", "{pk}/", "{pk}/foto/", "{pk}/stok/"])
def test_get_matrix(actors, product, category, path):
    url = f"/dasbor/bahagia/produk/{path.format(pk=product.pk)}"
    assert status_matrix(actors, url) == OWN_ONLY


def post_cases(product, image, category):
    return [
        ("baru/", product_data(category), 302),
        (f"{product.pk}/", product_data(category, **{"product-price": "99000"}), 302),
        (f"{product.pk}/status/", {"action": "archive"}, 302),
        (
            f"{product.pk}/stok/",
            {"quantity": "3", "reason": "produksi", "key": str(uuid.uuid4())},
            302,
        ),
        (f"{product.pk}/foto/", {"images": upload(png_bytes())}, 302),
        (f"{product.pk}/foto/{image.pk}/", {"action": "down"}, 302),
    ]


@pytest.mark.parametrize("case", range(6))
def test_post_matrix_changes_nothing_when_denied(
    actors, product, image, category, case
):
    path, data, allowed_status = post_cases(product, image, category)[case]
    url = f"/dasbor/bahagia/produk/{path}"
    before = snapshot()
    for name in ("anonymous", "shopper", "other_staff"):
        client = getattr(actors, name)
        for value in data.values():
            if hasattr(value, "seek"):
                value.seek(0)
        response = client.post(url, data)
        expected = "login" if name == "anonymous" else 404
        status = response.status_code
        if status == 302 and "/akun/login/" in response["Location"]:
            status = "login"
        assert status == expected, name
        assert snapshot() == before, name
    for name in ("own_staff", "koordinator"):
        for value in data.values():
            if hasattr(value, "seek"):
                value.seek(0)
        assert getattr(actors, name).post(url, data).status_code == allowed_status


def test_delete_image_matrix(actors, product):
    images = [ProductImageFactory(product=product, position=n) for n in range(2)]
    before = snapshot()
    for name, answer in {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
    }.items():
        url = f"/dasbor/bahagia/produk/{product.pk}/foto/{images[0].pk}/"
        response = getattr(actors, name).post(url, {"action": "delete"})
        status = response.status_code
        if status == 302 and "/akun/login/" in response["Location"]:
            status = "login"
        assert status == answer, name
        assert snapshot() == before
    for client, target in (
        (actors.own_staff, images[0]),
        (actors.koordinator, images[1]),
    ):
        url = f"/dasbor/bahagia/produk/{product.pk}/foto/{target.pk}/"
        assert client.post(url, {"action": "delete"}).status_code == 302
    assert ProductImage.objects.count() == 0


def test_petugas_cannot_manage_products(petugas, product):
    client = client_for(petugas)
    assert client.get("/dasbor/bahagia/produk/").status_code == 404
    assert client.get(f"/dasbor/bahagia/produk/{product.pk}/").status_code == 404


def test_another_posdayas_product_is_404_under_own_slug(
    pengelola, other_posdaya, category
):
    foreign = ProductFactory(posdaya=other_posdaya, category=category, stock=5)
    client = client_for(pengelola)
    for path in ("", "foto/", "stok/"):
        url = f"/dasbor/bahagia/produk/{foreign.pk}/{path}"
        assert client.get(url).status_code == 404
    response = client.post(
        f"/dasbor/bahagia/produk/{foreign.pk}/stok/", {"quantity": "-5", "reason": "x"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.stock == 5


def test_product_list_search_and_status(pengelola, posdaya, other_posdaya, category):
    ProductFactory(posdaya=posdaya, category=category, name="Tas Merah", status="draft")
    ProductFactory(
        posdaya=posdaya, category=category, name="Dompet Biru", description=""
    )
    ProductFactory(posdaya=other_posdaya, category=category, name="Tas Lain")
    client = client_for(pengelola)
    names = lambda r: [p.name for p in r.context["products"]]  # noqa: E731
    assert sorted(names(client.get("/dasbor/bahagia/produk/"))) == [
        "Dompet Biru",
        "Tas Merah",
    ]
    assert names(client.get("/dasbor/bahagia/produk/", {"q": "tas"})) == ["Tas Merah"]
    assert names(client.get("/dasbor/bahagia/produk/", {"status": "draft"})) == [
        "Tas Merah"
    ]


# ---- create / edit -----------------------------------------------------------


def test_create_product_with_photos_materials_and_stock(pengelola, posdaya, category):
    waste = WasteCategoryFactory(name="Kemasan/sachet", slug="kemasan-sachet")
    data = product_data(
        category,
        **{"bahan-0-waste_category": waste.pk, "bahan-0-kg_per_unit": "0.150"},
    )
    data["product-images"] = [
        upload(png_bytes((1600, 1000)), "a.png"),
        upload(png_bytes((300, 200), (10, 90, 200)), "b.png"),
    ]
    response = client_for(pengelola).post("/dasbor/bahagia/produk/baru/", data)
    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dasbor/bahagia/produk/{product.pk}/"
    assert (product.name, product.slug, product.price, product.stock) == (
        "Tas Anyaman Baru",
        "tas-anyaman-baru-bahagia",
        35000,
        4,
    )
    assert product.status == "published"
    assert product.published_at is not None
    assert product.posdaya == posdaya
    images = list(product.images.all())
    assert [(i.position, i.small_width, i.small_height) for i in images] == [
        (0, 400, 250),
        (1, 300, 200),
    ]
    assert [(i.large_width, i.large_height) for i in images] == [
        (1200, 750),
        (300, 200),
    ]
    assert all(i.small.name.endswith(".webp") for i in images)
    assert [
        (m.waste_category, str(m.kg_per_unit)) for m in product.materials.all()
    ] == [(waste, "0.150")]
    movement = StockMovement.objects.get()
    assert (movement.quantity, movement.stock_after, movement.reason, movement.by) == (
        4,
        4,
        "Stok awal",
        pengelola,
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<?php echo 'hai'; ?>" * 20, "foto.jpg", "bukan foto yang bisa dibaca"),
        (bomb_png(), "bom.png", "terlalu besar"),
    ],
)
def test_rejected_upload_shows_reason_and_keeps_the_form(
    pengelola, category, data, name, message
):
    form = product_data(category)
    form["product-images"] = [upload(data, name, "image/jpeg")]
    response = client_for(pengelola).post("/dasbor/bahagia/produk/baru/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f"{name}:" in html
    assert 'value="Tas Anyaman Baru"' in html
    assert "Tas dari bungkus kopi." in html
    assert Product.objects.count() == 0


def test_oversized_upload_is_refused(pengelola, category, settings):
    settings.PASAR_MAX_UPLOAD_BYTES = 2000
    form = product_data(category)
    form["product-images"] = [upload(png_bytes((400, 400)) + b"\0" * 3000, "besar.png")]
    response = client_for(pengelola).post("/dasbor/bahagia/produk/baru/", form)
    html = response.content.decode()
    assert "Berkas terlalu besar" in html
    assert 'value="35000"' in html
    assert Product.objects.count() == 0


def test_png_with_gps_exif_is_stored_without_it(pengelola, product):
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 0.0)}  # GPSInfo
    exif[0x010F] = "KameraHP"
    data = png_bytes((800, 600), exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825) is not None
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/foto/",
        {"images": upload(data, "gps-rumah.png")},
    )
    assert response.status_code == 302
    image = product.images.get()
    for field in (image.original, image.large, image.small):
        field.open("rb")
        stored = Image.open(io.BytesIO(field.read()))
        field.close()
        assert stored.format == "WEBP"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert "gps" not in field.name
    assert (image.small_width, image.small_height) == (400, 300)


def test_images_page_rejects_a_fake_and_adds_nothing(pengelola, product):
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/foto/",
        {"images": [upload(png_bytes(), "ok.png"), upload(b"bukan foto", "x.jpg")]},
    )
    assert response.status_code == 200
    assert "x.jpg: Berkas ini bukan foto yang bisa dibaca" in response.content.decode()
    assert product.images.count() == 0


def test_reorder_and_delete_images(pengelola, product):
    first, second, third = (
        ProductImageFactory(product=product, position=n) for n in range(3)
    )
    client = client_for(pengelola)
    url = f"/dasbor/bahagia/produk/{product.pk}/foto/"
    client.post(f"{url}{third.pk}/", {"action": "up"})
    assert list(product.images.values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    client.post(f"{url}{first.pk}/", {"action": "down"})
    assert list(product.images.values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
        second.pk,
    ]
    storage, name = first.small.storage, first.small.name
    assert storage.exists(name)
    client.post(f"{url}{first.pk}/", {"action": "delete"})
    assert list(product.images.values_list("pk", flat=True)) == [third.pk, second.pk]


def test_price_change_is_audited(pengelola, product, category):
    client = client_for(pengelola)
    url = f"/dasbor/bahagia/produk/{product.pk}/"
    edit = {
        "product-name": "Tas Kopi Besar",
        "product-category": category.pk,
        "product-price": "30000",
        "product-weight_grams": "300",
        "product-description": "",
        "bahan-TOTAL_FORMS": "0",
        "bahan-INITIAL_FORMS": "0",
        "bahan-MIN_NUM_FORMS": "0",
        "bahan-MAX_NUM_FORMS": "10",
    }
    assert client.post(url, edit).status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price, product.slug, product.stock) == (
        "Tas Kopi Besar",
        30000,
        "tas-kopi",
        2,
    )
    entry = AuditLog.objects.get()
    assert (entry.action, entry.actor, entry.posdaya_id) == (
        "price_change",
        pengelola,
        product.posdaya_id,
    )
    assert (entry.before, entry.after) == ({"price": 25000}, {"price": 30000})
    # The same price again is no price change.
    client.post(url, {**edit, "product-name": "Tas Kopi"})
    assert AuditLog.objects.count() == 1


def test_invalid_price_changes_nothing(pengelola, product, category):
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/",
        {
            "product-name": "X",
            "product-category": category.pk,
            "product-price": "-5",
            "product-weight_grams": "1",
            "bahan-TOTAL_FORMS": "0",
            "bahan-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.name, product.price) == ("Tas Kopi", 25000)


def test_duplicate_material_lines_are_refused(pengelola, product, category):
    waste = WasteCategoryFactory(slug="kresek", name="Kantong kresek")
    data = product_data(
        category,
        **{
            "bahan-0-waste_category": waste.pk,
            "bahan-0-kg_per_unit": "0.1",
            "bahan-1-waste_category": waste.pk,
            "bahan-1-kg_per_unit": "0.2",
        },
    )
    response = client_for(pengelola).post(f"/dasbor/bahagia/produk/{product.pk}/", data)
    assert "Setiap jenis sampah cukup satu baris." in response.content.decode()
    assert ProductMaterial.objects.count() == 0


def test_publish_unpublish_archive(pengelola, product, client):
    product.status = "draft"
    product.published_at = None
    product.save()
    staff = client_for(pengelola)
    url = f"/dasbor/bahagia/produk/{product.pk}/status/"
    assert client.get("/produk/tas-kopi/").status_code == 404
    staff.post(url, {"action": "publish"})
    product.refresh_from_db()
    assert product.status == "published"
    assert product.published_at is not None
    assert client.get("/produk/tas-kopi/").status_code == 200
    staff.post(url, {"action": "archive"})
    assert client.get("/produk/tas-kopi/").status_code == 404
    staff.post(url, {"action": "hapus-semua"})
    product.refresh_from_db()
    assert product.status == "archived"


# ---- stock -------------------------------------------------------------------


def test_stock_adjustment_records_movement_and_audit(pengelola, product):
    client = client_for(pengelola)
    url = f"/dasbor/bahagia/produk/{product.pk}/stok/"
    response = client.post(
        url,
        {"quantity": "5", "reason": "Produksi minggu ini", "key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.stock == 7
    movement = StockMovement.objects.exclude(reason="Stok awal").get()
    assert (
        movement.kind,
        movement.quantity,
        movement.stock_after,
        movement.reason,
        movement.by,
    ) == ("adjustment", 5, 7, "Produksi minggu ini", pengelola)
    entry = AuditLog.objects.get()
    assert (entry.action, entry.before, entry.after, entry.note) == (
        "stock_adjustment",
        {"stock": 2},
        {"stock": 7},
        "Produksi minggu ini",
    )
    page = client.get(url).content.decode()
    assert "Produksi minggu ini" in page


def test_stock_cannot_go_below_zero(pengelola, product):
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/stok/",
        {"quantity": "-3", "reason": "rusak", "key": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "Stok tidak cukup: sisa 2, akan dikurangi 3." in response.content.decode()
    product.refresh_from_db()
    assert product.stock == 2
    assert StockMovement.objects.exclude(reason="Stok awal").count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize(
    "data", [{"quantity": "0", "reason": "x"}, {"quantity": "2"}, {"quantity": "a"}]
)
def test_stock_form_rejects_bad_input(pengelola, product, data):
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/stok/", data
    )
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.stock == 2
    assert StockMovement.objects.exclude(reason="Stok awal").count() == 0
