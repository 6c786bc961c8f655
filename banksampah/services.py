"""Every write of the bank sampah: members, weighings, savings, stock, prices.

Money is integer Rupiah, weights Decimal with three places. A member's balance
and a POSDAYA's stock of a category change only inside a transaction that holds
a lock on the member row or the stock row (`select_for_update`), so two tellers
pressing at once cannot overdraw a book or sell stock twice. Ledger rows
(savings entries, stock movements) are only ever inserted.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog
from pasar.money import KG_QUANTUM, format_kg, format_rupiah, rupiah_for_weight

from .models import (
    Deposit,
    DepositLine,
    Member,
    MemberSequence,
    PengepulSale,
    PengepulSaleLine,
    ProductionUse,
    SavingsEntry,
    WasteCategory,
    WastePrice,
    WasteStock,
    WasteStockMovement,
    Withdrawal,
)
from .selectors import prices_in_force

# A sane ceiling for one weighed line: nobody carries a tonne of bottles in.
MAX_LINE_WEIGHT = Decimal("1000.000")
MAX_LINES = 30
# Ceiling of one withdrawal or sale line price, against typing slips.
MAX_AMOUNT = 100_000_000


class BankSampahError(Exception):
    """A refused bank sampah operation; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WeighedLine:
    """One line as entered: a category and a weight in its unit."""

    category: WasteCategory
    weight: Decimal


@dataclass(frozen=True)
class PricedLine:
    """A line valued with the price in force: what the receipt will show."""

    category: WasteCategory
    weight: Decimal
    unit_price: int
    amount: int


# --------------------------------------------------------------------------- #
# Validation shared by the services
# --------------------------------------------------------------------------- #


def check_weight(weight) -> Decimal:
    """Return the weight as a Decimal with three places, or refuse it."""
    try:
        value = Decimal(str(weight))
    except (ArithmeticError, ValueError, TypeError):
        raise BankSampahError(_("Berat harus berupa angka.")) from None
    if not value.is_finite():
        raise BankSampahError(_("Berat harus berupa angka."))
    if value <= 0:
        raise BankSampahError(_("Berat harus lebih dari 0."))
    if value > MAX_LINE_WEIGHT:
        raise BankSampahError(
            _("Berat satu baris paling banyak %(max)s.")
            % {"max": format_kg(MAX_LINE_WEIGHT, "")}
        )
    if value != value.quantize(KG_QUANTUM):
        raise BankSampahError(_("Berat paling banyak 3 angka di belakang koma."))
    return value.quantize(KG_QUANTUM)


def price_lines(
    *, lines: Sequence[WeighedLine], on_date: date, price: str = "buy_price"
) -> list[PricedLine]:
    """Value weighed lines with the price in force on `on_date` (no writes).

    Refuses empty input, inactive categories and categories without a price.
    """
    if not lines:
        raise BankSampahError(_("Isi paling sedikit satu baris timbangan."))
    if len(lines) > MAX_LINES:
        raise BankSampahError(
            _("Paling banyak %(max)s baris sekaligus.") % {"max": MAX_LINES}
        )
    prices = prices_in_force(on_date=on_date)
    priced = []
    for line in lines:
        weight = check_weight(line.weight)
        category = line.category
        if not category.is_active:
            raise BankSampahError(
                _("Jenis sampah %(name)s tidak aktif.") % {"name": category.name}
            )
        row = prices.get(category.pk)
        if row is None:
            raise BankSampahError(
                _("Jenis sampah %(name)s belum punya harga.") % {"name": category.name}
            )
        unit_price = getattr(row, price)
        priced.append(
            PricedLine(
                category=category,
                weight=weight,
                unit_price=unit_price,
                amount=rupiah_for_weight(weight, unit_price),
            )
        )
    return priced


