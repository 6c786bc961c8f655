"""Bank sampah: the waste bank each POSDAYA runs.

Nasabah (members) bring sorted waste on weighing days; a setoran (deposit) is
weighed and credited to the member's savings book; a penarikan is a withdrawal;
pengepul are the collectors who buy the sorted waste.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.models import AppendOnlyModel, TimeStampedModel, recorded_by


class WasteCategory(TimeStampedModel):
    """A jenis sampah: a kind of waste the bank accepts (PET bottles, cooking oil…).

    The `group` values are stored in Indonesian (plastik, kertas, logam, kaca,
    lainnya); the Python names are English.
    """

    class Group(models.TextChoices):
        PLASTIC = "plastik", _("Plastik")
        PAPER = "kertas", _("Kertas")
        METAL = "logam", _("Logam")
        GLASS = "kaca", _("Kaca")
        OTHER = "lainnya", _("Lainnya")

    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        LITER = "liter", _("liter")
        PCS = "pcs", _("pcs")

    name = models.CharField(_("nama"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    group = models.CharField(_("kelompok"), max_length=16, choices=Group.choices)
    unit = models.CharField(
        _("satuan"), max_length=8, choices=Unit.choices, default=Unit.KG
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis sampah")
        verbose_name_plural = _("jenis sampah")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class WastePrice(TimeStampedModel):
    """Harga sampah: prices of one waste category from a date on (koordinator).

    `buy_price` is paid to the member per unit; `sell_price` is what a pengepul
    (collector) is expected to pay per unit. The price in force on a day is the
    row with the latest `valid_from` on or before that day. Deposits copy the
    price onto their lines, so a later price never changes history.
    """

    category = models.ForeignKey(
        WasteCategory,
        verbose_name=_("jenis sampah"),
        on_delete=models.PROTECT,
        related_name="prices",
    )
    valid_from = models.DateField(_("berlaku mulai"))
    buy_price = models.PositiveIntegerField(_("harga beli (Rp per satuan)"))
    sell_price = models.PositiveIntegerField(_("harga jual (Rp per satuan)"))
    set_by = recorded_by(_("ditetapkan oleh"))

    class Meta:
        verbose_name = _("harga sampah")
        verbose_name_plural = _("harga sampah")
        ordering = ["category__order", "category__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "valid_from"], name="wasteprice_unique_date"
            ),
        ]

    def __str__(self):
        return f"{self.category} · {self.valid_from:%Y-%m-%d}"


class MemberSequence(models.Model):
    """The last account sequence handed out at one POSDAYA (never goes back)."""

    posdaya = models.OneToOneField(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    last_number = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("urutan nomor rekening")
        verbose_name_plural = _("urutan nomor rekening")

    def __str__(self):
        return f"{self.posdaya_id}: {self.last_number}"


class Member(TimeStampedModel):
    """A nasabah: a household that saves waste at one POSDAYA's bank sampah.

    `balance` is a cache of the sum of the member's savings entries, written
    only by the services under a lock on this row; `recompute_balances` checks it.
    `user` is the account that reads the book at /tabungan/; it is linked only
    by the member entering the one-time claim code the petugas handed over
    (`claim_code_hash`, a keyed hash of it, until `claim_code_expires_at`).
    `idempotency_key` comes from the registration form, so a double submit
    opens one book.
    """

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    account_number = models.CharField(_("nomor rekening"), max_length=20, unique=True)
    sequence = models.PositiveIntegerField(_("urutan"))
    name = models.CharField(_("nama"), max_length=120)
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=16, blank=True)
    whatsapp_receipts = models.BooleanField(
        _("kirim struk lewat WhatsApp"),
        default=False,
        help_text=_("Nasabah setuju menerima struk setoran dan penarikan di WhatsApp."),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    joined_on = models.DateField(_("tanggal bergabung"))
    is_active = models.BooleanField(_("aktif"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun pengguna"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    balance = models.BigIntegerField(_("saldo (Rp)"), default=0, editable=False)
    claim_code_hash = models.CharField(
        _("kode klaim (hash)"), max_length=64, blank=True, editable=False
    )
    claim_code_expires_at = models.DateTimeField(
        _("kode klaim berlaku sampai"), null=True, blank=True, editable=False
    )
    idempotency_key = models.UUIDField(
        _("kunci konfirmasi"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("nasabah")
        verbose_name_plural = _("nasabah")
        ordering = ["posdaya", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["posdaya", "sequence"], name="member_unique_sequence"
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="member_balance_not_negative"
            ),
            models.UniqueConstraint(
                fields=["claim_code_hash"],
                condition=~Q(claim_code_hash=""),
                name="member_unique_claim_code",
            ),
        ]
        indexes = [models.Index(fields=["posdaya", "name"])]

    def __str__(self):
        return f"{self.account_number} · {self.name}"

    def get_absolute_url(self):
        return reverse(
            "banksampah_dashboard:member_detail",
            kwargs={"posdaya": self.posdaya.slug, "pk": self.pk},
        )


class Deposit(TimeStampedModel):
    """A setoran: the waste one member brought on a weighing day.

    `idempotency_key` is generated when the deposit form is shown, so a retried
    or double-clicked confirmation finds the first deposit instead of crediting
    twice. A wrong deposit is never edited: a reversal entry cancels it.
    """

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="deposits",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("nasabah"),
        on_delete=models.PROTECT,
        related_name="deposits",
    )
    idempotency_key = models.UUIDField(_("kunci konfirmasi"), unique=True)
    weighed_on = models.DateField(_("tanggal timbang"))
    total_amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    by = recorded_by(_("petugas"))

    class Meta:
        verbose_name = _("setoran")
        verbose_name_plural = _("setoran")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["posdaya", "weighed_on"])]

    def __str__(self):
        return _("Setoran #%(number)s") % {"number": self.pk}


class PricedWasteLine(models.Model):
    """Abstract: a weight of one waste category priced per unit (rounded once)."""

    category = models.ForeignKey(
        WasteCategory,
        verbose_name=_("jenis sampah"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.DecimalField(_("berat"), max_digits=10, decimal_places=3)
    unit_price = models.PositiveIntegerField(_("harga per satuan (Rp)"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.category}: {self.weight}"


class DepositLine(PricedWasteLine):
    """One weighed category of a deposit, with the buy price of that day."""

    deposit = models.ForeignKey(
        Deposit,
        verbose_name=_("setoran"),
        on_delete=models.PROTECT,
        related_name="lines",
    )

    class Meta:
        verbose_name = _("baris setoran")
        verbose_name_plural = _("baris setoran")
        ordering = ["deposit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="depositline_weight_positive"
            ),
        ]


class Withdrawal(TimeStampedModel):
    """A penarikan: money a member takes out of the savings book.

    `method` is stored as "tunai" (cash) or "transfer".
    """

    class Method(models.TextChoices):
        CASH = "tunai", _("Tunai")
        TRANSFER = "transfer", _("Transfer")

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="withdrawals",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("nasabah"),
        on_delete=models.PROTECT,
        related_name="withdrawals",
    )
    idempotency_key = models.UUIDField(_("kunci konfirmasi"), unique=True)
    withdrawn_on = models.DateField(_("tanggal"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    method = models.CharField(
        _("cara"), max_length=10, choices=Method.choices, default=Method.CASH
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    by = recorded_by(_("petugas"))

    class Meta:
        verbose_name = _("penarikan")
        verbose_name_plural = _("penarikan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="withdrawal_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["posdaya", "withdrawn_on"])]

    def __str__(self):
        return _("Penarikan #%(number)s") % {"number": self.pk}


class SavingsEntry(AppendOnlyModel):
    """A catatan tabungan: one line of a member's savings book, never changed.

    `amount` is signed (credit positive, debit negative); `balance_after` is the
    running balance. A reversal entry (kind REVERSAL, stored as "correction" and
    shown as "Koreksi") cancels a deposit or withdrawal entry it points to.
    Paying an order from the book (bayar pakai tabungan) is a PURCHASE debit
    ("purchase", shown as "Belanja") with the order's code; money coming back
    from a cancelled or refunded order is a new PURCHASE_REFUND credit with
    the same code, never an edit of the debit.
    Entries of one member are written under a lock on the member row, so their
    ids follow the order of the book.
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Setoran")
        WITHDRAWAL = "withdrawal", _("Penarikan")
        REVERSAL = "correction", _("Koreksi")
        PURCHASE = "purchase", _("Belanja")
        PURCHASE_REFUND = "refund", _("Pengembalian belanja")

    member = models.ForeignKey(
        Member,
        verbose_name=_("nasabah"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    balance_after = models.BigIntegerField(_("saldo (Rp)"))
    by = recorded_by(_("oleh"))
    deposit = models.ForeignKey(
        Deposit,
        verbose_name=_("setoran"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    withdrawal = models.ForeignKey(
        Withdrawal,
        verbose_name=_("penarikan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("membatalkan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    # The order paid (or refunded) by a PURCHASE or PURCHASE_REFUND entry. A
    # code, not a key: the bank sampah sits below the orders app.
    order_code = models.CharField(_("kode pesanan"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("catatan tabungan")
        verbose_name_plural = _("catatan tabungan")
        ordering = ["member", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0),
                name="savingsentry_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(amount=0), name="savingsentry_amount_not_zero"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="purchase", amount__lt=0) & ~Q(order_code="")
                    | Q(kind="refund", amount__gt=0) & ~Q(order_code="")
                    | ~Q(kind__in=["purchase", "refund"]) & Q(order_code="")
                ),
                name="savingsentry_order_code_for_shopping",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "id"], name="savings_member_id"),
            models.Index(
                fields=["order_code"],
                name="savings_order_code",
                condition=~Q(order_code=""),
            ),
            models.Index(fields=["member", "created_at"], name="savings_member_time"),
        ]

    def __str__(self):
        return f"{self.member.account_number} · {self.get_kind_display()} {self.amount}"


class WasteStock(models.Model):
    """Stok sampah: cached stock of one category at one POSDAYA (its movements' sum).

    Movements lock this row, so stock can never go below zero.
    """

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="waste_stock",
    )
    category = models.ForeignKey(
        WasteCategory,
        verbose_name=_("jenis sampah"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.DecimalField(
        _("stok"), max_digits=12, decimal_places=3, default=0, editable=False
    )

    class Meta:
        verbose_name = _("stok sampah")
        verbose_name_plural = _("stok sampah")
        constraints = [
            models.UniqueConstraint(
                fields=["posdaya", "category"], name="wastestock_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="wastestock_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.posdaya_id} · {self.category}: {self.weight}"


class PengepulSale(TimeStampedModel):
    """A sale of sorted waste to a pengepul (collector): POSDAYA income."""

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="pengepul_sales",
    )
    buyer_name = models.CharField(_("nama pengepul"), max_length=120)
    idempotency_key = models.UUIDField(
        _("kunci konfirmasi"), null=True, blank=True, unique=True, editable=False
    )
    sold_on = models.DateField(_("tanggal"))
    total_amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    by = recorded_by(_("petugas"))

    class Meta:
        verbose_name = _("penjualan ke pengepul")
        verbose_name_plural = _("penjualan ke pengepul")
        ordering = ["-sold_on", "-id"]
        indexes = [models.Index(fields=["posdaya", "sold_on"])]

    def __str__(self):
        return _("Penjualan #%(number)s") % {"number": self.pk}


class PengepulSaleLine(PricedWasteLine):
    """One category sold to a pengepul, with the agreed price per unit."""

    sale = models.ForeignKey(
        PengepulSale,
        verbose_name=_("penjualan"),
        on_delete=models.PROTECT,
        related_name="lines",
    )

    class Meta:
        verbose_name = _("baris penjualan")
        verbose_name_plural = _("baris penjualan")
        ordering = ["sale", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="salelines_weight_positive"
            ),
        ]


class ProductionUse(TimeStampedModel):
    """Pemakaian untuk produksi: waste taken from stock to make crafts."""

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="production_uses",
    )
    category = models.ForeignKey(
        WasteCategory,
        verbose_name=_("jenis sampah"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.DecimalField(_("berat"), max_digits=10, decimal_places=3)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="production_uses",
    )
    used_on = models.DateField(_("tanggal"))
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    by = recorded_by(_("petugas"))
    idempotency_key = models.UUIDField(
        _("kunci konfirmasi"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("pemakaian untuk produksi")
        verbose_name_plural = _("pemakaian untuk produksi")
        ordering = ["-used_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="productionuse_weight_positive"
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.weight}"


class WasteStockMovement(AppendOnlyModel):
    """A mutasi stok sampah: one change of a POSDAYA's waste stock, never changed.

    `weight` is signed: in from a deposit, out to a pengepul sale or to craft
    production, or an adjustment (either sign) with a reason.
    """

    class Kind(models.TextChoices):
        IN_DEPOSIT = "in_deposit", _("Masuk dari setoran")
        OUT_SALE = "out_sale", _("Keluar dijual ke pengepul")
        OUT_PRODUCTION = "out_production", _("Keluar untuk produksi")
        ADJUSTMENT = "adjustment", _("Penyesuaian")

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        WasteCategory,
        verbose_name=_("jenis sampah"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    weight = models.DecimalField(_("berat"), max_digits=10, decimal_places=3)
    weight_after = models.DecimalField(
        _("stok sesudah"), max_digits=12, decimal_places=3
    )
    by = recorded_by(_("oleh"))
    deposit = models.ForeignKey(
        Deposit,
        verbose_name=_("setoran"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sale = models.ForeignKey(
        PengepulSale,
        verbose_name=_("penjualan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    production = models.ForeignKey(
        ProductionUse,
        verbose_name=_("produksi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    # Set on adjustments, from their form (a double submit moves stock once).
    idempotency_key = models.UUIDField(
        _("kunci konfirmasi"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("mutasi stok sampah")
        verbose_name_plural = _("mutasi stok sampah")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(weight=0), name="wastemovement_weight_not_zero"
            ),
            models.CheckConstraint(
                condition=Q(weight_after__gte=0),
                name="wastemovement_after_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["posdaya", "category", "id"], name="wastemove_stock"),
            models.Index(fields=["posdaya", "created_at"], name="wastemove_time"),
        ]

    def __str__(self):
        return f"{self.category}: {self.weight}"
