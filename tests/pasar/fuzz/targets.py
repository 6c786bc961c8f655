"""Every form of the site (POST-accepting URL or query-string form) to fuzz.

The URL list comes from the URLconf (`post_url_names`), so a new form cannot
be forgotten: every URL whose view accepts POST is either a target here (as a
user entitled to it) or listed in EXEMPT with the reason.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from .world import World

# POST-accepting URLs deliberately not fuzzed, with the reason.
EXEMPT = {
    "admin:*": "Django's own admin, reachable only by superusers; not our forms.",
    "account_request_reauthentication_code": (
        "Login by code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED unset); allauth's view."
    ),
    "account_confirm_reauthentication_code": "Login by code is off; allauth's view.",
    "account_confirm_login_code": "Login by code is off; allauth's view.",
    **{
        f"notifications_dashboard:{name}": (
            "A button with no input (an empty form); its matrix, the other "
            "POSDAYA's message and a second click: tests/notifications/test_pages.py."
        )
        for name in ("induk_mark_sent", "branch_mark_sent", "retry")
    },
    **{
        f"banksampah_dashboard:old_{name}": (
            "An old bank sampah path: a permanent redirect (308) to the fuzzed "
            "form, writing nothing itself."
        )
        for name in (
            "deposit_create",
            "member_create",
            "withdrawal_create",
            "sale_create",
            "waste_category_create",
        )
    },
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


PUBLIC_URLS = {
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
    "orders:order_lookup": _p("/pesanan/cari/"),
    "banksampah:claim": _p("/tabungan/klaim/"),
    "reviews:order": _p("/pesanan/{w.done_order.code}/ulasan/"),
    "reviews:create": _p("/pesanan/{w.done_order.code}/ulasan/{w.line.pk}/"),
    "reviews:product": _p("/produk/{w.product.slug}/ulasan/"),
}

DASHBOARD_URLS = {
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
    "catalog_dashboard:variant_list": _p(
        "/dasbor/bahagia/produk/{w.variant.product_id}/varian/"
    ),
    "catalog_dashboard:variant_options": _p(
        "/dasbor/bahagia/produk/{w.variant.product_id}/varian/pilihan/"
    ),
    "catalog_dashboard:variant_edit": _p(
        "/dasbor/bahagia/produk/{w.variant.product_id}/varian/{w.variant.pk}/"
    ),
    "catalog_dashboard:variant_stock": _p(
        "/dasbor/bahagia/produk/{w.variant.product_id}/varian/{w.variant.pk}/stok/"
    ),
    # orders dashboard
    "orders_dashboard:zone_create": _p("/dasbor/induk/ongkir/baru/"),
    "orders_dashboard:zone_update": _p("/dasbor/induk/ongkir/{w.zone.pk}/ubah/"),
    "orders_dashboard:settlement_overview": _p("/dasbor/induk/setelmen/"),
    "orders_dashboard:payment_list": _p("/dasbor/pembayaran/"),
    "orders_dashboard:payment_approve": _p("/dasbor/pembayaran/{w.proof.pk}/setujui/"),
    "orders_dashboard:payment_reject": _p("/dasbor/pembayaran/{w.proof.pk}/tolak/"),
    "orders_dashboard:induk_qris": _p("/dasbor/induk/qris/"),
    "orders_dashboard:payment_qris_approve": _p(
        "/dasbor/pembayaran/qris/{w.order.pk}/setujui/"
    ),
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
    "banksampah_dashboard:waste_price_list": _p("/dasbor/induk/harga-sampah/"),
    "banksampah_dashboard:waste_category_create": _p(
        "/dasbor/induk/jenis-sampah/baru/"
    ),
    "banksampah_dashboard:waste_category_defaults": _p(
        "/dasbor/induk/jenis-sampah/bawaan/"
    ),
    "banksampah_dashboard:waste_category_update": _p(
        "/dasbor/induk/jenis-sampah/{w.waste.pk}/ubah/"
    ),
    "banksampah_dashboard:member_list": _p("/dasbor/bahagia/bank-sampah/nasabah/"),
    "banksampah_dashboard:member_create": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/baru/"
    ),
    "banksampah_dashboard:member_update": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/{w.member.pk}/ubah/"
    ),
    "banksampah_dashboard:member_claim_code": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/{w.member.pk}/kode-klaim/"
    ),
    "banksampah_dashboard:withdrawal_create": _p(
        "/dasbor/bahagia/bank-sampah/nasabah/{w.member.pk}/penarikan/baru/"
    ),
    "banksampah_dashboard:deposit_create": _p(
        "/dasbor/bahagia/bank-sampah/setoran/baru/"
    ),
    "banksampah_dashboard:deposit_reverse": _p(
        "/dasbor/bahagia/bank-sampah/setoran/{w.deposit.pk}/batal/"
    ),
    "banksampah_dashboard:withdrawal_reverse": _p(
        "/dasbor/bahagia/bank-sampah/penarikan/{w.withdrawal.pk}/batal/"
    ),
    "banksampah_dashboard:sale_create": _p(
        "/dasbor/bahagia/bank-sampah/penjualan/baru/"
    ),
    "banksampah_dashboard:production_use_create": _p(
        "/dasbor/bahagia/bank-sampah/stok/produksi/"
    ),
    "banksampah_dashboard:adjustment_create": _p(
        "/dasbor/bahagia/bank-sampah/stok/penyesuaian/"
    ),
    "banksampah_dashboard:report": _p("/dasbor/bahagia/bank-sampah/laporan/"),
    "banksampah_dashboard:report_csv": _p("/dasbor/bahagia/bank-sampah/laporan/csv/"),
    "banksampah_dashboard:report_xlsx": _p("/dasbor/bahagia/bank-sampah/laporan/xlsx/"),
    # reviews
    "reviews_dashboard:reply": _p("/dasbor/bahagia/ulasan/{w.review.pk}/balas/"),
    "reviews_dashboard:hide": _p("/dasbor/induk/ulasan/{w.review.pk}/sembunyikan/"),
    # posdaya / induk
    "posdaya_dashboard:staff_list": _p("/dasbor/induk/staf/"),
    "posdaya_dashboard:revoke": _p("/dasbor/induk/staf/{w.membership.pk}/cabut/"),
    "posdaya_dashboard:posdaya_active": _p("/dasbor/induk/posdaya/bahagia/status/"),
    "posdaya_dashboard:profile": _p("/dasbor/bahagia/profil/"),
    "posdaya_dashboard:audit_log": _p("/dasbor/induk/audit/"),
    "dashboard:induk": _p("/dasbor/induk/"),
    "dashboard:induk_export": _p("/dasbor/induk/ekspor/semua.xlsx"),
    "posdaya_dashboard:induk_export_csv": _p("/dasbor/induk/ekspor/pendapatan.csv"),
}

URLS = {**PUBLIC_URLS, **DASHBOARD_URLS}

PRODUCT_FIELDS = (
    "product-name",
    "product-category",
    "product-price",
    "product-weight_grams",
    "product-description",
    "product-stock",
    "product-publish",
    "product-made_to_order",
    "product-lead_time_days",
    "product-made_to_order_cap",
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
VARIANT_FIELDS = (
    "option1",
    "option2",
    "price",
    "image",
    "made_to_order",
    "lead_time_days",
    "made_to_order_cap",
)
REPORT = ("dari", "sampai", "posdaya")
CATEGORY_FIELDS = ("name", "slug", "order", "icon")

PUBLIC_TARGETS = [
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
    # A nasabah with a linked book also gets bayar pakai tabungan.
    Target(
        "orders:checkout",
        "nasabah",
        (
            "name",
            "phone",
            "delivery_method",
            "payment_method",
            "savings_amount",
            "checkout_token",
            "expected_total",
            "confirm",
        ),
    ),
    Target("orders:proof_upload", None, ("t",), files=("file",)),
    Target("orders:order_detail", None, ("t",), "get"),
    Target("orders:order_lookup", None, ("code", "phone", "channel")),
    Target("banksampah:claim", "shopper", ("code",)),
    Target("reviews:order", None, ("t",), "get"),
    Target("reviews:create", None, ("t", "rating", "text"), files=("photo",)),
    Target("reviews:product", None, ("page",), "get"),
]

DASHBOARD_TARGETS = [
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
    Target(
        "catalog_dashboard:product_stock", "pengelola", ("quantity", "reason", "key")
    ),
    Target(
        "catalog_dashboard:variant_list",
        "pengelola",
        VARIANT_FIELDS,
    ),
    Target(
        "catalog_dashboard:variant_options",
        "pengelola",
        ("option1_name", "option2_name"),
    ),
    Target(
        "catalog_dashboard:variant_edit",
        "pengelola",
        VARIANT_FIELDS,
    ),
    Target(
        "catalog_dashboard:variant_stock", "pengelola", ("quantity", "reason", "key")
    ),
    # orders dashboard
    Target(
        "orders_dashboard:zone_create",
        "koordinator",
        (
            "name",
            "fee",
            "courier_first_kg_fee",
            "courier_extra_kg_fee",
            "for_local",
            "for_courier",
            "is_active",
        ),
    ),
    Target(
        "orders_dashboard:zone_update",
        "koordinator",
        (
            "name",
            "fee",
            "courier_first_kg_fee",
            "courier_extra_kg_fee",
            "for_local",
            "for_courier",
            "is_active",
        ),
    ),
    Target(
        "orders_dashboard:settlement_overview",
        "koordinator",
        ("posdaya", "amount", "paid_on", "method", "reference", "note", "key"),
    ),
    Target("orders_dashboard:payment_list", "koordinator", ("status", "page"), "get"),
    Target("orders_dashboard:payment_approve", "koordinator", ("note",)),
    Target("orders_dashboard:payment_reject", "koordinator", ("reason",)),
    Target(
        "orders_dashboard:induk_qris", "koordinator", ("payload",), files=("photo",)
    ),
    Target("orders_dashboard:payment_qris_approve", "koordinator", ("note",)),
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
        "banksampah_dashboard:waste_price_list",
        "koordinator",
        ("category", "valid_from", "buy_price", "sell_price"),
    ),
    Target("banksampah_dashboard:waste_category_defaults", "koordinator", ()),
    Target(
        "banksampah_dashboard:waste_category_create",
        "koordinator",
        ("name", "slug", "group", "unit", "order", "is_active"),
    ),
    Target(
        "banksampah_dashboard:waste_category_update",
        "koordinator",
        ("name", "slug", "group", "unit", "order", "is_active"),
    ),
    Target("banksampah_dashboard:member_list", "petugas", ("q", "page"), "get"),
    Target(
        "banksampah_dashboard:member_create",
        "petugas",
        ("name", "whatsapp", "address", "rt", "rw", "is_active", "key"),
    ),
    Target("banksampah_dashboard:member_claim_code", "petugas", ()),
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
        "banksampah_dashboard:deposit_create",
        "petugas",
        ("member", "key", "action", *WEIGHING_LINES),
    ),
    Target("banksampah_dashboard:deposit_reverse", "petugas", ("reason",)),
    Target("banksampah_dashboard:withdrawal_reverse", "petugas", ("reason",)),
    Target(
        "banksampah_dashboard:sale_create",
        "petugas",
        ("buyer_name", "note", "key", "lines-0-unit_price", *WEIGHING_LINES),
    ),
    Target(
        "banksampah_dashboard:production_use_create",
        "petugas",
        ("category", "weight", "product", "note", "key"),
    ),
    Target(
        "banksampah_dashboard:adjustment_create",
        "petugas",
        ("category", "weight", "reason", "key"),
    ),
    Target("banksampah_dashboard:report", "petugas", ("start", "end"), "get"),
    Target("banksampah_dashboard:report_csv", "petugas", ("start", "end"), "get"),
    Target("banksampah_dashboard:report_xlsx", "petugas", ("start", "end"), "get"),
    # reviews
    Target("reviews_dashboard:reply", "pengelola", ("text",)),
    Target("reviews_dashboard:hide", "koordinator", ("reason",)),
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
    Target("dashboard:induk", "koordinator", REPORT, "get"),
    Target("dashboard:induk_export", "koordinator", REPORT, "get"),
    Target("posdaya_dashboard:induk_export_csv", "koordinator", REPORT, "get"),
]

TARGETS = PUBLIC_TARGETS + DASHBOARD_TARGETS
