"""Demo orders: eight weeks of shopping in every state, built through the services.

Deterministic (one seeded `random.Random`) and idempotent: nothing happens when
orders already exist or no product is published. Each POSDAYA sells roughly
Rp 0.5–1 million of products a week, the figure the programme paper reports.
Every row is written by the services, each given the moment of its step
(`now=`), so the history (events included) looks lived-in.
"""

import io
import itertools
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from banksampah.selectors import member_for_user
from catalog import stock
from catalog.models import Product
from posdaya.models import Membership

from . import emails, services
from .models import DeliveryMethod, DeliveryZone, IndukQris, Order, SubOrder
from .services.induk_qris import save_induk_qris

SEED = 20261127
WEEKS = 8
# name, local fee, courier first kg, courier per further kg, local, courier.
# Antar is flat; ekspedisi is by weight, so a heavy parcel shows the difference.
ZONES = [
    ("Kelurahan Bahagia", 5000, 0, 0, True, False),
    ("Kecamatan Babelan", 10000, 9000, 3000, True, True),
    ("Kabupaten Bekasi", 0, 15000, 5000, False, True),
    ("Jabodetabek", 0, 20000, 8000, False, True),
]
NAMES = [
    "Ibu Sri Wahyuni",
    "Bapak Ahmad Fauzi",
    "Dewi Lestari",
    "Rina Marlina",
    "Agus Setiawan",
    "Siti Nurhaliza",
    "Yanti Kusuma",
    "Hendra Gunawan",
    "Nur Aini",
    "Wulan Sari",
    "Eko Prasetyo",
    "Lina Marliani",
]


def _proof_file() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), (230, 240, 230)).save(buffer, format="WEBP")
    return ContentFile(buffer.getvalue(), name="bukti-demo.webp")


def _ensure_stock(product_id: int, quantity: int) -> None:
    """Demo makers produce more when a product runs low (an adjustment)."""
    product = Product.objects.get(pk=product_id)
    if product.stock < quantity:
        stock.adjust(
            product=product, quantity=20, reason="Produksi baru (demo)", by=None
        )


def demo_qris() -> str:
    """A static QRIS of a made-up merchant (no real account behind it)."""
    from .qris import crc_of, tlv

    body = (
        tlv("00", "01")
        + tlv("01", "11")
        + tlv("26", tlv("00", "ID.CO.BANKBJB.WWW") + tlv("01", "9360011000000000"))
        + tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID0000000000000"))
        + tlv("52", "5999")
        + tlv("53", "360")
        + tlv("58", "ID")
        + tlv("59", "POSDAYA INDUK DEMO")
        + tlv("60", "BEKASI")
        + "6304"
    )
    return body + crc_of(body)


def seed() -> None:
    """Create delivery zones and eight weeks of orders (only when none exist)."""
    for name, fee, first_kg, extra_kg, local, courier in ZONES:
        if not DeliveryZone.objects.filter(name=name).exists():
            services.create_zone(
                name=name,
                fee=fee,
                courier_first_kg_fee=first_kg,
                courier_extra_kg_fee=extra_kg,
                for_local=local,
                for_courier=courier,
                by=None,
            )
    if not IndukQris.objects.exists():  # so checkout offers QRIS in the demo
        save_induk_qris(payload=demo_qris(), by=None)
    if Order.objects.exists():
        return
    products = list(
        # Products without variants: the demo's history predates them.
        Product.objects.public()
        .filter(variants__isnull=True)
        .order_by("pk")
        .values("pk", "posdaya_id", "price")
    )
    if not products:
        return
    User = get_user_model()
    koordinator = (
        User.objects.filter(memberships__role=Membership.Role.KOORDINATOR)
        .order_by("pk")
        .first()
    )
    pengelola = {
        m.posdaya_id: m.user
        for m in Membership.objects.filter(role=Membership.Role.PENGELOLA)
        .select_related("user")
        .order_by("pk")
    }
    shopper = User.objects.filter(username="pembeli-demo").first()
    zones = list(DeliveryZone.objects.order_by("pk"))
    by_posdaya: dict[int, list[dict]] = {}
    for product in products:
        by_posdaya.setdefault(product["posdaya_id"], []).append(product)
    rng = random.Random(SEED)
    # Open orders stop at each step in turn (with the delivery that shows it),
    # so every state is on show; None leaves the delivery to chance.
    open_steps = itertools.cycle(
        [
            (1, None),
            (3, None),
            (4, DeliveryMethod.PICKUP),
            (0, None),
            (4, DeliveryMethod.LOCAL),
            (2, None),
            (5, None),
        ]
    )
    now = timezone.now().replace(microsecond=0)
    with emails.muted(), transaction.atomic():
        for week in range(WEEKS, 0, -1):
            week_start = now - timedelta(weeks=week)
            for posdaya_id in sorted(by_posdaya):
                target = rng.randint(500_000, 900_000)
                sold = 0
                while sold < target:
                    sold += _demo_order(
                        rng=rng,
                        posdaya_id=posdaya_id,
                        by_posdaya=by_posdaya,
                        week_start=week_start,
                        age_weeks=week,
                        zones=zones,
                        koordinator=koordinator,
                        pengelola=pengelola,
                        shopper=shopper,
                        open_steps=open_steps,
                    )
        _savings_order(products)