def _lock_member(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def _append_savings_entry(
    *, member: Member, kind: str, amount: int, by, **links
) -> SavingsEntry:
    """Append one entry to a member already locked by the caller."""
    new_balance = member.balance + amount
    if new_balance < 0:
        raise BankSampahError(
            _("Saldo tidak cukup: saldo %(balance)s, diminta %(amount)s.")
            % {
                "balance": format_rupiah(member.balance),
                "amount": format_rupiah(-amount),
            }
        )
    entry = SavingsEntry.objects.create(
        member=member,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        by=by if by is not None and by.is_authenticated else None,
        **links,
    )
    Member.objects.filter(pk=member.pk).update(balance=new_balance)
    member.balance = new_balance
    return entry


def _lock_stock(
    *, posdaya_id: int, category_ids: Iterable[int]
) -> dict[int, WasteStock]:
    """Lock (creating when missing) the stock rows, in primary-key order."""
    ids = sorted(set(category_ids))
    WasteStock.objects.bulk_create(
        [WasteStock(posdaya_id=posdaya_id, category_id=pk) for pk in ids],
        ignore_conflicts=True,
    )
    rows = (
        WasteStock.objects.select_for_update()
        .filter(posdaya_id=posdaya_id, category_id__in=ids)
        .order_by("pk")
    )
    return {row.category_id: row for row in rows}


def _move_stock(
    *, stock: WasteStock, kind: str, weight: Decimal, by, **links
) -> WasteStockMovement:
    """Append one movement to a stock row already locked by the caller."""
    new_weight = stock.weight + weight
    if new_weight < 0:
        raise BankSampahError(
            _("Stok %(name)s tidak cukup: tersedia %(stock)s, diminta %(weight)s.")
            % {
                "name": stock.category.name,
                "stock": format_kg(stock.weight, stock.category.get_unit_display()),
                "weight": format_kg(-weight, stock.category.get_unit_display()),
            }
        )
    movement = WasteStockMovement.objects.create(
        posdaya_id=stock.posdaya_id,
        category_id=stock.category_id,
        kind=kind,
        weight=weight,
        weight_after=new_weight,
        by=by if by is not None and by.is_authenticated else None,
        **links,
    )
    WasteStock.objects.filter(pk=stock.pk).update(weight=new_weight)
    stock.weight = new_weight
    return movement


def _user(by):
    return by if by is not None and by.is_authenticated else None


# --------------------------------------------------------------------------- #
# Members
# --------------------------------------------------------------------------- #


def register_member(
    *,
    posdaya,
    name: str,
    whatsapp: str = "",
    address: str = "",
    rt: str = "",
    rw: str = "",
    joined_on: date | None = None,
    user=None,
) -> Member:
    """Open a savings book at `posdaya` with the next account number.

    The number is `<code>-<rw>-<sequence>` (e.g. `BHG-07-0042`); the sequence
    comes from a counter row locked for the transaction, so numbers are unique
    and never handed out twice, even when a member is later removed.
    """
    with transaction.atomic():
        MemberSequence.objects.get_or_create(posdaya=posdaya)
        counter = MemberSequence.objects.select_for_update().get(posdaya=posdaya)
        counter.last_number = F("last_number") + 1
        counter.save(update_fields=["last_number"])
        counter.refresh_from_db(fields=["last_number"])
        sequence = counter.last_number
        return Member.objects.create(
            posdaya=posdaya,
            sequence=sequence,
            account_number=f"{posdaya.code}-{posdaya.rw}-{sequence:04d}",
            name=name.strip(),
            whatsapp=whatsapp,
            address=address,
            rt=rt,
            rw=rw or posdaya.rw,
            joined_on=joined_on or timezone.localdate(),
            user=user,
        )


def update_member(*, member: Member, **fields) -> Member:
    """Change a member's contact details (never the number nor the balance)."""
    allowed = {"name", "whatsapp", "address", "rt", "rw", "is_active", "user"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)}")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(member, key, value)
        member.save(update_fields=[*fields, "updated_at"])
    return member


# --------------------------------------------------------------------------- #
# Weighing, withdrawal, reversal
# --------------------------------------------------------------------------- #


