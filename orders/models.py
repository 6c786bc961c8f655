"""Orders: one checkout, one order, one sub-order per POSDAYA that fulfils it.

An `Order` is what the shopper placed and pays for (to the induk's bank
account, or cash on handover). Each POSDAYA whose products are in it gets its own
`SubOrder` (pesanan per POSDAYA), which it processes, ships or hands over and
completes. `OrderLine` rows snapshot name and price, so later catalog changes
never alter an order. Every state change is an append-only event row.
"""

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasar.models import AppendOnlyModel, TimeStampedModel, recorded_by

GRAMS_PER_KG = 1000


def current_time():
    """Return now: the default of a `created_at` that a service may set itself."""
    return timezone.now()


def created_at_field(verbose_name):
    """`created_at` that keeps a time given by the services (`now=`).

    Not auto_now_add, which ignores a given value: the services take `now=` so
    the demo can write eight weeks of history without patching the clock.
    """
    return models.DateTimeField(
        verbose_name, default=current_time, editable=False, db_index=True
    )


def payment_method_choices() -> list[tuple[str, str]]:
    """Return (code, label) of every method in `orders.payments.REGISTRY`."""
    # Imported here: payments.py imports DeliveryMethod from this module.
    from .payments import payment_choices

    return payment_choices()


class DeliveryMethod(models.TextChoices):
    PICKUP = "ambil", _("Ambil sendiri di POSDAYA")
    LOCAL = "antar", _("Antar (pengiriman lokal)")
    COURIER = "ekspedisi", _("Kirim ekspedisi")


