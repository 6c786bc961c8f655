"""Shipping by weight: courier parcels priced per started kg, local flat, pickup free.

The fee comes from one function (`orders.shipping.delivery_fee_for`) for the
checkout summary and the checkout service, so what is shown is what is charged.
"""

import importlib

import pytest
from django.apps import apps

from orders.models import DeliveryZone, Order, SubOrder
from orders.services import OrderError, create_zone, update_zone
from orders.shipping import delivery_fee_for, extra_kg_started
from pasar.models import AuditLog

from ..conftest import client_for
from ..factories import DeliveryZoneFactory, ProductFactory
from .conftest import make_order
from .test_checkout import fill, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def courier_zone(db):
    return DeliveryZoneFactory(
        name="Bekasi",
        fee=7000,
        courier_first_kg_fee=9000,
        courier_extra_kg_fee=3000,
        for_local=True,
        for_courier=True,
    )


@pytest.fixture
def heavy(posdaya):
    """1.2 kg a piece: two make a 2.4 kg parcel."""
    return ProductFactory(
        posdaya=posdaya, name="Keranjang", price=40000, stock=9, weight_grams=1200
    )


@pytest.fixture
def light(other_posdaya):
    """500 g a piece: two make exactly 1 kg."""
    return ProductFactory(
        posdaya=other_posdaya, name="Dompet", price=20000, stock=9, weight_grams=500
    )


def suborder_of(order, product):
    return SubOrder.objects.get(order=order, posdaya=product.posdaya)


def test_started_kg_round_up_in_whole_grams():
    assert [extra_kg_started(g) for g in (0, 1, 1000, 1001, 2000, 2400, 3001)] == [
        0,
        0,
        0,
        1,
        1,
        2,
        3,
    ]


def test_courier_fee_for_2_4_kg_is_first_kg_plus_two_extra_kg(heavy, courier_zone):
    order = make_order({heavy: 2}, delivery="ekspedisi", zone=courier_zone)
    sub = suborder_of(order, heavy)
    assert (sub.parcel_weight_grams, sub.delivery_fee) == (2400, 9000 + 2 * 3000)
    assert (sub.items_total, sub.total) == (80000, 95000)
    assert (order.delivery_total, order.total) == (15000, 95000)


def test_courier_fee_for_exactly_1_kg_is_the_first_kg_only(light, courier_zone):
    order = make_order({light: 2}, delivery="ekspedisi", zone=courier_zone)
    sub = suborder_of(order, light)
    assert (sub.parcel_weight_grams, sub.delivery_fee) == (1000, 9000)
    assert order.delivery_total == 9000


def test_local_delivery_ignores_weight(heavy, light, courier_zone):
    heavy_order = make_order({heavy: 2}, delivery="antar", zone=courier_zone)
    light_order = make_order({light: 1}, delivery="antar", zone=courier_zone)
    assert suborder_of(heavy_order, heavy).delivery_fee == 7000
    assert suborder_of(light_order, light).delivery_fee == 7000
    assert [
        delivery_fee_for(method="antar", zone=courier_zone, weight_grams=g)
        for g in (0, 1000, 2400, 25000)
    ] == [7000, 7000, 7000, 7000]


def test_pickup_is_free_whatever_the_weight(heavy, courier_zone):
    order = make_order({heavy: 3})
    sub = suborder_of(order, heavy)
    assert (sub.parcel_weight_grams, sub.delivery_fee, order.delivery_total) == (
        3600,
        0,
        0,
    )
    assert delivery_fee_for(method="ambil", zone=courier_zone, weight_grams=3600) == 0


def test_each_posdaya_parcel_gets_its_own_fee(heavy, light, courier_zone):
    order = make_order({heavy: 2, light: 3}, delivery="ekspedisi", zone=courier_zone)
    heavy_sub, light_sub = suborder_of(order, heavy), suborder_of(order, light)
    # 2.4 kg → 9000 + 2 × 3000; 1.5 kg → 9000 + 1 × 3000.
    assert (heavy_sub.parcel_weight_grams, heavy_sub.delivery_fee) == (2400, 15000)
    assert (light_sub.parcel_weight_grams, light_sub.delivery_fee) == (1500, 12000)
    assert (order.items_total, order.delivery_total, order.total) == (
        140000,
        27000,
        167000,
    )