def record_deposit(
    *,
    member: Member,
    lines: Sequence[WeighedLine],
    by,
    idempotency_key: uuid.UUID,
    weighed_on: date | None = None,
) -> Deposit:
    """Record a setoran: price the lines, credit the book once, add the stock.

    All in one transaction under the member's lock. A key that was already used
    returns the deposit it created, so a double-click credits once; a key used
    for another member is refused.
    """
    weighed_on = weighed_on or timezone.localdate()
    existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_deposit(existing, member)
    priced = price_lines(lines=lines, on_date=weighed_on)
    try:
        with transaction.atomic():
            locked = _lock_member(member)
            if not locked.is_active:
                raise BankSampahError(
                    _("Nasabah %(name)s tidak aktif.") % {"name": locked.name}
                )
            # Checked again under the lock: a concurrent request with the same
            # key waited for us and must not credit a second time.
            existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _same_deposit(existing, member)
            deposit = Deposit.objects.create(
                posdaya_id=locked.posdaya_id,
                member=locked,
                idempotency_key=idempotency_key,
                weighed_on=weighed_on,
                total_amount=sum(line.amount for line in priced),
                by=_user(by),
            )
            DepositLine.objects.bulk_create(
                [
                    DepositLine(
                        deposit=deposit,
                        category=line.category,
                        weight=line.weight,
                        unit_price=line.unit_price,
                        amount=line.amount,
                    )
                    for line in priced
                ]
            )
            if deposit.total_amount > 0:
                _append_savings_entry(
                    member=locked,
                    kind=SavingsEntry.Kind.DEPOSIT,
                    amount=deposit.total_amount,
                    by=by,
                    deposit=deposit,
                )
            stock = _lock_stock(
                posdaya_id=locked.posdaya_id,
                category_ids=[li.category.pk for li in priced],
            )
            for line in priced:
                _move_stock(
                    stock=stock[line.category.pk],
                    kind=WasteStockMovement.Kind.IN_DEPOSIT,
                    weight=line.weight,
                    by=by,
                    deposit=deposit,
                )
    except IntegrityError:
        # Lost a race on the unique key (no lock order can prevent two inserts).
        existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_deposit(existing, member)
    member.balance = locked.balance
    return deposit


def _same_deposit(deposit: Deposit, member: Member) -> Deposit:
    if deposit.member_id != member.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai untuk nasabah lain. Muat ulang halaman.")
        )
    return deposit


def record_withdrawal(
    *,
    member: Member,
    amount: int,
    method: str = Withdrawal.Method.TUNAI,
    note: str = "",
    by,
    idempotency_key: uuid.UUID | None = None,
    withdrawn_on: date | None = None,
) -> Withdrawal:
    """Record a penarikan: check the balance and debit it under the member lock.

    Refuses amounts of zero or less, above the balance, or for an inactive
    member. A repeated key returns the first withdrawal.
    """
    idempotency_key = idempotency_key or uuid.uuid4()
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise BankSampahError(_("Jumlah harus berupa bilangan bulat Rupiah."))
    if amount <= 0:
        raise BankSampahError(_("Jumlah penarikan harus lebih dari Rp 0."))
    if amount > MAX_AMOUNT:
        raise BankSampahError(_("Jumlah penarikan terlalu besar."))
    if method not in Withdrawal.Method.values:
        raise BankSampahError(_("Cara penarikan tidak dikenal."))
    existing = Withdrawal.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_withdrawal(existing, member)
    with transaction.atomic():
        locked = _lock_member(member)
        existing = Withdrawal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_withdrawal(existing, member)
        if not locked.is_active:
            raise BankSampahError(
                _("Nasabah %(name)s tidak aktif.") % {"name": locked.name}
            )
        if amount > locked.balance:
            raise BankSampahError(
                _("Saldo tidak cukup: saldo %(balance)s, diminta %(amount)s.")
                % {
                    "balance": format_rupiah(locked.balance),
                    "amount": format_rupiah(amount),
                }
            )
        withdrawal = Withdrawal.objects.create(
            posdaya_id=locked.posdaya_id,
            member=locked,
            idempotency_key=idempotency_key,
            withdrawn_on=withdrawn_on or timezone.localdate(),
            amount=amount,
            method=method,
            note=note,
            by=_user(by),
        )
        _append_savings_entry(
            member=locked,
            kind=SavingsEntry.Kind.WITHDRAWAL,
            amount=-amount,
            by=by,
            withdrawal=withdrawal,
        )
    member.balance = locked.balance
    return withdrawal