class DeliveryZone(TimeStampedModel):
    """A delivery area with its fees, set by the koordinator.

    A fee is charged once per sub-order: each POSDAYA ships its own parcel.
    Local delivery (antar) pays the flat `fee`; a courier parcel pays
    `courier_first_kg_fee` plus `courier_extra_kg_fee` for every further kg
    started (`orders.shipping.delivery_fee_for`).
    """

    name = models.CharField(_("nama zona"), max_length=80, unique=True)
    fee = models.PositiveIntegerField(_("ongkir antar lokal (Rp)"))
    courier_first_kg_fee = models.PositiveIntegerField(
        _("ongkir ekspedisi kg pertama (Rp)"), default=0
    )
    courier_extra_kg_fee = models.PositiveIntegerField(
        _("ongkir ekspedisi per kg berikutnya (Rp)"), default=0
    )
    for_local = models.BooleanField(_("untuk antar lokal"), default=True)
    for_courier = models.BooleanField(_("untuk kirim ekspedisi"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("zona pengiriman")
        verbose_name_plural = _("zona pengiriman")
        ordering = ["fee", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(for_local=True) | Q(for_courier=True),
                name="delivery_zone_has_a_method",
                violation_error_message=_(
                    "Pilih minimal satu cara pengiriman untuk zona ini."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def applies_to(self, method: str) -> bool:
        return (method == DeliveryMethod.LOCAL and self.for_local) or (
            method == DeliveryMethod.COURIER and self.for_courier
        )


class Order(TimeStampedModel):
    """What a shopper placed at checkout; paid as one amount."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "menunggu_pembayaran", _("Menunggu pembayaran")
        AWAITING_VERIFICATION = "menunggu_verifikasi", _("Menunggu verifikasi")
        PAID = "dibayar", _("Dibayar")
        COMPLETED = "selesai", _("Selesai")
        CANCELLED = "dibatalkan", _("Dibatalkan")
        EXPIRED = "kedaluwarsa", _("Kedaluwarsa")

    created_at = created_at_field(_("dibuat"))
    code = models.CharField(_("kode pesanan"), max_length=16, unique=True)
    # Secret for the guest link; compared in constant time, never listed.
    secret = models.CharField(_("token rahasia"), max_length=64)
    # One per checkout form shown: a second submit finds the first order.
    checkout_token = models.CharField(_("token checkout"), max_length=64, unique=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun pembeli"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    name = models.CharField(_("nama pembeli"), max_length=120)
    phone = models.CharField(_("nomor WhatsApp"), max_length=16)
    email = models.EmailField(_("email"), blank=True)
    delivery_method = models.CharField(
        _("cara pengiriman"), max_length=12, choices=DeliveryMethod.choices
    )
    address = models.TextField(_("alamat pengiriman"), blank=True)
    zone = models.ForeignKey(
        DeliveryZone,
        verbose_name=_("zona pengiriman"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # The choices are read from the payment registry each time (a callable):
    # registering a method needs no migration and can never drift from it.
    payment_method = models.CharField(
        _("cara pembayaran"), max_length=16, choices=payment_method_choices
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=Status.choices,
        default=Status.AWAITING_PAYMENT,
    )
    items_total = models.PositiveIntegerField(_("total barang (Rp)"))
    delivery_total = models.PositiveIntegerField(_("total ongkir (Rp)"), default=0)
    # Kode unik of a bank transfer (1–999, 0 = none): added to the total so
    # the amount in the bank statement names the order; it belongs to the
    # induk, never to a POSDAYA (the sub-orders' totals leave it out).
    unique_code = models.PositiveSmallIntegerField(_("kode unik (Rp)"), default=0)
    total = models.PositiveIntegerField(_("total bayar (Rp)"))
    note = models.CharField(_("catatan pembeli"), max_length=300, blank=True)
    expires_at = models.DateTimeField(_("batas pembayaran"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    # The part of the total paid from the nasabah's savings book and not given
    # back yet; written only by orders.services.savings_payment.
    savings_amount = models.PositiveIntegerField(
        _("dibayar dari tabungan (Rp)"), default=0
    )

    class Meta:
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total=F("items_total") + F("delivery_total") + F("unique_code")
                ),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(unique_code__lte=999), name="order_unique_code_range"
            ),
            # One open order per code, so the amount received names one order.
            models.UniqueConstraint(
                fields=["unique_code"],
                condition=Q(unique_code__gt=0)
                & Q(status__in=["menunggu_pembayaran", "menunggu_verifikasi"]),
                name="order_unique_code_open",
            ),
            models.CheckConstraint(
                condition=Q(savings_amount__lte=F("total")),
                name="order_savings_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="order_status_expiry"),
            models.Index(fields=["customer", "-created_at"], name="order_customer"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("orders:order_detail", kwargs={"code": self.code})


class SubOrder(TimeStampedModel):
    """The part of an order one POSDAYA fulfils: its lines and its parcel."""

    class Status(models.TextChoices):
        NEW = "baru", _("Baru")
        PROCESSING = "diproses", _("Diproses")
        SHIPPED = "dikirim", _("Dikirim")
        READY = "siap_diambil", _("Siap diambil")
        COMPLETED = "selesai", _("Selesai")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    created_at = created_at_field(_("dibuat"))
    order = models.ForeignKey(
        Order,
        verbose_name=_("pesanan"),
        on_delete=models.CASCADE,
        related_name="suborders",
    )
    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="suborders",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    items_total = models.PositiveIntegerField(_("total barang (Rp)"))
    delivery_fee = models.PositiveIntegerField(_("ongkir (Rp)"), default=0)
    # The parcel's weight the fee was priced from (sum of product weight ×
    # quantity at checkout); empty on sub-orders placed before it was kept.
    parcel_weight_grams = models.PositiveIntegerField(
        _("berat paket (gram)"), null=True, blank=True
    )
    total = models.PositiveIntegerField(_("total (Rp)"))
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    courier = models.CharField(_("kurir"), max_length=60, blank=True)
    tracking_number = models.CharField(_("nomor resi"), max_length=60, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    # Set when a line holds made-to-order units: the day the parcel is promised
    # to leave (the placed day + the longest lead time of those lines).
    promised_date = models.DateField(_("janji kirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesanan POSDAYA")
        verbose_name_plural = _("pesanan POSDAYA")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "posdaya"], name="suborder_one_per_posdaya"
            ),
            models.CheckConstraint(
                condition=Q(total=F("items_total") + F("delivery_fee")),
                name="suborder_total_adds_up",
            ),
        ]
        indexes = [
            # The branch order list: WHERE posdaya = ? [AND status = ?]
            # ORDER BY created_at DESC.
            models.Index(
                fields=["posdaya", "status", "-created_at"],
                name="suborder_posdaya_status",
            ),
            models.Index(
                fields=["posdaya", "-created_at"], name="suborder_posdaya_recent"
            ),
            # The induk reports: sub-orders paid within a range of weeks, for
            # every POSDAYA (posdaya.reports.paid_suborders).
            models.Index(fields=["paid_at"], name="suborder_paid"),
            # Sub-orders still to be worked on, across every POSDAYA (the induk
            # glance): a small part of the history, so a partial index.
            models.Index(
                fields=["status"],
                name="suborder_open",
                condition=Q(status__in=["baru", "diproses", "siap_diambil", "dikirim"]),
            ),
        ]

    def __str__(self):
        return f"{self.order.code} · {self.posdaya}"

    def is_late_on(self, today) -> bool:
        """Whether the promised day is past and the parcel has not left yet."""
        return (
            self.promised_date is not None
            and self.promised_date < today
            and self.status in UNSENT_STATUSES
        )

    @property
    def parcel_weight_kg(self) -> Decimal | None:
        """The snapshotted parcel weight in kg (None before it was kept)."""
        if self.parcel_weight_grams is None:
            return None
        return Decimal(self.parcel_weight_grams) / GRAMS_PER_KG


# Sub-orders whose parcel has not left (not shipped, not ready for pickup):
# their made-to-order units are still to be made, and they can be late.
UNSENT_STATUSES = (SubOrder.Status.NEW, SubOrder.Status.PROCESSING)


class OrderLine(models.Model):
    """One product in a sub-order, with name and price as they were at checkout."""

    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("pesanan POSDAYA"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produk"),
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    variant = models.ForeignKey(
        "catalog.ProductVariant",
        verbose_name=_("varian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    product_name = models.CharField(_("nama produk"), max_length=120)
    # The variant's name as it was at checkout ("" for a product without).
    variant_name = models.CharField(_("nama varian"), max_length=90, blank=True)
    unit_price = models.PositiveIntegerField(_("harga satuan (Rp)"))
    quantity = models.PositiveIntegerField(_("jumlah"))
    line_total = models.PositiveIntegerField(_("subtotal (Rp)"))
    # Of `quantity`, the units made after the order (the rest came off the
    # shelf), and the lead time they were promised with (0: none).
    made_to_order_quantity = models.PositiveIntegerField(
        _("jumlah dibuat sesuai pesanan"), default=0
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lama pembuatan (hari)"), default=0
    )

    class Meta:
        verbose_name = _("baris pesanan")
        verbose_name_plural = _("baris pesanan")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")),
                name="order_line_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(made_to_order_quantity__lte=F("quantity")),
                name="order_line_made_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} × {self.quantity}"

    @property
    def ready_quantity(self) -> int:
        """Units that came off the shelf (the rest are made to order)."""
        return self.quantity - self.made_to_order_quantity

    @property
    def display_name(self) -> str:
        if self.variant_name:
            return f"{self.product_name} ({self.variant_name})"
        return self.product_name


def private_storage():
    return storages["private"]


class PaymentProof(TimeStampedModel):
    """A proof of transfer uploaded by the shopper, checked by the koordinator.

    For QRIS it is the shopper's "I have paid" in the same queue; the
    screenshot is optional there (the koordinator checks the merchant app),
    so `file` and `kind` may be empty.
    """

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu diperiksa")
        APPROVED = "disetujui", _("Disetujui")
        REJECTED = "ditolak", _("Ditolak")

    class Kind(models.TextChoices):
        IMAGE = "image", _("Foto")
        PDF = "pdf", _("PDF")

    created_at = created_at_field(_("dibuat"))
    order = models.ForeignKey(
        Order,
        verbose_name=_("pesanan"),
        on_delete=models.CASCADE,
        related_name="proofs",
    )
    # Private storage: never under MEDIA_URL; only the koordinator's view serves it.
    file = models.FileField(
        _("berkas bukti"),
        upload_to="payment-proofs/",
        storage=private_storage,
        blank=True,
    )
    kind = models.CharField(
        _("jenis berkas"), max_length=8, choices=Kind.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = recorded_by(_("diperiksa oleh"))
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    reason = models.CharField(_("alasan penolakan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bukti transfer")
        verbose_name_plural = _("bukti transfer")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="menunggu"),
                name="payment_proof_one_pending",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="proof_queue")]

    def __str__(self):
        return f"{self.order.code} · {self.get_status_display()}"


class IndukQris(TimeStampedModel):
    """The induk's static QRIS, as printed on its sticker; the latest row counts.

    Entered by the koordinator (pasted or read from a photo) and validated by
    `orders.qris.parse_qris`; each order paid by QRIS gets a dynamic code
    built from it with the exact amount. A new entry is a new row, so what was
    in force when is kept (and the change is in the audit log).
    """

    payload = models.TextField(_("payload QRIS"))
    merchant_name = models.CharField(_("nama merchant"), max_length=99)
    merchant_city = models.CharField(_("kota merchant"), max_length=99)
    by = recorded_by(_("oleh"))

    class Meta:
        verbose_name = _("QRIS induk")
        verbose_name_plural = _("QRIS induk")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"{self.merchant_name} ({self.merchant_city})"


class StatusEvent(AppendOnlyModel):
    """Abstract base: a change of status, who, when, from, to, why. Append-only.

    A subclass adds the link to its document, the two status fields (sized for
    its own statuses) and `statuses`, the TextChoices they hold.
    """

    statuses: type[models.TextChoices]

    created_at = created_at_field(_("waktu"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    by = recorded_by(_("oleh"))

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def get_from_status_display(self):
        return self.statuses(self.from_status).label if self.from_status else ""

    def get_to_status_display(self):
        return self.statuses(self.to_status).label


class OrderEvent(StatusEvent):
    """A change of an order's status."""

    statuses = Order.Status

    order = models.ForeignKey(
        Order,
        verbose_name=_("pesanan"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(_("dari"), max_length=24, blank=True)
    to_status = models.CharField(_("ke"), max_length=24)

    class Meta(StatusEvent.Meta):
        verbose_name = _("riwayat pesanan")
        verbose_name_plural = _("riwayat pesanan")

    def __str__(self):
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class SubOrderEvent(StatusEvent):
    """A change of a sub-order's status."""

    statuses = SubOrder.Status

    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("pesanan POSDAYA"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(_("dari"), max_length=16, blank=True)
    to_status = models.CharField(_("ke"), max_length=16)

    class Meta(StatusEvent.Meta):
        verbose_name = _("riwayat pesanan POSDAYA")
        verbose_name_plural = _("riwayat pesanan POSDAYA")

    def __str__(self):
        return f"{self.suborder_id}: {self.from_status} → {self.to_status}"


class SettlementEntry(AppendOnlyModel):
    """The usaha bersama books: what the induk owes each POSDAYA. Append-only.

    A paid, completed sub-order credits its POSDAYA with the goods minus the
    induk fee (the rate is stored on the entry) plus the delivery fee it
    collected; a refund of a credited sub-order reverses that credit; a payout
    records money the induk handed over. Balance owed = sum of amounts.
    """

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Penjualan selesai")
        REVERSAL = "reversal", _("Pembatalan/retur")
        PAYOUT = "payout", _("Pembayaran ke POSDAYA")

    class Method(models.TextChoices):
        CASH = "tunai", _("Tunai")
        TRANSFER = "transfer", _("Transfer bank")

    created_at = created_at_field(_("waktu"))
    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="settlement_entries",
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    suborder = models.ForeignKey(
        SubOrder,
        verbose_name=_("pesanan POSDAYA"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settlement_entries",
    )
    goods_total = models.PositiveIntegerField(_("total barang (Rp)"), default=0)
    delivery_fee = models.PositiveIntegerField(_("ongkir (Rp)"), default=0)
    fee_percent = models.DecimalField(
        _("biaya induk (%)"), max_digits=5, decimal_places=2, default=0
    )
    fee_amount = models.PositiveIntegerField(_("biaya induk (Rp)"), default=0)
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("membalik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    method = models.CharField(
        _("cara bayar"), max_length=10, choices=Method.choices, blank=True
    )
    reference = models.CharField(_("referensi"), max_length=120, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    by = recorded_by(_("oleh"))
    # Set on a payout, from its form: a double submit pays out once.
    idempotency_key = models.UUIDField(
        _("kunci konfirmasi"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("entri setelmen")
        verbose_name_plural = _("setelmen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["posdaya", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["suborder"],
                condition=Q(kind="credit"),
                name="settlement_one_credit_per_suborder",
            ),
            models.CheckConstraint(
                condition=(Q(kind="credit") & Q(amount__gte=0))
                | (~Q(kind="credit") & Q(amount__lte=0)),
                name="settlement_amount_sign_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.posdaya} · {self.get_kind_display()} · {self.amount}"
