"""Garbage posted to every form of the site: never a 500, a refusal changes nothing.

The URL list comes from the URLconf, so a new form cannot be forgotten: every
URL whose view accepts POST is either fuzzed here (as a user entitled to it) or
listed in EXEMPT with the reason. Query-string forms (search, filters, report
ranges, exports) are fuzzed too.

A request counts as refused unless it redirected or said so with a success
message, and carried no error message; a refused request must leave the row
count of every model as it was (sessions aside: signing in writes one).
"""

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banksampah.models import Withdrawal
from banksampah.services import WeighedLine, record_deposit, record_withdrawal
from orders.models import DeliveryMethod, SubOrder
from orders.services import place_order, submit_payment_proof
from pasar.models import AuditLog
from pasar.uploads import reencode_image
from posdaya.models import Membership

from ..conftest import client_for
from ..factories import (
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

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# POST-accepting URLs deliberately not fuzzed, with the reason.
EXEMPT = {
    "admin:*": "Django's own admin, reachable only by superusers; not our forms.",
    "account_request_reauthentication_code": (
        "Login by code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED unset); allauth's view."
    ),
    "account_confirm_reauthentication_code": "Login by code is off; allauth's view.",
    "account_confirm_login_code": "Login by code is off; allauth's view.",
}
# Function views (no class to read methods from) known to answer GET only.
GET_ONLY_FUNCTIONS = {
    "healthz",
    "robots_txt",
    "sitemap",
    "sitemap_section",
    "account_email_verification_sent",
    "service_worker",  # @require_safe: tests/pasar/test_pwa.py
    "offline",
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), pattern.callback


def post_url_names() -> set[str]:
    """Name every URL whose view accepts POST (admin collapsed to admin:*)."""
    names = set()
    for name, callback in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            names.add("admin:*")
            continue
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            if hasattr(view_class, "post"):
                names.add(name)
        elif name not in GET_ONLY_FUNCTIONS:
            names.add(name)  # unknown function view: must be decided on
    return names


# ---- the world every target runs in -----------------------------------------


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
    values: dict = field(default_factory=dict)


def png_file(name="foto.png"):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(posdaya, other_posdaya, pengelola, petugas, koordinator, shopper):
    category = CategoryFactory(name="Tas", slug="tas")
    product = ProductFactory(posdaya=posdaya, category=category, stock=50)
    other_product = ProductFactory(posdaya=other_posdaya, category=category)
    image = ProductImageFactory(product=product, position=0)
    ProductImageFactory(product=product, position=1)
    waste = WasteCategoryFactory(name="Kardus", slug="kardus")
    WastePriceFactory(category=waste, buy_price=1500, sell_price=2000)
    zone = DeliveryZoneFactory(name="Babelan", fee=10000)
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti")
    deposit = record_deposit(
        member=member,
        lines=[WeighedLine(category=waste, weight=Decimal("20"))],
        by=petugas,
        idempotency_key=uuid.uuid4(),
    )
    withdrawal = record_withdrawal(
        member=member, amount=5000, method=Withdrawal.Method.TUNAI, by=petugas
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
    }
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
        "amount": ["1000", "5000", "999999999"],
        "method": ["tunai", "transfer", "bank"],
        "to_status": list(SubOrder.Status.values),
        "action": ["publish", "unpublish", "archive", "up", "down", "delete", "cover"],
        "role": list(Membership.Role.values),
        "posdaya": [posdaya.pk, posdaya.slug, other_posdaya.pk],
        "active": ["1", "0"],
        "delivery_method": list(DeliveryMethod.values),
        "payment_method": ["transfer", "bayar_di_tempat"],
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
        "t": [transfer.secret],
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
        "urut": ["termurah", "terlaris"],
        "kategori": ["tas"],
        "slug": ["tas", "tas-baru", ""],
        "order": ["0", "5", "-1"],
        "icon": ["bag", "bi-tree", "tidak-ada"],
        "page": ["1", "2"],
    }
    return world


# ---- the targets ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    user: str | None  # None: anonymous
    fields: tuple[str, ...]
    method: str = "post"
    files: tuple[str, ...] = ()

    def url(self, world: World) -> str:
        return URLS[self.name](world)


def _p(path):
    return lambda w: path.format(w=w)