def test_the_fee_is_a_snapshot(heavy, courier_zone, koordinator):
    order = make_order({heavy: 2}, delivery="ekspedisi", zone=courier_zone)
    update_zone(
        zone=courier_zone,
        name="Bekasi",
        fee=7000,
        courier_first_kg_fee=20000,
        courier_extra_kg_fee=10000,
        for_local=True,
        for_courier=True,
        is_active=True,
        by=koordinator,
    )
    heavy.weight_grams = 5000
    heavy.save(update_fields=["weight_grams"])
    sub = suborder_of(order, heavy)
    assert (sub.parcel_weight_grams, sub.delivery_fee) == (2400, 15000)


def test_checkout_summary_shows_weight_and_fee_and_charges_it(
    client, heavy, light, courier_zone
):
    fill(client, heavy, quantity=2)
    fill(client, light, quantity=3)
    data = form_data(
        client, delivery_method="ekspedisi", zone=courier_zone.pk, address="Jl. A 1"
    )
    review = client.post("/checkout/", data)
    summary = review.context["summary"]
    assert [(g.weight_grams, g.delivery_fee) for g in summary.groups] == [
        (2400, 15000),
        (1500, 12000),
    ]
    assert (summary.delivery_total, summary.total) == (27000, 167000)
    page = review.content.decode()
    assert "Ongkir · paket 2,400\xa0kg" in page
    assert "Ongkir · paket 1,500\xa0kg" in page
    assert "Rp\xa015.000" in page and "Rp\xa012.000" in page
    assert "Pesan sekarang · Rp\xa0167.000" in page

    final = dict(data, expected_total=summary.total, confirm="1")
    assert client.post("/checkout/", final).status_code == 302
    order = Order.objects.get()
    assert (order.delivery_total, order.total) == (
        summary.delivery_total,
        summary.total,
    )
    charged = sorted(
        order.suborders.values_list(
            "posdaya__name", "parcel_weight_grams", "delivery_fee"
        )
    )
    assert charged == [
        ("POSDAYA Bahagia", 2400, 15000),
        ("POSDAYA Flamboyan", 1500, 12000),
    ]
    page = client.get(f"/pesanan/{order.code}/?t={order.secret}").content.decode()
    assert "Ongkir · paket 2,400\xa0kg" in page


def test_a_weight_change_between_review_and_confirm_is_refused(
    client, heavy, courier_zone
):
    fill(client, heavy, quantity=2)
    data = form_data(
        client, delivery_method="ekspedisi", zone=courier_zone.pk, address="Jl. A 1"
    )
    summary = client.post("/checkout/", data).context["summary"]
    heavy.weight_grams = 1600  # 3.2 kg now: one kg more than shown
    heavy.save(update_fields=["weight_grams"])
    final = dict(data, expected_total=summary.total, confirm="1")
    response = client.post("/checkout/", final)
    assert response.status_code == 200
    assert "Harga atau ongkir berubah" in response.content.decode()
    assert Order.objects.count() == 0


# --- the koordinator's zone form ------------------------------------------------


def zone_post(**changes):
    data = {
        "name": "Bekasi Utara",
        "fee": "",
        "for_courier": "on",
        "courier_first_kg_fee": "12000",
        "courier_extra_kg_fee": "4000",
        "is_active": "on",
    }
    return {**data, **changes}