def _same_withdrawal(withdrawal: Withdrawal, member: Member) -> Withdrawal:
    if withdrawal.member_id != member.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai untuk nasabah lain. Muat ulang halaman.")
        )
    return withdrawal


def reverse_entry(*, entry: SavingsEntry, reason: str, by) -> SavingsEntry:
    """Cancel a deposit or withdrawal entry with a linked correction entry.

    The original is never touched. Reversing a deposit also takes its weight out
    of the waste stock. Refused when already reversed, when the reason is empty,
    or when the member's balance (or the stock) would go below zero.
    """
    reason = (reason or "").strip()
    if not reason:
        raise BankSampahError(_("Tulis alasan koreksi."))
    if entry.kind == SavingsEntry.Kind.CORRECTION:
        raise BankSampahError(_("Koreksi tidak dapat dibatalkan lagi."))
    with transaction.atomic():
        locked = _lock_member(entry.member)
        if SavingsEntry.objects.filter(reversal_of=entry).exists():
            raise BankSampahError(_("Catatan ini sudah dibatalkan."))
        correction = _append_savings_entry(
            member=locked,
            kind=SavingsEntry.Kind.CORRECTION,
            amount=-entry.amount,
            by=by,
            deposit_id=entry.deposit_id,
            withdrawal_id=entry.withdrawal_id,
            reversal_of=entry,
            reason=reason,
        )
        if entry.deposit_id:
            lines = list(entry.deposit.lines.select_related("category"))
            stock = _lock_stock(
                posdaya_id=locked.posdaya_id,
                category_ids=[li.category_id for li in lines],
            )
            for line in lines:
                _move_stock(
                    stock=stock[line.category_id],
                    kind=WasteStockMovement.Kind.ADJUSTMENT,
                    weight=-line.weight,
                    by=by,
                    deposit_id=entry.deposit_id,
                    reason=reason,
                )
        record_audit(
            actor=by,
            action=AuditLog.Action.LEDGER_CORRECTION,
            target=entry,
            posdaya=locked.posdaya,
            before={"balance": locked.balance + entry.amount},
            after={"balance": locked.balance, "correction": correction.pk},
            note=reason,
        )
    entry.member.balance = locked.balance
    return correction


def reverse_deposit(*, deposit: Deposit, reason: str, by) -> SavingsEntry:
    """Cancel a whole setoran (money and stock) with a reason."""
    entry = deposit.entries.filter(kind=SavingsEntry.Kind.DEPOSIT).first()
    if entry is None:
        raise BankSampahError(_("Setoran ini tidak punya catatan tabungan."))
    return reverse_entry(entry=entry, reason=reason, by=by)


def reverse_withdrawal(*, withdrawal: Withdrawal, reason: str, by) -> SavingsEntry:
    """Cancel a penarikan: the money goes back into the book."""
    entry = withdrawal.entries.get(kind=SavingsEntry.Kind.WITHDRAWAL)
    return reverse_entry(entry=entry, reason=reason, by=by)


# --------------------------------------------------------------------------- #
# Waste stock: sales, production, adjustments
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class SaleLine:
    """One line of a sale as entered; `unit_price` None means the price list."""

    category: WasteCategory
    weight: Decimal
    unit_price: int | None = None


