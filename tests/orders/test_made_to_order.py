"""Made to order ("dibuat sesuai pesanan"): ready stock first, the rest within
the cap, the split on the line, the promised date on the POSDAYA's page.

The open count is freed exactly once: when the sub-order is cancelled or
expires before it ships (only the ready units go back to stock), or when it
is shipped or ready for pickup (the units are made).
"""

import datetime as dt
import io
import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from catalog import services as catalog_services
from catalog import stock
from catalog.errors import NotForSaleError, PriceChangedError
from catalog.models import Category, Product, ProductVariant, StockMovement
from notifications.models import Message
from orders.models import Order, OrderLine, SubOrder
from orders.services import (
    OutOfStockError,
    advance_suborder,
    cancel_suborder,
    expire_due_orders,
    place_order,
)
from pasar.models import AuditLog

from ..conftest import client_for
from ..factories import ProductFactory
from .conftest import PHONE
from .test_checkout import confirm, form_data

pytestmark = pytest.mark.django_db

SEVEN_DAYS = {"made_to_order": True, "lead_time_days": 7, "made_to_order_cap": 5}
PLACED = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def made_to_order(product, terms=SEVEN_DAYS):
    catalog_services.update_product(
        product=product,
        by=None,
        category=product.category,
        name=product.name,
        price=product.price,
        description=product.description,
        weight_grams=product.weight_grams,
        made_to_order=terms,
    )
    product.refresh_from_db()
    return product


@pytest.fixture
def tas(posdaya):
    """Tas Kopi: 2 ready, made to order in 7 days, at most 5 open."""
    return made_to_order(
        ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=2)
    )


def buy(quantities, *, payment="transfer", now=None):
    return place_order(
        quantities={
            (key.product_id, key.pk) if isinstance(key, ProductVariant) else key.pk: q
            for key, q in quantities.items()
        },
        customer=None,
        name="Budi",
        phone=PHONE,
        delivery_method="ambil",
        payment_method=payment,
        checkout_token=secrets.token_urlsafe(24),
        now=now,
    ).order


def counts(product):
    product = Product.objects.get(pk=product.pk)
    return product.stock, product.open_made_to_order


def test_ready_stock_is_used_first_and_the_split_is_on_the_line(tas):
    order = buy({tas: 5}, now=PLACED)
    line = OrderLine.objects.get(suborder__order=order)
    assert (line.quantity, line.ready_quantity, line.made_to_order_quantity) == (
        5,
        2,
        3,
    )
    assert line.lead_time_days == 7
    assert counts(tas) == (0, 3)
    assert list(
        StockMovement.objects.filter(product=tas, kind="order").values_list(
            "quantity", "stock_after"
        )
    ) == [(-2, 0)]
    assert order.suborders.get().promised_date == dt.date(2026, 1, 12)
    assert stock.mismatches() == []


def test_a_line_within_the_ready_stock_has_no_promised_date(tas):
    order = buy({tas: 2})
    line = OrderLine.objects.get(suborder__order=order)
    assert (line.made_to_order_quantity, line.lead_time_days) == (0, 0)
    assert order.suborders.get().promised_date is None
    assert counts(tas) == (0, 0)


def test_beyond_the_cap_is_refused_and_nothing_changes(tas, posdaya):
    vas = ProductFactory(posdaya=posdaya, name="Vas Botol", price=15000, stock=4)
    before = (
        Order.objects.count(),
        StockMovement.objects.count(),
        counts(tas),
        counts(vas),
    )
    with pytest.raises(OutOfStockError) as refused:
        buy({tas: 8, vas: 1})
    assert str(refused.value) == (
        "Pesanan dibuat untuk Tas Kopi sudah penuh: bisa dipesan paling banyak "
        "7 lagi, diminta 8."
    )
    after = (
        Order.objects.count(),
        StockMovement.objects.count(),
        counts(tas),
        counts(vas),
    )
    assert after == before == (0, 2, (2, 0), (4, 0))


def test_the_cap_counts_the_units_still_open(tas):
    buy({tas: 5})
    with pytest.raises(OutOfStockError) as refused:
        buy({tas: 3})
    assert str(refused.value) == (
        "Pesanan dibuat untuk Tas Kopi sudah penuh: bisa dipesan paling banyak "
        "2 lagi, diminta 3."
    )
    buy({tas: 2})
    assert counts(tas) == (0, 5)


