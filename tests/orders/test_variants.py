"""Variants from the product page to the order: cart, checkout, lines, stock."""

import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from catalog import stock
from catalog.models import Product, ProductVariant, StockMovement
from orders.cart import SESSION_KEY
from orders.models import Order, OrderLine
from orders.services import (
    OrderError,
    cancel_suborder,
    expire_due_orders,
    mark_suborder_paid,
    place_order,
)
from pasar.site import reports
from pasar.site.impact import compute_impact

from ..factories import ProductFactory, ProductMaterialFactory
from .conftest import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def bag(posdaya):
    """Tas Kopi with Motif Batik (4, product price) and Polos (2, Rp 30.000)."""
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=4)
    catalog_services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=None
    )
    catalog_services.add_variant(product=product, option1="Batik", by=None)
    polos = catalog_services.add_variant(
        product=product, option1="Polos", price=30000, by=None
    )
    catalog_services.adjust_stock(
        product=product, variant=polos, quantity=2, reason="produksi", by=None
    )
    return product


def variant(product, name):
    return ProductVariant.objects.get(product=product, option1=name)


def buy(quantities, **kwargs):
    return place_order(
        quantities=quantities,
        customer=None,
        name="Budi",
        phone=PHONE,
        delivery_method="ambil",
        checkout_token=secrets.token_urlsafe(24),
        **{"payment_method": "transfer", **kwargs},
    ).order


def stocks(product):
    return (
        Product.objects.get(pk=product.pk).stock,
        list(
            ProductVariant.objects.filter(product=product)
            .order_by("pk")
            .values_list("option1", "stock")
        ),
    )


def ledger():
    return (StockMovement.objects.count(), Order.objects.count())


# --- product page and cart -------------------------------------------------------


def test_product_page_offers_each_variant_as_a_radio(client, bag, posdaya):
    page = client.get(bag.get_absolute_url()).content.decode()
    batik, polos = variant(bag, "Batik"), variant(bag, "Polos")
    assert '<legend class="form-label small mb-1">Motif</legend>' in page
    assert (
        f'<input class="form-check-input" type="radio" name="variant" '
        f'id="variant-{batik.pk}" value="{batik.pk}" required>'
    ) in page
    assert "Polos · Rp\xa030.000 ·" in page
    assert f'value="{polos.pk}"' in page
    plain = ProductFactory(posdaya=posdaya, name="Vas Botol")
    assert 'name="variant"' not in client.get(plain.get_absolute_url()).content.decode()


def test_the_cart_is_keyed_by_product_and_variant(client, bag):
    batik, polos = variant(bag, "Batik"), variant(bag, "Polos")
    client.post(
        "/keranjang/tambah/", {"product": bag.pk, "variant": batik.pk, "quantity": 2}
    )
    response = client.post(
        "/keranjang/tambah/",
        {"product": bag.pk, "variant": polos.pk, "quantity": 1},
        follow=True,
    )
    assert client.session[SESSION_KEY] == {
        f"{bag.pk}:{batik.pk}": 2,
        f"{bag.pk}:{polos.pk}": 1,
    }
    page = response.content.decode()
    assert "Tas Kopi (Polos) masuk keranjang." in page
    assert page.count('<span class="text-muted">(Batik)</span>') == 1
    assert "Rp\xa030.000 · stok 2" in page
    # 2 × 25.000 + 1 × 30.000
    assert "Rp\xa080.000" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Pilih motif Tas Kopi terlebih dahulu."),
        ({"variant": "other"}, "Pilihan varian itu tidak ada untuk produk ini."),
        ({"variant": "abc"}, "Pilihan varian itu tidak ada untuk produk ini."),
        ({"variant": "0"}, "Pilihan varian itu tidak ada untuk produk ini."),
        (
            {"variant": "polos", "quantity": 3},
            "Stok Tas Kopi (Polos) tinggal 2. Kurangi jumlahnya.",
        ),
    ],
)
def test_bad_choices_are_refused_and_the_cart_is_unchanged(
    client, bag, posdaya, data, message
):
    other = ProductFactory(posdaya=posdaya, name="Dompet")
    catalog_services.set_variant_options(
        product=other, option1_name="Warna", option2_name="", by=None
    )
    foreign = catalog_services.add_variant(product=other, option1="Merah", by=None)
    ids = {"other": foreign.pk, "polos": variant(bag, "Polos").pk}
    form = {"product": bag.pk, "quantity": data.get("quantity", 1)}
    if "variant" in data:
        form["variant"] = ids.get(data["variant"], data["variant"])
    response = client.post("/keranjang/tambah/", form, follow=True)
    assert message in response.content.decode()
    assert client.session.get(SESSION_KEY, {}) == {}
    response = client.post(
        "/keranjang/tambah/", form, headers={"Accept": "application/json"}
    )
    assert (response.status_code, response.json()["message"]) == (400, message)


def test_a_variant_of_another_product_is_refused_in_the_cart_update(client, bag):
    batik = variant(bag, "Batik")
    client.post(
        "/keranjang/tambah/", {"product": bag.pk, "variant": batik.pk, "quantity": 1}
    )
    response = client.post(
        "/keranjang/ubah/", {"product": bag.pk, "quantity": 5}, follow=True
    )
    assert "Pilih motif Tas Kopi terlebih dahulu." in response.content.decode()
    assert client.session[SESSION_KEY] == {f"{bag.pk}:{batik.pk}": 1}


# --- checkout and the order --------------------------------------------------------