URLS = {
    # public
    "set_language": _p("/i18n/setlang/"),
    "account_login": _p("/akun/login/"),
    "account_logout": _p("/akun/logout/"),
    "account_signup": _p("/akun/signup/"),
    "account_reset_password": _p("/akun/password/reset/"),
    "account_reset_password_from_key": _p("/akun/password/reset/key/1-bukan-kunci/"),
    "account_confirm_email": _p("/akun/confirm-email/bukan-kunci/"),
    "account_change_password": _p("/akun/password/change/"),
    "account_set_password": _p("/akun/password/set/"),
    "account_email": _p("/akun/email/"),
    "account_reauthenticate": _p("/akun/reauthenticate/"),
    "catalog:product_list": _p("/produk/"),
    "catalog:category": _p("/kategori/tas/"),
    "orders:cart_add": _p("/keranjang/tambah/"),
    "orders:cart_update": _p("/keranjang/ubah/"),
    "orders:cart_remove": _p("/keranjang/hapus/"),
    "orders:checkout": _p("/checkout/"),
    "orders:proof_upload": _p("/pesanan/{w.order.code}/bukti/"),
    "orders:order_detail": _p("/pesanan/{w.order.code}/"),
    # catalog dashboard
    "catalog_dashboard:category_list": _p("/dasbor/induk/kategori/"),
    "catalog_dashboard:category_create": _p("/dasbor/induk/kategori/baru/"),
    "catalog_dashboard:category_update": _p("/dasbor/induk/kategori/{w.category.pk}/"),
    "catalog_dashboard:category_delete": _p(
        "/dasbor/induk/kategori/{w.category.pk}/hapus/"
    ),
    "catalog_dashboard:category_defaults": _p("/dasbor/induk/kategori/bawaan/"),
    "catalog_dashboard:product_list": _p("/dasbor/bahagia/produk/"),
    "catalog_dashboard:product_create": _p("/dasbor/bahagia/produk/baru/"),
    "catalog_dashboard:product_edit": _p("/dasbor/bahagia/produk/{w.product.pk}/"),
    "catalog_dashboard:product_status": _p(
        "/dasbor/bahagia/produk/{w.product.pk}/status/"
    ),
    "catalog_dashboard:product_images": _p(
        "/dasbor/bahagia/produk/{w.product.pk}/foto/"
    ),
    "catalog_dashboard:product_image_action": _p(
        "/dasbor/bahagia/produk/{w.product.pk}/foto/{w.image.pk}/"
    ),
    "catalog_dashboard:product_stock": _p(
        "/dasbor/bahagia/produk/{w.product.pk}/stok/"
    ),
    # orders dashboard
    "orders_dashboard:zone_create": _p("/dasbor/induk/ongkir/baru/"),
    "orders_dashboard:zone_update": _p("/dasbor/induk/ongkir/{w.zone.pk}/ubah/"),
    "orders_dashboard:settlement_overview": _p("/dasbor/induk/setelmen/"),
    "orders_dashboard:payment_list": _p("/dasbor/pembayaran/"),
    "orders_dashboard:payment_approve": _p("/dasbor/pembayaran/{w.proof.pk}/setujui/"),
    "orders_dashboard:payment_reject": _p("/dasbor/pembayaran/{w.proof.pk}/tolak/"),
    "orders_dashboard:suborder_list": _p("/dasbor/bahagia/pesanan/"),
    "orders_dashboard:suborder_transition": _p(
        "/dasbor/bahagia/pesanan/{w.suborder.pk}/ubah/"
    ),
    "orders_dashboard:suborder_mark_paid": _p(
        "/dasbor/bahagia/pesanan/{w.suborder.pk}/lunas/"
    ),
    "orders_dashboard:suborder_refund": _p(
        "/dasbor/bahagia/pesanan/{w.suborder.pk}/retur/"
    ),
    # bank sampah
    "banksampah_dashboard:price_list": _p("/dasbor/induk/harga-sampah/"),
    "banksampah_dashboard:category_create": _p("/dasbor/induk/jenis-sampah/tambah/"),
    "banksampah_dashboard:category_defaults": _p("/dasbor/induk/jenis-sampah/bawaan/"),
    "banksampah_dashboard:category_update": _p(
        "/dasbor/induk/jenis-sampah/{w.waste.pk}/ubah/"
    ),
    "banksampah_dashboard:member_list": _p("/dasbor/bahagia/bank-sampah/nasabah/"),
    "banksampah_dashboard:member_create": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/tambah/"
    ),
    "banksampah_dashboard:member_update": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/{w.member.pk}/ubah/"
    ),
    "banksampah_dashboard:withdrawal_create": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/{w.member.pk}/tarik/"
    ),
    "banksampah_dashboard:weighing": _p("/dasbor/bahagia/bank-sampah/timbang/"),
    "banksampah_dashboard:deposit_reverse": _p(
        "/dasbor/bahagia/bank-sampah/setoran/{w.deposit.pk}/batal/"
    ),
    "banksampah_dashboard:withdrawal_reverse": _p(
        "/dasbor/bahagia/bank-sampah/penarikan/{w.withdrawal.pk}/batal/"
    ),
    "banksampah_dashboard:sale_create": _p("/dasbor/bahagia/bank-sampah/stok/jual/"),
    "banksampah_dashboard:production_create": _p(
        "/dasbor/bahagia/bank-sampah/stok/produksi/"
    ),
    "banksampah_dashboard:adjustment_create": _p(
        "/dasbor/bahagia/bank-sampah/stok/penyesuaian/"
    ),
    "banksampah_dashboard:report": _p("/dasbor/bahagia/bank-sampah/laporan/"),
    "banksampah_dashboard:report_csv": _p("/dasbor/bahagia/bank-sampah/laporan/csv/"),
    "banksampah_dashboard:report_xlsx": _p("/dasbor/bahagia/bank-sampah/laporan/xlsx/"),
    # posdaya / induk
    "posdaya_dashboard:staff_list": _p("/dasbor/induk/staf/"),
    "posdaya_dashboard:revoke": _p("/dasbor/induk/staf/{w.membership.pk}/cabut/"),
    "posdaya_dashboard:posdaya_active": _p("/dasbor/induk/posdaya/bahagia/status/"),
    "posdaya_dashboard:profile": _p("/dasbor/bahagia/profil/"),
    "posdaya_dashboard:audit_log": _p("/dasbor/induk/audit/"),
    "posdaya_dashboard:induk": _p("/dasbor/induk/"),
    "posdaya_dashboard:induk_export": _p("/dasbor/induk/ekspor/semua.xlsx"),
    "posdaya_dashboard:induk_export_csv": _p("/dasbor/induk/ekspor/pendapatan.csv"),
}

