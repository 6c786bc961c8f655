"""Stock hoarding: unconfirmed cash orders expire, caps and a throttle refuse.

One anonymous client used to reserve every unit of every product with a few
bayar-di-tempat orders that never expired. Now: a cash order no POSDAYA has
confirmed expires after PASAR_COD_CONFIRM_HOURS and gives its stock back
(through `expire_orders`, as an unpaid transfer does); open unpaid orders are
capped per WhatsApp number and per visitor, units per line are capped, and the
checkout is throttled per client address. Each refusal says why and changes
nothing.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from catalog.models import Product, StockMovement
from orders.models import Order
from orders.services import (
    OrderError,
    Visitor,
    advance_suborder,
    expire_due_orders,
    mark_suborder_paid,
    place_order,
)
from pasar.settings import base

from ..conftest import client_for
from .conftest import make_order
from .test_checkout import confirm, fill, form_data

pytestmark = pytest.mark.django_db

PHONE_CAP = (
    "Nomor WhatsApp ini sudah punya 3 pesanan yang belum lunas. Selesaikan "
    "pesanan itu dulu sebelum memesan lagi."
)
VISITOR_CAP = (
    "Anda sudah punya 3 pesanan yang belum lunas. Selesaikan pesanan itu dulu "
    "sebelum memesan lagi."
)
THROTTLED = "Terlalu banyak pesanan dari jaringan Anda. Coba lagi nanti."


@pytest.fixture
def caps(settings):
    settings.PASAR_MAX_OPEN_ORDERS_PER_PHONE = 3
    settings.PASAR_MAX_OPEN_ORDERS_PER_VISITOR = 3
    return settings


@pytest.fixture
def counters():
    """Empty rate-limit counters (the test cache lives as long as the process)."""
    cache.clear()
    yield
    cache.clear()


def stock_of(*products):
    return [Product.objects.get(pk=p.pk).stock for p in products]


def errors_shown(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def checkout(client, product, **overrides):
    fill(client, product)
    return confirm(client, form_data(client, **overrides))


# Expiry of cash orders ------------------------------------------------------


def test_the_defaults():
    assert base.PASAR_COD_CONFIRM_HOURS == 24
    assert base.PASAR_MAX_OPEN_ORDERS_PER_PHONE == 3
    assert base.PASAR_MAX_OPEN_ORDERS_PER_VISITOR == 3
    assert base.PASAR_MAX_UNITS_PER_LINE == 10
    assert base.PASAR_RATE_LIMITS["checkout"] == "10/h/ip"


def test_a_cash_order_gets_the_confirmation_deadline(settings, product):
    settings.PASAR_COD_CONFIRM_HOURS = 6
    now = timezone.now()
    order = place_order(
        quantities={product.pk: 1},
        customer=None,
        name="Budi",
        phone="6281298765432",
        delivery_method="ambil",
        payment_method="bayar_di_tempat",
        checkout_token="tok-cash-deadline",
        now=now,
    ).order
    assert order.expires_at == now + timedelta(hours=6)


def test_an_unconfirmed_cash_order_expires_and_returns_its_stock(
    cod_order, product, other_product, capsys
):
    assert stock_of(product, other_product) == [4, 3]
    assert expire_due_orders(now=cod_order.expires_at - timedelta(seconds=1)) == 0
    Order.objects.filter(pk=cod_order.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("expire_orders")
    call_command("expire_orders")
    assert capsys.readouterr().out == "1 order(s) expired.\n0 order(s) expired.\n"
    order = Order.objects.get(pk=cod_order.pk)
    assert order.status == "kedaluwarsa"
    assert set(order.suborders.values_list("status", flat=True)) == {"dibatalkan"}
    assert stock_of(product, other_product) == [5, 5]
    assert StockMovement.objects.filter(kind="release").count() == 2
    assert list(order.events.values_list("to_status", "note")) == [
        ("menunggu_pembayaran", ""),
        (
            "kedaluwarsa",
            "Pesanan kedaluwarsa: POSDAYA belum mengonfirmasi sampai batas waktu.",
        ),
    ]


def test_only_the_unconfirmed_part_of_a_cash_order_expires(
    cod_order, posdaya, other_posdaya, pengelola, product, other_product
):
    mine = cod_order.suborders.get(posdaya=posdaya)
    advance_suborder(suborder=mine, to_status="diproses", by=pengelola)
    due = cod_order.expires_at + timedelta(seconds=1)
    assert expire_due_orders(now=due) == 1
    assert expire_due_orders(now=due) == 0
    order = Order.objects.get(pk=cod_order.pk)
    assert (order.status, order.expires_at) == ("menunggu_pembayaran", None)
    assert dict(order.suborders.values_list("posdaya__slug", "status")) == {
        posdaya.slug: "diproses",
        other_posdaya.slug: "dibatalkan",
    }
    assert stock_of(product, other_product) == [4, 5]  # the other part's 2 back


def test_a_cash_order_every_posdaya_took_up_does_not_expire(
    cod_order, posdaya, other_posdaya, pengelola, other_pengelola, product
):
    advance_suborder(
        suborder=cod_order.suborders.get(posdaya=posdaya),
        to_status="diproses",
        by=pengelola,
    )
    # Cash recorded on handover without "diproses" counts as taken up too.
    mark_suborder_paid(
        suborder=cod_order.suborders.get(posdaya=other_posdaya), by=other_pengelola
    )
    assert expire_due_orders(now=cod_order.expires_at + timedelta(seconds=1)) == 0
    order = Order.objects.get(pk=cod_order.pk)
    assert (order.status, order.expires_at) == ("menunggu_pembayaran", None)
    assert StockMovement.objects.filter(kind="release").count() == 0


def test_the_order_page_expires_a_due_cash_order(client, cod_order, product):
    Order.objects.filter(pk=cod_order.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(f"/pesanan/{cod_order.code}/?t={cod_order.secret}")
    assert response.context["order"].status == "kedaluwarsa"
    assert stock_of(product) == [5]
    assert (
        "Pesanan ini kedaluwarsa karena POSDAYA belum mengonfirmasinya sampai "
        "batas waktu. Stok sudah dikembalikan."
    ) in response.content.decode()


def test_the_order_page_tells_the_confirmation_deadline(client, cod_order):
    with translation.override("id"):
        when = date_filter(timezone.localtime(cod_order.expires_at), "j M Y H:i")
    response = client.get(f"/pesanan/{cod_order.code}/?t={cod_order.secret}")
    assert (
        f"POSDAYA mengonfirmasi pesanan ini paling lambat {when}; bila belum, "
        "pesanan batal dan stoknya dikembalikan."
    ) in response.content.decode()


# Caps on open unpaid orders ---------------------------------------------------


def test_open_orders_are_capped_per_whatsapp_number(caps, product):
    for _ in range(3):
        assert checkout(client_for(), product).status_code == 302
    response = checkout(client_for(), product, phone="+62 812-9876-5432")
    assert response.status_code == 200
    assert errors_shown(response) == [PHONE_CAP]
    assert Order.objects.count() == 3
    assert stock_of(product) == [2]
    # Another number is not held back.
    assert checkout(client_for(), product, phone="081311112222").status_code == 302


def test_open_orders_are_capped_per_visitor(caps, product):
    client = client_for()
    for phone in ("081311110001", "081311110002", "081311110003"):
        assert checkout(client, product, phone=phone).status_code == 302
    response = checkout(client, product, phone="081311110004")
    assert errors_shown(response) == [VISITOR_CAP]
    assert Order.objects.count() == 3
    assert stock_of(product) == [2]


def test_a_signed_in_shopper_is_capped_across_sessions(caps, product, shopper):
    for _ in range(3):
        make_order({product: 1}, customer=shopper)
    response = checkout(client_for(shopper), product, phone="081311110004")
    assert errors_shown(response) == [VISITOR_CAP]
    assert Order.objects.count() == 3
    assert stock_of(product) == [2]


def test_paid_expired_and_overdue_orders_free_the_cap(caps, koordinator):
    from orders.services import (
        approve_payment,
        expire_order_if_due,
        submit_payment_proof,
    )

    from ..factories import ProductFactory
    from .test_proof_upload import png

    product = ProductFactory(stock=20)
    paid = make_order({product: 1})
    approve_payment(
        proof_id=submit_payment_proof(order=paid, file=png(), kind="image").pk,
        by=koordinator,
    )
    expired, overdue = make_order({product: 1}), make_order({product: 1})
    Order.objects.filter(pk__in=[expired.pk, overdue.pk]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert expire_order_if_due(order_id=expired.pk) is True
    make_order({product: 1})
    # Open: one, then two, then three orders for this number.
    assert checkout(client_for(), product).status_code == 302
    assert checkout(client_for(), product).status_code == 302
    assert errors_shown(checkout(client_for(), product)) == [PHONE_CAP]
    assert Order.objects.count() == 6


def test_a_cap_of_zero_is_no_cap(caps, product):
    caps.PASAR_MAX_OPEN_ORDERS_PER_PHONE = 0
    caps.PASAR_MAX_OPEN_ORDERS_PER_VISITOR = 0
    client = client_for()
    for _ in range(4):
        assert checkout(client, product).status_code == 302
    assert Order.objects.count() == 4


# Units per line -----------------------------------------------------------------


def test_units_per_line_are_capped_in_the_cart_and_at_checkout(client, settings):
    from ..factories import ProductFactory

    settings.PASAR_MAX_UNITS_PER_LINE = 4
    product = ProductFactory(name="Tas Kopi", price=25000, stock=50)
    response = client.post(
        "/keranjang/tambah/", {"product": product.pk, "quantity": 5}, follow=True
    )
    assert errors_shown(response) == ["Paling banyak 4 per produk."]
    assert client.session.get("cart", {}) == {}
    with pytest.raises(OrderError, match=r"^Paling banyak 4 per produk\.$"):
        place_order(
            quantities={product.pk: 5},
            customer=None,
            name="Budi",
            phone="6281298765432",
            delivery_method="ambil",
            payment_method="bayar_di_tempat",
            checkout_token="tok-units",
        )
    assert stock_of(product) == [50]
    assert Order.objects.count() == 0


def test_units_of_all_lines_are_capped_per_order(client, settings):
    from ..factories import ProductFactory

    settings.PASAR_MAX_UNITS_PER_LINE = 4
    settings.PASAR_MAX_UNITS_PER_ORDER = 6
    bags = [ProductFactory(name=f"Tas {n}", price=10000, stock=50) for n in (1, 2)]
    message = (
        "Paling banyak 6 barang per pesanan. Untuk pesanan lebih besar, hubungi "
        "POSDAYA penjualnya lewat WhatsApp."
    )
    add = "/keranjang/tambah/"
    response = client.post(add, {"product": bags[0].pk, "quantity": 4}, follow=True)
    assert errors_shown(response) == ["Tas 1 masuk keranjang."]
    response = client.post(add, {"product": bags[1].pk, "quantity": 3}, follow=True)
    assert errors_shown(response) == [message]
    assert client.session["cart"] == {str(bags[0].pk): 4}
    response = client.post(add, {"product": bags[1].pk, "quantity": 2}, follow=True)
    assert errors_shown(response) == ["Tas 2 masuk keranjang."]
    assert client.session["cart"] == {str(bags[0].pk): 4, str(bags[1].pk): 2}
    with pytest.raises(OrderError) as refused:
        place_order(
            quantities={bags[0].pk: 4, bags[1].pk: 3},
            customer=None,
            name="Budi",
            phone="6281298765432",
            delivery_method="ambil",
            payment_method="bayar_di_tempat",
            checkout_token="tok-order-units",
        )
    assert refused.value.message == message
    assert stock_of(*bags) == [50, 50]
    assert Order.objects.count() == 0


# Checkout throttle ------------------------------------------------------------


def test_checkout_is_throttled_per_client_address(settings, counters, product):
    settings.PASAR_RATE_LIMITS = {"checkout": "2/h/ip"}
    for phone in ("081311110001", "081311110002"):
        assert checkout(client_for(), product, phone=phone).status_code == 302
    response = checkout(client_for(), product, phone="081311110003")
    assert response.status_code == 429
    assert errors_shown(response) == [THROTTLED]
    assert Order.objects.count() == 2
    assert stock_of(product) == [3]
    # The review step is not counted, and another address is not held back.
    other = client_for()
    fill(other, product)
    data = form_data(other, phone="081311110004")
    review = other.post("/checkout/", data, REMOTE_ADDR="10.1.2.3")
    assert review.status_code == 200
    final = dict(data, expected_total=review.context["summary"].total, confirm="1")
    assert other.post("/checkout/", final, REMOTE_ADDR="10.1.2.3").status_code == 302
    assert Order.objects.count() == 3


def test_a_second_submit_over_the_limit_goes_to_its_order(
    client, settings, counters, product
):
    settings.PASAR_RATE_LIMITS = {"checkout": "1/h/ip"}
    fill(client, product)
    data = form_data(client)
    review = client.post("/checkout/", data)
    final = dict(data, expected_total=review.context["summary"].total, confirm="1")
    first = client.post("/checkout/", final)
    again = client.post("/checkout/", final)
    order = Order.objects.get()
    assert (
        first["Location"]
        == again["Location"]
        == (f"/pesanan/{order.code}/?t={order.secret}")
    )


def test_behind_a_proxy_the_throttle_counts_the_forwarded_client(
    settings, counters, product
):
    settings.PASAR_RATE_LIMITS = {"checkout": "1/h/ip"}
    settings.PASAR_TRUSTED_PROXY_COUNT = 1

    def through_proxy(client_address):
        client = client_for()
        fill(client, product)
        data = form_data(client)
        review = client.post("/checkout/", data)
        final = dict(data, expected_total=review.context["summary"].total, confirm="1")
        return client.post(
            "/checkout/", final, headers={"x-forwarded-for": client_address}
        )

    assert through_proxy("203.0.113.5").status_code == 302
    assert through_proxy("203.0.113.6").status_code == 302
    assert through_proxy("203.0.113.5").status_code == 429
    assert Order.objects.count() == 2


# Under contention (PostgreSQL) ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_for_one_number_keep_the_cap(caps):
    from ..factories import ProductFactory
    from .test_concurrency import run_threads

    caps.PASAR_MAX_OPEN_ORDERS_PER_PHONE = 2
    product = ProductFactory(stock=50)

    def checkout_once(index):
        return place_order(
            quantities={product.pk: 1},
            customer=None,
            name="Pembeli",
            phone="6281298765432",
            delivery_method="ambil",
            payment_method="transfer",
            checkout_token=f"tok-race-{index}",
            visitor=Visitor(),
        )

    results = run_threads(10, checkout_once)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(results) - len(refused) == 2
    assert {str(r) for r in refused} == {
        "Nomor WhatsApp ini sudah punya 2 pesanan yang belum lunas. Selesaikan "
        "pesanan itu dulu sebelum memesan lagi."
    }
    assert Order.objects.count() == 2
    assert Product.objects.get(pk=product.pk).stock == 48
