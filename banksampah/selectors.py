"""Reads of the bank sampah: scoped querysets, passbooks, stock and reports."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from pasar.dates import day_bounds
from pasar.money import KG_QUANTUM

from .models import (
    Deposit,
    DepositLine,
    Member,
    PengepulSale,
    SavingsEntry,
    WasteCategory,
    WastePrice,
    WasteStock,
    WasteStockMovement,
    Withdrawal,
)


def prices_in_force(*, on_date: dt.date) -> dict[int, WastePrice]:
    """Return {category id: price row} in force on `on_date` (latest valid_from)."""
    result: dict[int, WastePrice] = {}
    rows = WastePrice.objects.filter(valid_from__lte=on_date).order_by(
        "category_id", "-valid_from"
    )
    for row in rows:
        result.setdefault(row.category_id, row)
    return result


def priced_categories(*, on_date: dt.date) -> list[tuple[WasteCategory, WastePrice]]:
    """Return the active categories that have a price on `on_date`, in order."""
    prices = prices_in_force(on_date=on_date)
    return [
        (category, prices[category.pk])
        for category in WasteCategory.objects.filter(is_active=True)
        if category.pk in prices
    ]


def price_history() -> QuerySet[WastePrice]:
    """Return every price row with its category, newest first per category."""
    return WastePrice.objects.select_related("category", "set_by")


def members_of(posdaya) -> QuerySet[Member]:
    """Return the members of one POSDAYA (the view already checked access)."""
    return Member.objects.filter(posdaya=posdaya)


def search_members(*, posdaya, query: str = "") -> QuerySet[Member]:
    """Find members of a POSDAYA by name, account number or WhatsApp number."""
    members = members_of(posdaya).order_by("name", "sequence")
    query = (query or "").strip()
    if not query:
        return members
    condition = Q(name__icontains=query) | Q(account_number__icontains=query)
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) >= 4:
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        condition |= Q(whatsapp__contains=digits)
    if query.isdigit():
        condition |= Q(sequence=int(query))
    return members.filter(condition)


def member_for_user(user) -> Member | None:
    """Return the member record linked to a signed-in user, if any."""
    if not user.is_authenticated:
        return None
    return Member.objects.select_related("posdaya").filter(user=user).first()


def passbook(member: Member) -> QuerySet[SavingsEntry]:
    """Return a member's savings entries in book order (oldest first)."""
    return SavingsEntry.objects.filter(member=member).order_by("id")


def passbook_recent_first(member: Member) -> QuerySet[SavingsEntry]:
    """Return a member's savings entries, newest first (uses the member+id index)."""
    return SavingsEntry.objects.filter(member=member).order_by("-id")


@dataclass
class MemberWasteRow:
    """What one member brought of one category, and her share of its fate."""

    category: WasteCategory
    weight: Decimal
    amount: int
    into_production: Decimal = Decimal("0.000")
    sold_to_pengepul: Decimal = Decimal("0.000")


@dataclass
class MemberWaste:
    """A member's own impact: the impact page's figures read for her alone."""

    rows: list[MemberWasteRow] = field(default_factory=list)

    def _total(self, name: str, unit: str) -> Decimal:
        return sum(
            (getattr(r, name) for r in self.rows if r.category.unit == unit),
            Decimal("0.000"),
        )

    @property
    def collected_kg(self) -> Decimal:
        return self._total("weight", WasteCategory.Unit.KG)

    @property
    def collected_liter(self) -> Decimal:
        return self._total("weight", WasteCategory.Unit.LITER)

    @property
    def production_kg(self) -> Decimal:
        return self._total("into_production", WasteCategory.Unit.KG)

    @property
    def sold_kg(self) -> Decimal:
        return self._total("sold_to_pengepul", WasteCategory.Unit.KG)

    @property
    def paid_bank(self) -> int:
        return sum(r.amount for r in self.rows)