def record_sale(
    *,
    posdaya,
    buyer_name: str,
    lines: Sequence[SaleLine],
    by,
    note: str = "",
    sold_on: date | None = None,
) -> PengepulSale:
    """Sell sorted waste to a pengepul: lines out of stock, total as income.

    A line without a price takes the sell price in force. Refused when a
    category lacks the stock.
    """
    sold_on = sold_on or timezone.localdate()
    buyer_name = (buyer_name or "").strip()
    if not buyer_name:
        raise BankSampahError(_("Tulis nama pengepul."))
    if not lines:
        raise BankSampahError(_("Isi paling sedikit satu baris."))
    if len({line.category.pk for line in lines}) != len(lines):
        raise BankSampahError(_("Satu jenis sampah cukup satu baris."))
    listed = {
        p.category.pk: p
        for p in price_lines(
            lines=[WeighedLine(li.category, li.weight) for li in lines],
            on_date=sold_on,
            price="sell_price",
        )
    }
    priced = []
    for line in lines:
        unit_price = line.unit_price
        if unit_price is None:
            unit_price = listed[line.category.pk].unit_price
        if unit_price < 0 or unit_price > MAX_AMOUNT:
            raise BankSampahError(_("Harga tidak masuk akal."))
        weight = listed[line.category.pk].weight
        priced.append(
            PricedLine(
                category=line.category,
                weight=weight,
                unit_price=unit_price,
                amount=rupiah_for_weight(weight, unit_price),
            )
        )
    with transaction.atomic():
        stock = _lock_stock(posdaya_id=posdaya.pk, category_ids=listed)
        sale = PengepulSale.objects.create(
            posdaya=posdaya,
            buyer_name=buyer_name,
            sold_on=sold_on,
            total_amount=sum(line.amount for line in priced),
            note=note,
            by=_user(by),
        )
        PengepulSaleLine.objects.bulk_create(
            [
                PengepulSaleLine(
                    sale=sale,
                    category=line.category,
                    weight=line.weight,
                    unit_price=line.unit_price,
                    amount=line.amount,
                )
                for line in priced
            ]
        )
        for line in priced:
            _move_stock(
                stock=stock[line.category.pk],
                kind=WasteStockMovement.Kind.OUT_SALE,
                weight=-line.weight,
                by=by,
                sale=sale,
            )
    return sale


def record_production_use(
    *,
    posdaya,
    category: WasteCategory,
    weight: Decimal,
    by,
    product=None,
    note: str = "",
    used_on: date | None = None,
) -> ProductionUse:
    """Take waste out of stock for craft production (optionally for a product)."""
    weight = check_weight(weight)
    if product is not None and product.posdaya_id != posdaya.pk:
        raise BankSampahError(_("Produk itu bukan milik POSDAYA ini."))
    with transaction.atomic():
        stock = _lock_stock(posdaya_id=posdaya.pk, category_ids=[category.pk])
        use = ProductionUse.objects.create(
            posdaya=posdaya,
            category=category,
            weight=weight,
            product=product,
            used_on=used_on or timezone.localdate(),
            note=note,
            by=_user(by),
        )
        _move_stock(
            stock=stock[category.pk],
            kind=WasteStockMovement.Kind.OUT_PRODUCTION,
            weight=-weight,
            by=by,
            production=use,
        )
    return use