def _savings_order(products) -> None:
    """Nasabah-demo pays one craft of her POSDAYA from her savings book."""
    user = get_user_model().objects.filter(username="nasabah-demo").first()
    member = member_for_user(user) if user is not None else None
    if member is None:
        return
    affordable = [
        p
        for p in products
        if p["posdaya_id"] == member.posdaya_id and p["price"] <= member.balance
    ]
    if not affordable:
        return
    product = min(affordable, key=lambda p: (p["price"], p["pk"]))
    _ensure_stock(product["pk"], 1)
    services.place_order(
        quantities={product["pk"]: 1},
        customer=user,
        name=member.name,
        phone=member.whatsapp or "6281200000000",
        delivery_method=DeliveryMethod.PICKUP,
        payment_method="tabungan",
        checkout_token=f"demo-savings-{member.account_number}",
    )


def _demo_order(
    *,
    rng,
    posdaya_id,
    by_posdaya,
    week_start,
    age_weeks,
    zones,
    koordinator,
    pengelola,
    shopper,
    open_steps,
) -> int:
    """Place one order (mostly one POSDAYA, sometimes two) and play its story."""
    branches = [posdaya_id]
    others = [p for p in sorted(by_posdaya) if p != posdaya_id]
    if others and rng.random() < 0.25:
        branches.append(rng.choice(others))
    quantities: dict[int, int] = {}
    for branch in branches:
        for item in rng.sample(by_posdaya[branch], k=min(3, len(by_posdaya[branch]))):
            if rng.random() < 0.7 or not quantities:
                quantities[item["pk"]] = rng.randint(2, 5)
    recent = age_weeks == 1
    placed_at = week_start + timedelta(
        days=rng.randint(0, 6), hours=rng.randint(7, 20), minutes=rng.randint(0, 59)
    )
    story = rng.choices(
        ["done", "cancelled", "expired", "open"],
        weights=[1, 1, 1, 7] if recent else [17, 1, 2, 0],
    )[0]
    steps, delivery = 6, None
    if story == "open":
        steps, delivery = next(open_steps)
        # Open orders are from the last day so the 48-hour window still runs.
        placed_at = timezone.now() - timedelta(hours=rng.randint(1, 20))
    if delivery is None:
        delivery = rng.choices(
            [DeliveryMethod.PICKUP, DeliveryMethod.LOCAL, DeliveryMethod.COURIER],
            weights=[5, 3, 2],
        )[0]
    payment = "transfer"
    if (
        delivery != DeliveryMethod.COURIER
        and story in ("done", "cancelled")
        and rng.random() < 0.3
    ):
        payment = "bayar_di_tempat"
    zone = None
    if delivery != DeliveryMethod.PICKUP:
        zone = rng.choice([z for z in zones if z.applies_to(delivery)])
    for product_id, quantity in sorted(quantities.items()):
        _ensure_stock(product_id, quantity)
    name = rng.choice(NAMES)
    order = services.place_order(
        quantities=quantities,
        customer=shopper if rng.random() < 0.15 else None,
        name=name,
        phone=f"62812{rng.randint(10_000_000, 99_999_999)}",
        email="" if rng.random() < 0.5 else "pembeli@demo.pasarbahagia.id",
        delivery_method=delivery,
        address="" if zone is None else f"Jl. Bahagia No. {rng.randint(1, 120)}",
        zone=zone,
        payment_method=payment,
        checkout_token=f"demo-{rng.getrandbits(96):024x}",
        now=placed_at,
    ).order
    _play(rng, order, story, steps, placed_at, koordinator, pengelola)
    return order.items_total


def _play(rng, order, story, steps, placed_at, koordinator, pengelola):
    moment = placed_at
    suborders = list(SubOrder.objects.filter(order=order).order_by("pk"))

    def later(hours):
        """Return the moment of the next step, never in the future."""
        nonlocal moment
        moment = moment + timedelta(hours=hours, minutes=rng.randint(0, 50))
        return min(moment, timezone.now())

    if story == "expired":
        services.expire_order_if_due(order_id=order.pk, now=later(49))
        return
    if story == "cancelled":
        now = later(3)
        for suborder in suborders:
            services.cancel_suborder(
                suborder=suborder,
                by=pengelola.get(suborder.posdaya_id),
                reason="Bahan habis, mohon maaf.",
                now=now,
            )
        return
    # "open" orders stop at some step; "done" ones run to the end.
    prepaid = order.payment_method == "transfer"
    if prepaid:
        if steps < 1:
            return
        proof = services.submit_payment_proof(
            order=order, file=_proof_file(), kind="image", now=later(2)
        )
        if steps < 2:
            return
        services.approve_payment(proof_id=proof.pk, by=koordinator, now=later(3))
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    for suborder in suborders:
        staff = pengelola.get(suborder.posdaya_id)
        if steps < 3:
            continue
        services.advance_suborder(
            suborder=suborder, to_status="diproses", by=staff, now=later(4)
        )
        if steps < 4:
            continue
        now = later(20)  # before the courier: the seeded draws keep their order
        services.advance_suborder(
            suborder=suborder,
            to_status="siap_diambil" if pickup else "dikirim",
            by=staff,
            courier="" if pickup else rng.choice(["JNE", "J&T", "Kurir RW"]),
            tracking_number="" if pickup else f"RS{rng.randint(10**8, 10**9)}",
            now=now,
        )
        if steps < 5:
            continue
        if not prepaid:
            services.mark_suborder_paid(suborder=suborder, by=staff, now=later(6))
        services.advance_suborder(
            suborder=suborder, to_status="selesai", by=staff, now=later(1)
        )