def test_koordinator_creates_a_courier_zone_by_weight(koordinator):
    form = client_for(koordinator).get("/dasbor/induk/ongkir/baru/").context["form"]
    # A new zone's fees start empty: typed, never assumed 0.
    assert [form[name].value() for name in form.FEES] == [None, None, None]
    response = client_for(koordinator).post("/dasbor/induk/ongkir/baru/", zone_post())
    assert response.status_code == 302
    zone = DeliveryZone.objects.get()
    assert (
        zone.fee,
        zone.courier_first_kg_fee,
        zone.courier_extra_kg_fee,
        zone.for_local,
        zone.for_courier,
    ) == (0, 12000, 4000, False, True)
    page = client_for(koordinator).get("/dasbor/induk/ongkir/").content.decode()
    assert "Rp\xa012.000" in page and "Rp\xa04.000" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("courier_first_kg_fee", "-1", "Ongkir tidak boleh negatif."),
        ("courier_extra_kg_fee", "-500", "Ongkir tidak boleh negatif."),
        (
            "courier_extra_kg_fee",
            "1000001",
            "Ongkir paling banyak Rp\xa01.000.000.",
        ),
        (
            "courier_first_kg_fee",
            "99999999999",
            "Ongkir paling banyak Rp\xa01.000.000.",
        ),
        ("courier_first_kg_fee", "abc", "Tulis ongkir dengan angka."),
        ("courier_first_kg_fee", "", "Isi ongkir ekspedisi untuk kg pertama."),
        (
            "courier_extra_kg_fee",
            "",
            "Isi ongkir ekspedisi per kg berikutnya (boleh 0).",
        ),
    ],
)
def test_zone_form_refuses_bad_fees(koordinator, field, value, message):
    client = client_for(koordinator)
    response = client.post("/dasbor/induk/ongkir/baru/", zone_post(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert DeliveryZone.objects.count() == 0


def test_zone_form_refuses_a_bad_edit_and_changes_nothing(koordinator, courier_zone):
    url = f"/dasbor/induk/ongkir/{courier_zone.pk}/ubah/"
    response = client_for(koordinator).post(
        url, zone_post(name="Bekasi", fee="7000", courier_extra_kg_fee="-3000")
    )
    assert response.context["form"].errors == {
        "courier_extra_kg_fee": ["Ongkir tidak boleh negatif."]
    }
    courier_zone.refresh_from_db()
    assert (courier_zone.courier_first_kg_fee, courier_zone.courier_extra_kg_fee) == (
        9000,
        3000,
    )
    assert AuditLog.objects.count() == 0


def test_local_fee_is_asked_for_when_local_is_ticked(koordinator):
    response = client_for(koordinator).post(
        "/dasbor/induk/ongkir/baru/", zone_post(for_local="on")
    )
    assert response.context["form"].errors == {"fee": ["Isi ongkir antar lokal."]}
    assert DeliveryZone.objects.count() == 0


def test_a_courier_fee_change_is_audited(koordinator, courier_zone):
    url = f"/dasbor/induk/ongkir/{courier_zone.pk}/ubah/"
    response = client_for(koordinator).post(
        url,
        zone_post(
            name="Bekasi",
            fee="7000",
            for_local="on",
            courier_first_kg_fee="9000",
            courier_extra_kg_fee="3500",
        ),
    )
    assert response.status_code == 302
    audit = AuditLog.objects.get()
    assert (audit.action, audit.actor, audit.before, audit.after) == (
        "price_change",
        koordinator,
        {"courier_extra_kg_fee": 3000},
        {"courier_extra_kg_fee": 3500},
    )


def test_the_service_refuses_an_absurd_fee(koordinator):
    with pytest.raises(OrderError, match="Ongkir harus antara"):
        create_zone(
            name="X", fee=0, courier_first_kg_fee=2_000_000, for_courier=True, by=None
        )
    assert DeliveryZone.objects.count() == 0


def test_courier_zones_keep_their_fee_for_the_first_kg_after_migrating(db):
    courier = DeliveryZoneFactory(
        name="Lama", fee=18000, courier_first_kg_fee=0, courier_extra_kg_fee=0
    )
    local = DeliveryZoneFactory(
        name="Lokal",
        fee=5000,
        for_courier=False,
        courier_first_kg_fee=0,
        courier_extra_kg_fee=0,
    )
    migration = importlib.import_module("orders.migrations.0009_shipping_by_weight")
    migration.courier_zones_keep_their_fee(apps, None)
    courier.refresh_from_db()
    local.refresh_from_db()
    assert (
        courier.fee,
        courier.courier_first_kg_fee,
        courier.courier_extra_kg_fee,
    ) == (
        18000,
        18000,
        0,
    )
    assert (local.fee, local.courier_first_kg_fee) == (5000, 0)


def test_the_zone_choice_names_both_tariffs(client, heavy, courier_zone):
    fill(client, heavy)
    page = client.get("/checkout/").content.decode()
    assert (
        "Bekasi · antar Rp\xa07.000 · ekspedisi Rp\xa09.000 kg pertama + Rp\xa03.000/kg"
    ) in page