def adjust_waste_stock(
    *, posdaya, category: WasteCategory, weight: Decimal, reason: str, by
) -> WasteStockMovement:
    """Correct the stock of one category by a signed weight, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise BankSampahError(_("Tulis alasan penyesuaian."))
    try:
        value = Decimal(str(weight))
    except (ArithmeticError, ValueError, TypeError):
        raise BankSampahError(_("Berat harus berupa angka.")) from None
    if not value.is_finite() or value == 0:
        raise BankSampahError(_("Berat penyesuaian tidak boleh 0."))
    magnitude = check_weight(abs(value))
    signed = magnitude if value > 0 else -magnitude
    with transaction.atomic():
        stock = _lock_stock(posdaya_id=posdaya.pk, category_ids=[category.pk])[
            category.pk
        ]
        movement = _move_stock(
            stock=stock,
            kind=WasteStockMovement.Kind.ADJUSTMENT,
            weight=signed,
            by=by,
            reason=reason,
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.STOCK_ADJUSTMENT,
            target=movement,
            posdaya=posdaya,
            before={"weight": str(movement.weight_after - signed)},
            after={"weight": str(movement.weight_after)},
            note=reason,
        )
    return movement


# --------------------------------------------------------------------------- #
# Reference data (koordinator)
# --------------------------------------------------------------------------- #


def set_waste_price(
    *,
    category: WasteCategory,
    valid_from: date,
    buy_price: int,
    sell_price: int,
    by,
) -> WastePrice:
    """Set the prices of a category from a date on; audited.

    Past weighings keep the price copied onto their lines, so this never
    re-prices history. Setting the same date again replaces that row.
    """
    for value in (buy_price, sell_price):
        if not isinstance(value, int) or value < 0 or value > MAX_AMOUNT:
            raise BankSampahError(_("Harga harus bilangan bulat Rupiah 0 atau lebih."))
    with transaction.atomic():
        previous = prices_in_force(on_date=valid_from).get(category.pk)
        before = (
            {
                "valid_from": previous.valid_from.isoformat(),
                "buy_price": previous.buy_price,
                "sell_price": previous.sell_price,
            }
            if previous
            else None
        )
        price, _created = WastePrice.objects.update_or_create(
            category=category,
            valid_from=valid_from,
            defaults={
                "buy_price": buy_price,
                "sell_price": sell_price,
                "set_by": _user(by),
            },
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.PRICE_CHANGE,
            target=price,
            before=before,
            after={
                "valid_from": valid_from.isoformat(),
                "buy_price": buy_price,
                "sell_price": sell_price,
            },
        )
    return price


# slug, name, group, unit, buy price, sell price (Rupiah per unit): the waste the
# program paper's banks take in, at prices pengepul around Babelan paid in 2026.
DEFAULT_WASTE_CATEGORIES = [
    ("plastik-pet", "Botol plastik PET", "plastik", "kg", 3000, 4000),
    ("gelas-plastik", "Gelas plastik", "plastik", "kg", 4000, 5500),
    ("kemasan-sachet", "Kemasan/sachet", "plastik", "kg", 500, 1000),
    ("kresek", "Kantong kresek", "plastik", "kg", 300, 600),
    ("kardus", "Kardus", "kertas", "kg", 1500, 2000),
    ("kertas-hvs", "Kertas HVS", "kertas", "kg", 2000, 2800),
    ("koran", "Koran", "kertas", "kg", 1800, 2500),
    ("besi", "Besi", "logam", "kg", 3000, 4000),
    ("aluminium", "Aluminium", "logam", "kg", 10000, 13000),
    ("botol-kaca", "Botol kaca", "kaca", "kg", 300, 500),
    ("minyak-jelantah", "Minyak jelantah", "lainnya", "liter", 4000, 6000),
]


def missing_default_waste_categories() -> list[tuple]:
    """Rows of DEFAULT_WASTE_CATEGORIES whose slug and name are both still free."""
    taken_slugs = set(WasteCategory.objects.values_list("slug", flat=True))
    taken_names = {
        name.casefold() for name in WasteCategory.objects.values_list("name", flat=True)
    }
    return [
        row
        for row in DEFAULT_WASTE_CATEGORIES
        if row[0] not in taken_slugs and row[1].casefold() not in taken_names
    ]


def add_default_waste_categories(*, by, valid_from: date) -> int:
    """Create the missing default waste categories, each with its starting price.

    The prices go through `set_waste_price`, so they are audited like any other.
    Existing categories and their prices are left alone. Returns how many
    categories were created.
    """
    created = 0
    with transaction.atomic():
        order = {row[0]: n for n, row in enumerate(DEFAULT_WASTE_CATEGORIES, 1)}
        for slug, name, group, unit, buy, sell in missing_default_waste_categories():
            # get_or_create: a second click racing the first prices nothing twice.
            category, new = WasteCategory.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "group": group,
                    "unit": unit,
                    "order": order[slug],
                },
            )
            if not new:
                continue
            created += 1
            set_waste_price(
                category=category,
                valid_from=valid_from,
                buy_price=buy,
                sell_price=sell,
                by=by,
            )
    return created


def save_waste_category(
    *, category: WasteCategory | None = None, by, **fields
) -> WasteCategory:
    """Create or change a waste category (name, slug, group, unit, order, active)."""
    with transaction.atomic():
        category = category or WasteCategory()
        for key, value in fields.items():
            setattr(category, key, value)
        category.save()
    return category