def test_cancel_frees_the_cap_and_returns_only_the_ready_units(tas):
    order = buy({tas: 5})
    cancel_suborder(suborder=order.suborders.get(), by=None, reason="Batal")
    assert counts(tas) == (2, 0)
    assert list(
        StockMovement.objects.filter(product=tas, kind="release").values_list(
            "quantity", "stock_after"
        )
    ) == [(2, 2)]
    assert stock.mismatches() == []


def test_expiry_frees_the_cap_and_returns_only_the_ready_units(tas):
    order = buy({tas: 4})
    assert counts(tas) == (0, 2)
    assert expire_due_orders(now=order.expires_at + dt.timedelta(minutes=1)) == 1
    assert counts(tas) == (2, 0)
    assert stock.mismatches() == []


def test_ready_for_pickup_frees_the_count_once_and_a_later_cancel_returns_all(tas):
    order = buy({tas: 5}, payment="bayar_di_tempat")
    suborder = order.suborders.get()
    advance_suborder(suborder=suborder, to_status=SubOrder.Status.PROCESSING, by=None)
    assert counts(tas) == (0, 3)
    advance_suborder(suborder=suborder, to_status=SubOrder.Status.READY, by=None)
    # Made: no longer open, and the cap is free for new orders.
    assert counts(tas) == (0, 0)
    # Cancelled at the counter: all five bags exist now and go on the shelf.
    cancel_suborder(suborder=suborder, by=None, reason="Tidak diambil")
    assert counts(tas) == (5, 0)
    assert stock.mismatches() == []


def test_a_variant_made_to_order(posdaya):
    product = ProductFactory(posdaya=posdaya, name="Dompet", price=20000, stock=3)
    catalog_services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=None
    )
    batik = catalog_services.add_variant(product=product, option1="Batik", by=None)
    polos = catalog_services.add_variant(
        product=product,
        option1="Polos",
        by=None,
        made_to_order={
            "made_to_order": True,
            "lead_time_days": 10,
            "made_to_order_cap": 2,
        },
    )
    order = buy({batik: 1, polos: 2}, now=PLACED)
    lines = {
        line.variant_name: (line.ready_quantity, line.made_to_order_quantity)
        for line in OrderLine.objects.filter(suborder__order=order)
    }
    assert lines == {"Batik": (1, 0), "Polos": (0, 2)}
    assert ProductVariant.objects.get(pk=polos.pk).open_made_to_order == 2
    assert counts(product) == (2, 0)
    assert order.suborders.get().promised_date == dt.date(2026, 1, 15)
    with pytest.raises(OutOfStockError) as refused:
        buy({polos: 1})
    assert str(refused.value) == (
        "Pesanan dibuat untuk Dompet (Polos) sudah penuh: bisa dipesan paling "
        "banyak 0 lagi, diminta 1."
    )
    cancel_suborder(suborder=order.suborders.get(), by=None, reason="Batal")
    assert ProductVariant.objects.get(pk=polos.pk).open_made_to_order == 0
    assert ProductVariant.objects.get(pk=batik.pk).stock == 3
    assert counts(product) == (3, 0)
    assert stock.mismatches() == []
    assert stock.variant_mismatches() == []


# --- the pengelola's forms ---------------------------------------------------


def edit_data(product, **overrides):
    return {
        "product-name": product.name,
        "product-category": product.category_id,
        "product-price": str(product.price),
        "product-weight_grams": str(product.weight_grams),
        "product-description": "",
        "bahan-TOTAL_FORMS": "0",
        "bahan-INITIAL_FORMS": "0",
        **overrides,
    }