def member_waste(member: Member) -> MemberWaste:
    """Return what a member brought per category and what became of it (3 queries).

    Counts her deposits that stand (not reversed), like the impact page. Waste
    is pooled in her POSDAYA's stock, so what it became is her share of the
    pool: per category, her weight over all the weight that came in from
    deposits, times what the POSDAYA used for crafts and sold to pengepul.
    """
    reversed_deposit = SavingsEntry.objects.filter(
        deposit=OuterRef("deposit"), kind=SavingsEntry.Kind.REVERSAL
    )
    lines = (
        DepositLine.objects.filter(deposit__member=member)
        .exclude(Exists(reversed_deposit))
        .values("category")
        .annotate(weight=Sum("weight"), amount=Sum("amount"))
        .order_by()
    )
    brought = {row["category"]: row for row in lines}
    if not brought:
        return MemberWaste()
    kinds = WasteStockMovement.Kind
    pool = {
        row["category_id"]: row
        for row in WasteStockMovement.objects.filter(
            posdaya_id=member.posdaya_id, category_id__in=list(brought)
        )
        .values("category_id")
        .annotate(
            came_in=Sum(
                "weight",
                filter=Q(kind=kinds.IN_DEPOSIT)
                | Q(kind=kinds.ADJUSTMENT, deposit__isnull=False),
            ),
            production=Sum("weight", filter=Q(kind=kinds.OUT_PRODUCTION)),
            sold=Sum("weight", filter=Q(kind=kinds.OUT_SALE)),
        )
        .order_by()
    }
    categories = WasteCategory.objects.filter(pk__in=list(brought))
    rows = []
    for category in categories:
        mine = brought[category.pk]
        weight = _kg(mine["weight"])
        row = MemberWasteRow(category=category, weight=weight, amount=mine["amount"])
        totals = pool.get(category.pk)
        came_in = _kg(totals and totals["came_in"])
        if totals and came_in > 0:
            share = min(weight / came_in, Decimal(1))
            row.into_production = _kg(-_kg(totals["production"]) * share)
            row.sold_to_pengepul = _kg(-_kg(totals["sold"]) * share)
        rows.append(row)
    return MemberWaste(rows=rows)


def _kg(value) -> Decimal:
    # SQLite sums decimals as floats: back to three places.
    return Decimal(str(value or 0)).quantize(KG_QUANTUM)


def member_id_of_order_payment(order_code: str) -> int | None:
    """Return the member whose book paid the order `order_code`, if one did."""
    return (
        SavingsEntry.objects.filter(
            order_code=order_code, kind=SavingsEntry.Kind.PURCHASE
        )
        .values_list("member_id", flat=True)
        .first()
    )


def deposits_of(posdaya) -> QuerySet[Deposit]:
    """Return a POSDAYA's deposits, each flagged `is_reversed`."""
    return Deposit.objects.filter(posdaya=posdaya).annotate(
        is_reversed=Exists(
            SavingsEntry.objects.filter(
                deposit=OuterRef("pk"), kind=SavingsEntry.Kind.REVERSAL
            )
        )
    )


def withdrawals_of(posdaya) -> QuerySet[Withdrawal]:
    """Return a POSDAYA's withdrawals, each flagged `is_reversed`."""
    return Withdrawal.objects.filter(posdaya=posdaya).annotate(
        is_reversed=Exists(
            SavingsEntry.objects.filter(
                withdrawal=OuterRef("pk"), kind=SavingsEntry.Kind.REVERSAL
            )
        )
    )


def sales_of(posdaya) -> QuerySet[PengepulSale]:
    """Return a POSDAYA's sales to pengepul."""
    return PengepulSale.objects.filter(posdaya=posdaya)


def waste_stock_per_category(posdaya) -> list[WasteStock]:
    """Return the POSDAYA's stock rows with their category, in category order."""
    return list(
        WasteStock.objects.filter(posdaya=posdaya)
        .select_related("category")
        .order_by("category__order", "category__name")
    )


def waste_stock_movements(posdaya) -> QuerySet[WasteStockMovement]:
    """Return the POSDAYA's stock movements, newest first."""
    return (
        WasteStockMovement.objects.filter(posdaya=posdaya)
        .select_related("category", "by")
        .order_by("-id")
    )


@dataclass
class BranchReport:
    """Figures of one POSDAYA's bank sampah over a date range (inclusive)."""

    start: dt.date
    end: dt.date
    per_category: list[dict] = field(default_factory=list)
    total_weight: Decimal = Decimal("0.000")
    credited: int = 0
    withdrawn: int = 0
    sold: int = 0
    sold_weight: Decimal = Decimal("0.000")
    # Paid from members' books for orders, net of refunds: money the bank
    # sampah holds for the induk, which settles it to the selling POSDAYA.
    shopped: int = 0
    deposit_count: int = 0
    depositor_count: int = 0
    top_depositors: list[dict] = field(default_factory=list)