def test_checkout_reserves_the_variant_and_snapshots_its_name(bag):
    batik, polos = variant(bag, "Batik"), variant(bag, "Polos")
    order = buy({(bag.pk, batik.pk): 3, (bag.pk, polos.pk): 2})
    assert order.items_total == 3 * 25000 + 2 * 30000
    lines = list(
        OrderLine.objects.filter(suborder__order=order).values_list(
            "variant__option1", "variant_name", "unit_price", "quantity", "line_total"
        )
    )
    assert lines == [
        ("Batik", "Batik", 25000, 3, 75000),
        ("Polos", "Polos", 30000, 2, 60000),
    ]
    assert stocks(bag) == (1, [("Batik", 1), ("Polos", 0)])
    assert list(
        StockMovement.objects.filter(kind="order")
        .order_by("pk")
        .values_list(
            "variant__option1", "quantity", "stock_after", "variant_stock_after"
        )
    ) == [("Batik", -3, 3, 1), ("Polos", -2, 1, 0)]
    assert stock.mismatches() == []


def test_the_line_keeps_the_variant_name_after_a_rename(client, bag):
    batik = variant(bag, "Batik")
    order = buy({(bag.pk, batik.pk): 1})
    catalog_services.update_variant(
        variant=batik, option1="Batik Mega Mendung", by=None
    )
    line = OrderLine.objects.get(suborder__order=order)
    assert (line.variant_name, line.display_name) == ("Batik", "Tas Kopi (Batik)")
    page = client.get(f"/pesanan/{order.code}/?t={order.secret}").content.decode()
    assert "Tas Kopi (Batik)" in page
    assert "Mega Mendung" not in page


def test_cancel_returns_the_stock_to_the_variant(bag, posdaya):
    batik, polos = variant(bag, "Batik"), variant(bag, "Polos")
    order = buy({(bag.pk, batik.pk): 2, (bag.pk, polos.pk): 1})
    cancel_suborder(suborder=order.suborders.get(), by=None, reason="habis bahan")
    assert stocks(bag) == (6, [("Batik", 4), ("Polos", 2)])
    assert list(
        StockMovement.objects.filter(kind="release")
        .order_by("pk")
        .values_list(
            "variant__option1", "quantity", "stock_after", "variant_stock_after"
        )
    ) == [("Batik", 2, 5, 4), ("Polos", 1, 6, 2)]
    assert stock.mismatches() == []


def test_expiry_returns_the_stock_to_the_variant(bag):
    polos = variant(bag, "Polos")
    buy({(bag.pk, polos.pk): 2})
    assert stocks(bag) == (4, [("Batik", 4), ("Polos", 0)])
    assert expire_due_orders(now=timezone.now() + timedelta(days=3)) == 1
    assert stocks(bag) == (6, [("Batik", 4), ("Polos", 2)])


def test_a_line_from_before_the_variants_returns_to_the_first_one(posdaya):
    product = ProductFactory(posdaya=posdaya, name="Kipas", price=10000, stock=5)
    order = buy({product.pk: 2})
    catalog_services.set_variant_options(
        product=product, option1_name="Warna", option2_name="", by=None
    )
    catalog_services.add_variant(product=product, option1="Hijau", by=None)
    cancel_suborder(suborder=order.suborders.get(), by=None, reason="batal")
    assert stocks(product) == (5, [("Hijau", 5)])
    assert stock.mismatches() == []


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", "Pilih varian Tas Kopi terlebih dahulu."),
        ("foreign", "Sebagian produk di keranjang sudah tidak tersedia."),
        ("too_many", "Stok Tas Kopi (Polos) tidak cukup: diminta 3, tersisa 2."),
    ],
)
def test_bad_order_input_is_refused_and_nothing_changes(bag, posdaya, case, message):
    polos = variant(bag, "Polos")
    other = ProductFactory(posdaya=posdaya, name="Dompet")
    catalog_services.set_variant_options(
        product=other, option1_name="Warna", option2_name="", by=None
    )
    foreign = catalog_services.add_variant(product=other, option1="Merah", by=None)
    quantities = {
        "missing": {bag.pk: 1},
        "foreign": {(bag.pk, foreign.pk): 1},
        "too_many": {(bag.pk, polos.pk): 3},
    }[case]
    before = (stocks(bag), stocks(other), ledger())
    with pytest.raises(OrderError) as refused:
        buy(quantities)
    assert refused.value.message == message
    assert (stocks(bag), stocks(other), ledger()) == before


# --- reports, low stock and impact -------------------------------------------------


def test_reports_low_stock_and_impact_count_each_variant(bag, posdaya, pengelola):
    ProductMaterialFactory(product=bag, kg_per_unit=Decimal("0.250"))
    batik, polos = variant(bag, "Batik"), variant(bag, "Polos")
    order = buy(
        {(bag.pk, batik.pk): 3, (bag.pk, polos.pk): 1},
        payment_method="bayar_di_tempat",
    )
    mark_suborder_paid(suborder=order.suborders.get(), by=pengelola)
    assert [
        (row.name, row.slug, row.stock) for row in reports.low_stock_products(posdaya)
    ] == [("Tas Kopi (Batik)", bag.slug, 1), ("Tas Kopi (Polos)", bag.slug, 1)]
    today = timezone.localdate()
    top = reports.top_products(start=today, end=today)
    assert [
        (r["product_name"], r["variant_name"], r["quantity"], r["amount"]) for r in top
    ] == [("Tas Kopi", "Batik", 3, 75000), ("Tas Kopi", "Polos", 1, 30000)]
    sheet = reports.top_products_sheet(top)
    assert [row[0] for row in sheet.rows] == ["Tas Kopi (Batik)", "Tas Kopi (Polos)"]
    # 4 units × 0.250 kg, whichever variant they were.
    assert compute_impact().overall.in_products_kg == Decimal("1.000")
    assert Product.objects.get(pk=bag.pk).sold_count == 4