@pytest.mark.parametrize(
    ("lead", "cap", "message"),
    [
        ("0", "5", "Isi lama pembuatan antara 1 dan 90 hari."),
        ("91", "5", "Isi lama pembuatan antara 1 dan 90 hari."),
        ("", "5", "Isi lama pembuatan antara 1 dan 90 hari."),
        ("7", "0", "Isi batas pesanan dibuat, paling sedikit 1 unit."),
        ("7", "", "Isi batas pesanan dibuat, paling sedikit 1 unit."),
    ],
)
def test_bad_made_to_order_terms_are_refused(pengelola, posdaya, lead, cap, message):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", stock=2)
    response = client_for(pengelola).post(
        f"/dasbor/bahagia/produk/{product.pk}/",
        edit_data(
            product,
            **{
                "product-made_to_order": "on",
                "product-lead_time_days": lead,
                "product-made_to_order_cap": cap,
            },
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    product.refresh_from_db()
    assert (product.made_to_order, product.lead_time_days) == (False, None)


def test_the_product_form_marks_and_unmarks_made_to_order(pengelola, posdaya):
    product = ProductFactory(posdaya=posdaya, name="Tas Kopi", stock=2)
    client = client_for(pengelola)
    url = f"/dasbor/bahagia/produk/{product.pk}/"
    on = {
        "product-made_to_order": "on",
        "product-lead_time_days": "14",
        "product-made_to_order_cap": "6",
    }
    assert client.post(url, edit_data(product, **on)).status_code == 302
    product.refresh_from_db()
    assert (
        product.made_to_order,
        product.lead_time_days,
        product.made_to_order_cap,
    ) == (True, 14, 6)
    page = client.get(url).content.decode()
    assert 'name="product-lead_time_days" value="14"' in page
    assert client.post(url, edit_data(product)).status_code == 302
    product.refresh_from_db()
    assert (product.made_to_order, product.lead_time_days) == (False, None)


def test_the_variant_form_marks_a_variant(pengelola, posdaya):
    product = ProductFactory(posdaya=posdaya, name="Dompet", stock=0)
    catalog_services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=None
    )
    polos = catalog_services.add_variant(product=product, option1="Polos", by=None)
    client = client_for(pengelola)
    # A product with variants is made to order per variant: no product fields.
    page = client.get(f"/dasbor/bahagia/produk/{product.pk}/").content.decode()
    assert "lead_time_days" not in page
    url = f"/dasbor/bahagia/produk/{product.pk}/varian/{polos.pk}/"
    bad = {"option1": "Polos", "made_to_order": "on", "lead_time_days": "5"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "Isi batas pesanan dibuat, paling sedikit 1 unit." in (
        response.content.decode()
    )
    assert ProductVariant.objects.get(pk=polos.pk).made_to_order is False
    good = {**bad, "made_to_order_cap": "3"}
    assert client.post(url, good).status_code == 302
    polos.refresh_from_db()
    assert (polos.made_to_order, polos.lead_time_days, polos.made_to_order_cap) == (
        True,
        5,
        3,
    )


# --- what the shopper reads --------------------------------------------------


def test_product_page_cart_and_checkout_say_when_it_ships(client, tas, settings):
    page = client.get(tas.get_absolute_url()).content.decode()
    assert "Dibuat sesuai pesanan: dikirim dalam 7 hari" in page
    assert 'max="7"' in page
    response = client.post("/keranjang/tambah/", {"product": tas.pk, "quantity": 5})
    assert response.status_code == 302
    cart = client.get("/keranjang/").content.decode()
    assert "3 dibuat sesuai pesanan: dikirim dalam 7 hari" in cart
    checkout = client.get("/checkout/").content.decode()
    assert "3 dibuat sesuai pesanan: dikirim dalam 7 hari" in checkout
    # One more than ready stock + cap: refused in the cart.
    response = client.post(
        "/keranjang/tambah/", {"product": tas.pk, "quantity": 3}, follow=True
    )
    assert "Stok Tas Kopi tinggal 7. Kurangi jumlahnya." in response.content.decode()
    assert client.session["cart"] == {str(tas.pk): 5}


def test_a_product_at_zero_stock_made_to_order_can_be_added(client, posdaya):
    kipas = made_to_order(ProductFactory(posdaya=posdaya, name="Kipas", stock=0))
    page = client.get(kipas.get_absolute_url()).content.decode()
    assert "Tambah ke keranjang" in page
    listing = client.get("/produk/").content.decode()
    assert '<span class="badge text-bg-info">Dibuat sesuai pesanan</span>' in listing
    assert "Stok habis" not in listing
    client.post("/keranjang/tambah/", {"product": kipas.pk, "quantity": 5})
    assert client.session["cart"] == {str(kipas.pk): 5}


# --- the POSDAYA's sub-order: promised date, late --------------------------


@pytest.fixture
def fixed_today(monkeypatch):
    """Set what `timezone.localdate()` (no argument) answers."""
    real = timezone.localdate

    def set_today(day):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda value=None, timezone=None: (
                day if value is None else real(value, timezone)
            ),
        )

    return set_today


def test_dashboard_shows_the_promised_date_and_highlights_it_when_late(
    tas, pengelola, fixed_today
):
    order = buy({tas: 5}, payment="bayar_di_tempat", now=PLACED)
    suborder = order.suborders.get()
    client = client_for(pengelola)
    detail_url = f"/dasbor/bahagia/pesanan/{suborder.pk}/"

    fixed_today(dt.date(2026, 1, 12))
    listing = client.get("/dasbor/bahagia/pesanan/").content.decode()
    assert "Janji kirim: 12 Jan 2026" in listing
    assert "suborder-late" not in listing
    assert "Terlambat" not in client.get(detail_url).content.decode()

    fixed_today(dt.date(2026, 1, 13))
    listing = client.get("/dasbor/bahagia/pesanan/").content.decode()
    assert "suborder-late" in listing
    assert "Janji kirim: 12 Jan 2026 · <strong>Terlambat</strong>" in listing
    detail = client.get(detail_url).content.decode()
    assert "Janji kirim: 12 Jan 2026 · <strong>Terlambat</strong>" in detail
    assert "2 siap, 3 dibuat sesuai pesanan (dikirim dalam 7 hari)" in detail

    # Ready for pickup: no longer late, the promise is kept.
    advance_suborder(suborder=suborder, to_status=SubOrder.Status.PROCESSING, by=None)
    advance_suborder(suborder=suborder, to_status=SubOrder.Status.READY, by=None)
    listing = client.get("/dasbor/bahagia/pesanan/").content.decode()
    assert "Janji kirim: 12 Jan 2026" in listing
    assert "suborder-late" not in listing


def test_checkout_over_the_cap_is_refused_with_the_message(client, tas):
    client.post("/keranjang/tambah/", {"product": tas.pk, "quantity": 5})
    data = form_data(client)
    review = client.post("/checkout/", data)
    assert "3 dibuat sesuai pesanan: dikirim dalam 7 hari" in review.content.decode()
    # Meanwhile another shopper takes 3 made-to-order units: 4 left of 5.
    buy({tas: 3})
    final = dict(data, expected_total=review.context["summary"].total, confirm="1")
    response = client.post("/checkout/", final)
    assert response.status_code == 200
    assert (
        "Pesanan dibuat untuk Tas Kopi sudah penuh: bisa dipesan paling banyak "
        "4 lagi, diminta 5."
    ) in response.content.decode()
    assert Order.objects.count() == 1
    assert counts(tas) == (0, 1)
    assert client.session["cart"] == {str(tas.pk): 5}


def test_checkout_places_the_split_and_the_order_page_shows_it(client, tas):
    client.post("/keranjang/tambah/", {"product": tas.pk, "quantity": 4})
    response = confirm(client, form_data(client))
    assert response.status_code == 302
    line = OrderLine.objects.get()
    assert (line.ready_quantity, line.made_to_order_quantity) == (2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "2 siap, 2 dibuat sesuai pesanan (dikirim dalam 7 hari)" in page
    promised = timezone.localdate() + dt.timedelta(days=7)
    assert f"Janji kirim: {promised.day} " in page


def test_turned_off_with_units_open_they_are_still_freed_exactly(tas):
    order = buy({tas: 4})
    made_to_order(
        tas, {"made_to_order": False, "lead_time_days": None, "made_to_order_cap": None}
    )
    assert counts(tas) == (0, 2)
    cancel_suborder(suborder=order.suborders.get(), by=None, reason="Batal")
    assert counts(tas) == (2, 0)


def test_recompute_balances_finds_and_mends_a_wrong_open_count(tas):
    buy({tas: 4})  # 2 ready, 2 made
    call_command("recompute_balances", stdout=io.StringIO())
    Product.objects.filter(pk=tas.pk).update(open_made_to_order=5)  # by hand
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("recompute_balances", stdout=out)
    assert (
        "made to order: Tas Kopi: open made-to-order 5, open order lines hold 2"
        in out.getvalue()
    )
    call_command("recompute_balances", "--fix", stdout=io.StringIO())
    assert counts(tas) == (0, 2)
    audit = AuditLog.objects.get(action=AuditLog.Action.STOCK_ADJUSTMENT)
    assert (audit.before, audit.after) == (
        {"item": "Tas Kopi", "open_made_to_order": 5},
        {"item": "Tas Kopi", "open_made_to_order": 2},
    )
    call_command("recompute_balances", stdout=io.StringIO())


def test_a_made_to_order_product_unpublished_meanwhile_is_not_for_sale(tas):
    Product.objects.filter(pk=tas.pk).update(status=Product.Status.DRAFT)
    with transaction.atomic(), pytest.raises(NotForSaleError) as refused:
        stock.reserve(quantities={tas: 4}, reason="x", by=None)
    assert str(refused.value) == "Tas Kopi sudah tidak dijual. Hapus dari keranjang."
    assert counts(tas) == (2, 0)


def test_a_made_to_order_product_repriced_meanwhile_is_refused(tas):
    Product.objects.filter(pk=tas.pk).update(price=30000)
    with transaction.atomic(), pytest.raises(PriceChangedError):
        stock.reserve(quantities={tas: 4}, reason="x", by=None)
    assert counts(tas) == (2, 0)


def test_the_emails_say_the_promised_date(tas, pengelola):
    place_order(
        quantities={tas.pk: 5},
        customer=None,
        name="Budi",
        phone=PHONE,
        email="budi@contoh.id",
        delivery_method="ambil",
        payment_method="transfer",
        checkout_token=secrets.token_urlsafe(24),
        now=PLACED,
    )
    # The messages were queued in the order's transaction (the outbox).
    bodies = {
        message.recipient: message.body
        for message in Message.objects.filter(channel="email")
    }
    assert "Janji kirim: 12 Jan 2026\n" in bodies["budi@contoh.id"]
    staff = bodies[pengelola.email]
    assert "- Tas Kopi × 5 (3 dibuat sesuai pesanan)\nJanji kirim: 12 Jan 2026\n" in (
        staff
    )


def test_the_pengelola_sees_the_open_units_of_the_cap(tas, pengelola, posdaya):
    buy({tas: 4})
    page = client_for(pengelola).get(f"/dasbor/bahagia/produk/{tas.pk}/")
    assert (
        "Dibuat sesuai pesanan dalam 7 hari · 2 dari 5 unit dipesan belum dikirim"
        in page.content.decode()
    )
    dompet = ProductFactory(posdaya=posdaya, name="Dompet", stock=0)
    catalog_services.set_variant_options(
        product=dompet, option1_name="Motif", option2_name="", by=None
    )
    catalog_services.add_variant(
        product=dompet, option1="Polos", by=None, made_to_order=SEVEN_DAYS
    )
    page = client_for(pengelola).get(f"/dasbor/bahagia/produk/{dompet.pk}/varian/")
    assert (
        "Dibuat sesuai pesanan dalam 7 hari · 0 dari 5 unit dipesan belum dikirim"
        in page.content.decode()
    )


def test_a_full_cap_freed_by_pickup_is_offered_again_on_the_product_page(
    client, tas, settings, django_capture_on_commit_callbacks
):
    settings.PASAR_PAGE_CACHE = True
    order = buy({tas: 7}, payment="bayar_di_tempat")
    assert counts(tas) == (0, 5)
    page = client.get(tas.get_absolute_url()).content.decode()
    assert "Tambah ke keranjang" not in page
    assert "Dibuat sesuai pesanan: dikirim dalam 7 hari" not in page
    suborder = order.suborders.get()
    with django_capture_on_commit_callbacks(execute=True):
        advance_suborder(
            suborder=suborder, to_status=SubOrder.Status.PROCESSING, by=None
        )
        advance_suborder(suborder=suborder, to_status=SubOrder.Status.READY, by=None)
    page = client.get(tas.get_absolute_url()).content.decode()
    assert "Tambah ke keranjang" in page
    assert "Dibuat sesuai pesanan: dikirim dalam 7 hari" in page


def test_a_new_product_can_be_made_to_order(pengelola, posdaya):
    category = Category.objects.create(name="Tas", slug="tas")
    response = client_for(pengelola).post(
        "/dasbor/bahagia/produk/baru/",
        {
            "product-name": "Tas Rajut",
            "product-category": category.pk,
            "product-price": "40000",
            "product-weight_grams": "300",
            "product-description": "",
            "product-stock": "0",
            "product-publish": "on",
            "product-made_to_order": "on",
            "product-lead_time_days": "21",
            "product-made_to_order_cap": "4",
            "bahan-TOTAL_FORMS": "0",
            "bahan-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="Tas Rajut")
    assert (
        product.stock,
        product.made_to_order,
        product.lead_time_days,
        product.made_to_order_cap,
        product.open_made_to_order,
    ) == (0, True, 21, 4, 0)


def test_queries_of_a_made_to_order_reservation(
    tas, posdaya, django_assert_num_queries
):
    plain = ProductFactory(posdaya=posdaya, name="Vas", price=15000, stock=9)
    with django_assert_num_queries(19):
        buy({plain: 5})
    # Within the ready stock a made-to-order product costs nothing more...
    with django_assert_num_queries(19):
        buy({tas: 1})
    # ...beyond it, the row lock and the conditional UPDATE with the cap.
    with django_assert_num_queries(21):
        buy({tas: 4})
    assert counts(tas) == (0, 3)


def test_product_page_queries_of_a_made_to_order_product(
    client, tas, posdaya, django_assert_num_queries
):
    plain = ProductFactory(posdaya=posdaya, name="Vas", price=15000, stock=9)
    with django_assert_num_queries(4):
        client.get(plain.get_absolute_url())
    Product.objects.filter(pk=tas.pk).update(stock=0)
    with django_assert_num_queries(4):
        page = client.get(tas.get_absolute_url())
    assert "Dibuat sesuai pesanan: dikirim dalam 7 hari" in page.content.decode()


def test_the_variant_picker_offers_a_made_to_order_variant_at_zero_stock(
    client, posdaya
):
    product = ProductFactory(posdaya=posdaya, name="Dompet", price=20000, stock=0)
    catalog_services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=None
    )
    batik = catalog_services.add_variant(product=product, option1="Batik", by=None)
    polos = catalog_services.add_variant(
        product=product, option1="Polos", by=None, made_to_order=SEVEN_DAYS
    )
    page = client.get(product.get_absolute_url()).content.decode()
    assert f'value="{batik.pk}" required disabled>' in page
    assert f'value="{polos.pk}" required>' in page
    assert "dibuat sesuai pesanan: dikirim dalam 7 hari" in page
    client.post(
        "/keranjang/tambah/",
        {"product": product.pk, "variant": polos.pk, "quantity": 2},
    )
    assert client.session["cart"] == {f"{product.pk}:{polos.pk}": 2}
    cart = client.get("/keranjang/").content.decode()
    assert "2 dibuat sesuai pesanan: dikirim dalam 7 hari" in cart


def test_the_available_filter_lists_what_can_still_be_made(posdaya, client):
    """ "Hanya yang tersedia" means orderable now: ready stock, or room under
    the cap of the product or of one of its variants."""
    ready = ProductFactory(posdaya=posdaya, name="Tas Siap", stock=2)
    ProductFactory(posdaya=posdaya, name="Tas Habis", stock=0)
    made = made_to_order(ProductFactory(posdaya=posdaya, name="Tas Dibuat", stock=0))
    full = made_to_order(ProductFactory(posdaya=posdaya, name="Tas Penuh", stock=0))
    Product.objects.filter(pk=full.pk).update(open_made_to_order=5)  # cap reached
    motif = ProductFactory(posdaya=posdaya, name="Tas Motif", stock=0)
    catalog_services.set_variant_options(
        product=motif, option1_name="Motif", option2_name="", by=None
    )
    catalog_services.add_variant(product=motif, option1="Polos", by=None)
    catalog_services.add_variant(
        product=motif, option1="Batik", by=None, made_to_order=SEVEN_DAYS
    )
    assert set(Product.objects.in_stock().values_list("name", flat=True)) == {
        ready.name,
        made.name,
        motif.name,
    }
    response = client.get("/produk/", {"tersedia": "1"})
    assert sorted(p.name for p in response.context["products"]) == [
        "Tas Dibuat",
        "Tas Motif",
        "Tas Siap",
    ]