PRODUCT_FIELDS = (
    "product-name",
    "product-category",
    "product-price",
    "product-weight_grams",
    "product-description",
    "product-stock",
    "product-publish",
    "bahan-TOTAL_FORMS",
    "bahan-INITIAL_FORMS",
    "bahan-0-waste_category",
    "bahan-0-kg_per_unit",
    "bahan-0-DELETE",
)
WEIGHING_LINES = (
    "lines-TOTAL_FORMS",
    "lines-INITIAL_FORMS",
    "lines-0-category",
    "lines-0-weight",
    "lines-1-category",
    "lines-1-weight",
)
REPORT = ("dari", "sampai", "posdaya")
CATEGORY_FIELDS = ("name", "slug", "order", "icon")

TARGETS = [
    # public, anonymous or the shopper
    Target("set_language", None, ("language", "next")),
    Target("account_login", None, ("login", "password", "remember", "next")),
    Target("account_logout", "shopper", ("next",)),
    Target("account_signup", None, ("email", "username", "password1", "password2")),
    Target("account_reset_password", None, ("email",)),
    Target("account_reset_password_from_key", None, ("password1", "password2")),
    Target("account_confirm_email", None, ("key",)),
    Target(
        "account_change_password",
        "shopper",
        ("oldpassword", "password1", "password2"),
    ),
    Target("account_set_password", "shopper", ("password1", "password2")),
    Target(
        "account_email",
        "shopper",
        ("email", "action_add", "action_remove", "action_primary", "action_send"),
    ),
    Target("account_reauthenticate", "shopper", ("password",)),
    Target(
        "catalog:product_list",
        None,
        (
            "q",
            "kategori",
            "posdaya",
            "harga_min",
            "harga_max",
            "tersedia",
            "urut",
            "page",
        ),
        method="get",
    ),
    Target("catalog:category", None, ("q", "urut", "harga_min", "page"), "get"),
    Target("orders:cart_add", None, ("product", "quantity", "next")),
    Target("orders:cart_update", None, ("product", "quantity")),
    Target("orders:cart_remove", None, ("product",)),
    Target(
        "orders:checkout",
        None,
        (
            "name",
            "phone",
            "email",
            "delivery_method",
            "zone",
            "address",
            "payment_method",
            "note",
            "checkout_token",
            "expected_total",
            "confirm",
        ),
    ),
    Target("orders:proof_upload", None, ("t",), files=("file",)),
    Target("orders:order_detail", None, ("t",), "get"),
    # catalog dashboard
    Target("catalog_dashboard:category_create", "koordinator", CATEGORY_FIELDS),
    Target("catalog_dashboard:category_update", "koordinator", CATEGORY_FIELDS),
    Target("catalog_dashboard:category_delete", "koordinator", ()),
    Target("catalog_dashboard:category_defaults", "koordinator", ()),
    Target(
        "catalog_dashboard:product_list", "pengelola", ("q", "status", "page"), "get"
    ),
    Target(
        "catalog_dashboard:product_create",
        "pengelola",
        PRODUCT_FIELDS,
        files=("product-images",),
    ),
    Target(
        "catalog_dashboard:product_edit",
        "pengelola",
        PRODUCT_FIELDS,
        files=("product-images",),
    ),
    Target("catalog_dashboard:product_status", "pengelola", ("action", "next")),
    Target(
        "catalog_dashboard:product_images",
        "pengelola",
        ("order", "alt_text"),
        files=("images",),
    ),
    Target("catalog_dashboard:product_image_action", "pengelola", ("action",)),
    Target("catalog_dashboard:product_stock", "pengelola", ("quantity", "reason")),
    # orders dashboard
    Target(
        "orders_dashboard:zone_create",
        "koordinator",
        ("name", "fee", "for_local", "for_courier", "is_active"),
    ),
    Target(
        "orders_dashboard:zone_update",
        "koordinator",
        ("name", "fee", "for_local", "for_courier", "is_active"),
    ),
    Target(
        "orders_dashboard:settlement_overview",
        "koordinator",
        ("posdaya", "amount", "paid_on", "method", "reference", "note"),
    ),
    Target("orders_dashboard:payment_list", "koordinator", ("status", "page"), "get"),
    Target("orders_dashboard:payment_approve", "koordinator", ("note",)),
    Target("orders_dashboard:payment_reject", "koordinator", ("reason",)),
    Target("orders_dashboard:suborder_list", "pengelola", ("status", "page"), "get"),
    Target(
        "orders_dashboard:suborder_transition",
        "pengelola",
        ("to_status", "courier", "tracking_number", "note"),
    ),
    Target("orders_dashboard:suborder_mark_paid", "pengelola", ("note",)),
    Target("orders_dashboard:suborder_refund", "koordinator", ("reason",)),
    # bank sampah
    Target(
        "banksampah_dashboard:price_list",
        "koordinator",
        ("category", "valid_from", "buy_price", "sell_price"),
    ),
    Target("banksampah_dashboard:category_defaults", "koordinator", ()),
    Target(
        "banksampah_dashboard:category_create",
        "koordinator",
        ("name", "slug", "group", "unit", "order", "is_active"),
    ),
    Target(
        "banksampah_dashboard:category_update",
        "koordinator",
        ("name", "slug", "group", "unit", "order", "is_active"),
    ),
    Target("banksampah_dashboard:member_list", "petugas", ("q", "page"), "get"),
    Target(
        "banksampah_dashboard:member_create",
        "petugas",
        ("name", "whatsapp", "address", "rt", "rw", "is_active"),
    ),
    Target(
        "banksampah_dashboard:member_update",
        "petugas",
        ("name", "whatsapp", "address", "rt", "rw", "is_active"),
    ),
    Target(
        "banksampah_dashboard:withdrawal_create",
        "petugas",
        ("amount", "method", "note", "key"),
    ),
    Target(
        "banksampah_dashboard:weighing",
        "petugas",
        ("member", "key", "action", *WEIGHING_LINES),
    ),
    Target("banksampah_dashboard:deposit_reverse", "petugas", ("reason",)),
    Target("banksampah_dashboard:withdrawal_reverse", "petugas", ("reason",)),
    Target(
        "banksampah_dashboard:sale_create",
        "petugas",
        ("buyer_name", "note", "lines-0-unit_price", *WEIGHING_LINES),
    ),
    Target(
        "banksampah_dashboard:production_create",
        "petugas",
        ("category", "weight", "product", "note"),
    ),
    Target(
        "banksampah_dashboard:adjustment_create",
        "petugas",
        ("category", "weight", "reason"),
    ),
    Target("banksampah_dashboard:report", "petugas", ("start", "end"), "get"),
    Target("banksampah_dashboard:report_csv", "petugas", ("start", "end"), "get"),
    Target("banksampah_dashboard:report_xlsx", "petugas", ("start", "end"), "get"),
    # posdaya / induk
    Target(
        "posdaya_dashboard:staff_list",
        "koordinator",
        (
            "invite-email",
            "invite-username",
            "invite-role",
            "invite-posdaya",
            "invite-one_time_password",
            "grant-user",
            "grant-role",
            "grant-posdaya",
        ),
    ),
    Target("posdaya_dashboard:revoke", "koordinator", ("next",)),
    Target("posdaya_dashboard:posdaya_active", "koordinator", ("active",)),
    Target(
        "posdaya_dashboard:profile",
        "pengelola",
        ("name", "rw", "address", "profile", "whatsapp", "weighing_days"),
        files=("photo",),
    ),
    Target(
        "posdaya_dashboard:audit_log",
        "koordinator",
        ("action", "posdaya", "actor", "date_from", "date_to", "page"),
        "get",
    ),
    Target("posdaya_dashboard:induk", "koordinator", REPORT, "get"),
    Target("posdaya_dashboard:induk_export", "koordinator", REPORT, "get"),
    Target("posdaya_dashboard:induk_export_csv", "koordinator", REPORT, "get"),
]