def branch_report(
    *, posdaya, start: dt.date, end: dt.date, top: int = 10
) -> BranchReport:
    """Aggregate a POSDAYA's deposits, withdrawals and sales from start to end.

    Reversed deposits and withdrawals are left out: the report shows what
    stands. Weight per category counts weighed lines; Rupiah credited is the
    sum of those deposits; sold is the total of pengepul sales in the range.
    """
    report = BranchReport(start=start, end=end)
    deposits = deposits_of(posdaya).filter(
        weighed_on__gte=start, weighed_on__lte=end, is_reversed=False
    )
    lines = (
        DepositLine.objects.filter(deposit__in=deposits.values("pk"))
        .values("category_id", "category__name", "category__unit", "category__order")
        .annotate(weight=Sum("weight"), amount=Sum("amount"))
        .order_by("category__order", "category__name")
    )
    report.per_category = [
        {
            "category": row["category__name"],
            "unit": row["category__unit"],
            "weight": row["weight"].quantize(Decimal("0.001")),
            "amount": row["amount"],
        }
        for row in lines
    ]
    report.total_weight = sum(
        (row["weight"] for row in report.per_category), Decimal("0.000")
    )
    totals = deposits.aggregate(
        credited=Sum("total_amount"),
        count=Count("pk"),
        members=Count("member", distinct=True),
    )
    report.credited = totals["credited"] or 0
    report.deposit_count = totals["count"]
    report.depositor_count = totals["members"]
    report.withdrawn = (
        withdrawals_of(posdaya)
        .filter(withdrawn_on__gte=start, withdrawn_on__lte=end, is_reversed=False)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    low, high = day_bounds(start, end)
    report.shopped = -(
        SavingsEntry.objects.filter(
            member__posdaya=posdaya,
            kind__in=[SavingsEntry.Kind.PURCHASE, SavingsEntry.Kind.PURCHASE_REFUND],
            created_at__gte=low,
            created_at__lt=high,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    sales = sales_of(posdaya).filter(sold_on__gte=start, sold_on__lte=end)
    report.sold = sales.aggregate(total=Sum("total_amount"))["total"] or 0
    report.sold_weight = (
        sales.aggregate(weight=Sum("lines__weight"))["weight"] or Decimal("0")
    ).quantize(Decimal("0.001"))
    report.top_depositors = list(
        deposits.values("member__account_number", "member__name")
        .annotate(amount=Sum("total_amount"), visits=Count("pk"))
        .order_by("-amount", "member__account_number")[:top]
    )
    return report


# --------------------------------------------------------------------------- #
# Checks of the cached balances against their ledgers (recompute_balances)
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class BalanceMismatch:
    """A member whose cached balance differs from the savings entries."""

    member_id: int
    account_number: str
    cached: int
    entries_sum: int
    last_balance_after: int


@dataclass(frozen=True)
class WasteStockMismatch:
    """A stock row whose cached weight differs from its movements."""

    stock_id: int
    posdaya_code: str
    category_slug: str
    cached: Decimal
    movements_sum: Decimal
    last_weight_after: Decimal


def balance_mismatches(*, chunk_size: int = 2000):
    """Yield every member whose balance is not the sum of its entries.

    Also yields one whose last running balance disagrees with that sum (the
    ledger itself is then wrong). One query, streamed in primary-key order.
    """
    entries = SavingsEntry.objects.filter(member=OuterRef("pk"))
    rows = (
        Member.objects.annotate(
            ledger=Coalesce(
                Subquery(
                    entries.order_by()
                    .values("member")
                    .annotate(s=Sum("amount"))
                    .values("s")
                ),
                0,
            ),
            last=Coalesce(
                Subquery(entries.order_by("-id").values("balance_after")[:1]), 0
            ),
        )
        .order_by("pk")
        .values_list("pk", "account_number", "balance", "ledger", "last")
        .iterator(chunk_size=chunk_size)
    )
    for pk, number, cached, ledger, last in rows:
        if cached != ledger or last != ledger:
            yield BalanceMismatch(pk, number, cached, ledger, last)


def waste_stock_mismatches(*, chunk_size: int = 2000):
    """Yield every stock row whose weight is not the sum of its movements.

    Also yields one whose last running weight disagrees with that sum. One
    query, streamed in primary-key order.
    """
    weight = DecimalField(max_digits=14, decimal_places=3)
    movements = WasteStockMovement.objects.filter(
        posdaya=OuterRef("posdaya"), category=OuterRef("category")
    )
    rows = (
        WasteStock.objects.annotate(
            ledger=Coalesce(
                Subquery(
                    movements.order_by()
                    .values("posdaya", "category")
                    .annotate(s=Sum("weight"))
                    .values("s"),
                    output_field=weight,
                ),
                Decimal(0),
                output_field=weight,
            ),
            last=Coalesce(
                Subquery(
                    movements.order_by("-id").values("weight_after")[:1],
                    output_field=weight,
                ),
                Decimal(0),
                output_field=weight,
            ),
        )
        .order_by("pk")
        .values_list(
            "pk", "posdaya__code", "category__slug", "weight", "ledger", "last"
        )
        .iterator(chunk_size=chunk_size)
    )
    for pk, code, slug, cached, ledger, last in rows:
        # SQLite sums decimals as floats: back to the field's three places.
        ledger, last = ledger.quantize(KG_QUANTUM), last.quantize(KG_QUANTUM)
        if cached != ledger or last != ledger:
            yield WasteStockMismatch(pk, code, slug, cached, ledger, last)
