"""The world every fuzzed form runs in: one of every object a form acts on."""

import datetime as dt
import io
import secrets
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from banksampah.models import Withdrawal
from banksampah.services import WeighedLine, record_deposit, record_withdrawal
from catalog.services import add_variant, set_variant_options
from orders.models import DeliveryMethod, SubOrder
from orders.services import (
    advance_suborder,
    mark_suborder_paid,
    place_order,
    submit_payment_proof,
)
from pasar.uploads import reencode_image
from posdaya.models import Membership
from reviews.services import post_review

from ...factories import (
    PASSWORD,
    CategoryFactory,
    DeliveryZoneFactory,
    MemberFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    WasteCategoryFactory,
    WastePriceFactory,
)


@dataclass
class World:
    posdaya: object
    users: dict
    product: object
    image: object
    category: object
    waste: object
    zone: object
    member: object
    deposit: object
    withdrawal: object
    order: object
    cod_order: object
    suborder: object
    proof: object
    membership: object
    done_order: object  # its Bahagia part selesai, one line reviewed
    line: object
    review: object
    variant: object  # of its own product (w.variant.product), so w.product keeps none
    values: dict = field(default_factory=dict)


def png_file(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def build_world(posdaya, other_posdaya, pengelola, petugas, koordinator, shopper):
    """Build one of every object a form acts on, and plausible values per field."""
    category = CategoryFactory(name="Tas", slug="tas")
    product = ProductFactory(posdaya=posdaya, category=category, stock=50)
    other_product = ProductFactory(posdaya=other_posdaya, category=category)
    image = ProductImageFactory(product=product, position=0)
    ProductImageFactory(product=product, position=1)
    waste = WasteCategoryFactory(name="Kardus", slug="kardus")
    WastePriceFactory(category=waste, buy_price=1500, sell_price=2000)
    zone = DeliveryZoneFactory(name="Babelan", fee=10000)
    # Ibu Siti's account is linked to her book: she may pay with savings.
    nasabah = UserFactory(username="nasabah")
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti", user=nasabah)
    deposit = record_deposit(
        member=member,
        lines=[WeighedLine(category=waste, weight=Decimal("20"))],
        by=petugas,
        idempotency_key=uuid.uuid4(),
    )
    withdrawal = record_withdrawal(
        member=member, amount=5000, method=Withdrawal.Method.CASH, by=petugas
    )

    def order(payment, delivery="ambil", zone=None):
        return place_order(
            quantities={product.pk: 1, other_product.pk: 1},
            customer=shopper,
            name="Budi",
            phone="6281298765432",
            email="budi@contoh.id",
            delivery_method=delivery,
            address="" if delivery == "ambil" else "Jl. Melati 3",
            zone=zone,
            payment_method=payment,
            checkout_token=secrets.token_urlsafe(24),
        ).order

    transfer = order("transfer")
    proof = submit_payment_proof(
        order=transfer, file=reencode_image(png_file()).file, kind="image"
    )
    cod = order("bayar_di_tempat", "antar", zone)
    done = order("bayar_di_tempat")
    done_part = done.suborders.get(posdaya=posdaya)
    mark_suborder_paid(suborder=done_part, by=pengelola)
    for status in ("diproses", "siap_diambil", "selesai"):
        advance_suborder(suborder=done_part, to_status=status, by=pengelola)
    line = done_part.lines.get()
    review = post_review(order=done, line_id=line.pk, rating=4, text="Bagus")
    membership = MembershipFactory(
        user=UserFactory(username="staf-lama"),
        posdaya=posdaya,
        role=Membership.Role.PETUGAS,
    )
    users = {
        "pengelola": pengelola,
        "petugas": petugas,
        "koordinator": koordinator,
        "shopper": shopper,
        "nasabah": nasabah,
    }
    motif = ProductFactory(posdaya=posdaya, category=category, stock=4)
    set_variant_options(
        product=motif, option1_name="Motif", option2_name="", by=pengelola
    )
    variant = add_variant(product=motif, option1="Batik", by=pengelola)
    world = World(
        posdaya=posdaya,
        users=users,
        product=product,
        image=image,
        category=category,
        waste=waste,
        zone=zone,
        member=member,
        deposit=deposit,
        withdrawal=withdrawal,
        order=transfer,
        cod_order=cod,
        suborder=cod.suborders.get(posdaya=posdaya),
        proof=proof,
        membership=membership,
        done_order=done,
        line=line,
        review=review,
        variant=variant,
    )
    today = dt.date.today().isoformat()
    world.values = {
        # plausible values per field name (a formset prefix is stripped first)
        "product": [product.pk, other_product.pk],
        "quantity": [1, 2, 0, 99],
        "category": [category.pk, waste.pk],
        "waste_category": [waste.pk],
        "kg_per_unit": ["0.150", "1"],
        "weight": ["1,5", "0.250", "2", "-1"],
        "unit_price": ["2000", ""],
        "member": [member.pk],
        "key": [str(uuid.uuid4())],
        "code": ["ABCD-EFGH", "abcdefgh"],
        "amount": ["1000", "5000", "999999999"],
        "method": ["tunai", "transfer", "bank"],
        "to_status": list(SubOrder.Status.values),
        "action": ["publish", "unpublish", "archive", "up", "down", "delete", "cover"],
        "role": list(Membership.Role.values),
        "posdaya": [posdaya.pk, posdaya.slug, other_posdaya.pk],
        "active": ["1", "0"],
        "delivery_method": list(DeliveryMethod.values),
        "payment_method": ["transfer", "bayar_di_tempat", "tabungan"],
        "savings_amount": ["0", "1000", "25000", "999999999", "-1"],
        "zone": [zone.pk],
        "checkout_token": [secrets.token_urlsafe(24)],
        "confirm": ["1"],
        "expected_total": ["50000"],
        "language": ["en", "id"],
        "next": ["/", "/produk/", "https://jahat.example/"],
        "login": ["pembeli", "pembeli@contoh.id"],
        "password": [PASSWORD],
        "user": ["pembeli", "staf-lama"],
        "username": ["warga-baru"],
        "email": ["warga@contoh.id"],
        "t": [transfer.secret, done.secret],
        "rating": ["5", "1", "0", "6", "x"],
        "text": ["Bagus", "<b>tebal</b>", "x" * 1001],
        "dari": [today, "2024-01-01"],
        "sampai": [today],
        "start": [today],
        "end": [today],
        "date_from": [today],
        "date_to": [today],
        "valid_from": [today],
        "paid_on": [today],
        "price": ["35000"],
        "weight_grams": ["300"],
        "stock": ["4"],
        "fee": ["10000"],
        "is_active": ["on"],
        "weighing_days": ["5", "6"],
        "whatsapp": ["081311112222"],
        "rw": ["07"],
        "TOTAL_FORMS": ["1", "2", "4", "100000"],
        "INITIAL_FORMS": ["0"],
        "status": ["menunggu", "baru", "draft"],
        "urut": ["termurah", "terlaris", "rating"],
        "kategori": ["tas"],
        "slug": ["tas", "tas-baru", ""],
        "order": ["0", "5", "-1"],
        "icon": ["bag", "bi-tree", "tidak-ada"],
        "page": ["1", "2"],
    }
    return world