# ---- garbage ----------------------------------------------------------------

SPECIAL = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e308",
    "-1e400",
    "NaN",
    "inf",
    "1,5",
    "1.000.000",
    "0x1A",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "'; DROP TABLE auth_user; --",
    "\x00",
    "a\x00b",
    "\u202e\u0000\ufeff",
    "9" * 30,
    "9" * 5000,
    "x" * 10_000,
    "🙂" * 300,
]
garbage_text = st.one_of(
    st.text(max_size=40),
    # long strings, built cheaply from a short random piece
    st.builds(
        lambda piece, n: piece * n,
        st.text(min_size=1, max_size=8),
        st.integers(30, 600),
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(SPECIAL),
)
garbage_file = st.builds(
    lambda data, name: SimpleUploadedFile(name, data),
    st.binary(max_size=300),
    st.sampled_from(["a.jpg", "b.png", "c.pdf", "x" * 300 + ".jpg", "d.svg"]),
)


def field_value(world: World, name: str):
    base = name.rsplit("-", 1)[-1] if "-" in name else name
    plausible = [str(v) for v in world.values.get(base, [])]
    choices = [garbage_text, st.lists(garbage_text, min_size=2, max_size=3)]
    if plausible:
        choices.insert(0, st.sampled_from(plausible))
    return st.one_of(*choices)


def payload(world: World, target: Target):
    """A dict of some of the target's fields (maybe none) plus stray keys."""
    names = list(target.fields)
    return st.fixed_dictionaries(
        {},
        optional={
            **{name: field_value(world, name) for name in names},
            **{name: st.one_of(garbage_file, garbage_text) for name in target.files},
            "extra": garbage_text,
            "csrfmiddlewaretoken": garbage_text,
        },
    )


def row_counts() -> dict:
    """Count the rows of every table but sessions', in one query."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label != "sessions.Session" and model._meta.managed
    ]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    # Table names come from the models, quoted by the backend: no user input.
    counts_sql = ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # noqa: S608
    sql = f"SELECT {counts_sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, counts, strict=True)}


def is_success(response) -> bool:
    # Only this request's messages: earlier ones wait unread in the session.
    levels = {m.level for m in response.wsgi_request._messages._queued_messages}
    if constants.ERROR in levels:
        return False
    return response.status_code in (301, 302, 303) or constants.SUCCESS in levels


def client_of(world: World, target: Target) -> Client:
    if target.user is None:
        return Client()
    return client_for(world.users[target.user])


# ---- the tests --------------------------------------------------------------


def test_every_post_url_is_fuzzed_or_exempt():
    fuzzed = {target.name for target in TARGETS if target.method == "post"}
    undecided = post_url_names() - fuzzed - set(EXEMPT)
    assert undecided == set(), "fuzz these forms or exempt them with a reason"
    assert set(EXEMPT) <= post_url_names(), "stale exemption"
    assert {t.name for t in TARGETS} <= set(URLS)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t.method}-{t.name}")
def test_garbage_never_breaks_a_form(target, world):
    client = client_of(world, target)
    url = target.url(world)
    # Warm up: the page itself answers, and lazy bookkeeping (allauth syncing a
    # user's EmailAddress on first sight) happens before the counts are taken.
    assert client.get(url).status_code < 500

    @FUZZ
    @given(data=st.data())
    def run(data):
        body = data.draw(payload(world, target))
        for upload in body.values():
            if isinstance(upload, SimpleUploadedFile):
                upload.seek(0)
        before = row_counts()
        audits = AuditLog.objects.count()
        response = getattr(client, target.method)(url, body)
        assert response.status_code < 500, (target.name, body)
        if target.method == "get" or not is_success(response):
            assert row_counts() == before, (target.name, body, response.status_code)
        else:
            assert AuditLog.objects.count() >= audits

    run()
