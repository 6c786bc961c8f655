"""The impact figures: waste collected, turned into crafts, paid to households.

Every number is an aggregate over the ledgers (deposits, order lines with the
products' materials, production use, the settlement ledger): no stored counter
that could drift. The result is cached for a few minutes because the page is
public and the sums run over every row.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from banksampah.models import DepositLine, ProductionUse
from orders.models import OrderLine, SettlementEntry, SubOrder
from posdaya.models import Posdaya

from .reports import standing_deposits

CACHE_KEY = "impact:v1"
CACHE_SECONDS = 300
ZERO = Decimal("0.000")
KG = "kg"


@dataclass
class Figures:
    collected_kg: Decimal = ZERO
    collected_liter: Decimal = ZERO
    in_products_kg: Decimal = ZERO
    production_kg: Decimal = ZERO
    paid_bank: int = 0
    paid_products: int = 0

    @property
    def paid_total(self) -> int:
        return self.paid_bank + self.paid_products


@dataclass
class Impact:
    overall: Figures
    per_posdaya: list[tuple[Posdaya, Figures]] = field(default_factory=list)
    per_month: list[tuple[dt.date, Figures]] = field(default_factory=list)


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def compute_impact() -> Impact:
    """Aggregate the impact per POSDAYA and per month (a fixed set of queries)."""
    far_past, today = dt.date(2000, 1, 1), timezone.localdate()
    by_posdaya: dict[int, Figures] = {}
    by_month: dict[dt.date, Figures] = {}

    def add(posdaya_id, month, name, value):
        for bucket, key in ((by_posdaya, posdaya_id), (by_month, _month(month))):
            figures = bucket.setdefault(key, Figures())
            setattr(figures, name, getattr(figures, name) + value)

    deposits = standing_deposits(start=far_past, end=today)
    for row in (
        DepositLine.objects.filter(deposit__in=deposits)
        .annotate(month=TruncMonth("deposit__weighed_on"))
        .values("deposit__posdaya_id", "month", "category__unit")
        .annotate(weight=Sum("weight"))
        .order_by()
    ):
        name = "collected_kg" if row["category__unit"] == KG else "collected_liter"
        if row["category__unit"] in (KG, "liter"):
            add(row["deposit__posdaya_id"], row["month"], name, row["weight"])
    for row in (
        deposits.annotate(month=TruncMonth("weighed_on"))
        .values("posdaya_id", "month")
        .annotate(amount=Sum("total_amount"))
        .order_by()
    ):
        add(row["posdaya_id"], row["month"], "paid_bank", row["amount"])
    kg_per_line = ExpressionWrapper(
        F("quantity") * F("product__materials__kg_per_unit"),
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )
    for row in (
        OrderLine.objects.filter(
            suborder__paid_at__isnull=False,
            product__materials__waste_category__unit=KG,
        )
        .exclude(suborder__status=SubOrder.Status.CANCELLED)
        .annotate(month=TruncMonth("suborder__paid_at"))
        .values("suborder__posdaya_id", "month")
        .annotate(weight=Sum(kg_per_line))
        .order_by()
    ):
        add(row["suborder__posdaya_id"], row["month"], "in_products_kg", row["weight"])
    for row in (
        ProductionUse.objects.filter(category__unit=KG)
        .annotate(month=TruncMonth("used_on"))
        .values("posdaya_id", "month")
        .annotate(weight=Sum("weight"))
        .order_by()
    ):
        add(row["posdaya_id"], row["month"], "production_kg", row["weight"])
    for row in (
        SettlementEntry.objects.exclude(kind=SettlementEntry.Kind.PAYOUT)
        .annotate(month=TruncMonth("created_at"))
        .values("posdaya_id", "month")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        add(row["posdaya_id"], row["month"], "paid_products", row["amount"])

    overall = Figures()
    for figures in by_posdaya.values():
        for name in Figures.__dataclass_fields__:
            setattr(overall, name, getattr(overall, name) + getattr(figures, name))
    branches = Posdaya.objects.filter(is_active=True).order_by("name")
    return Impact(
        overall=overall,
        per_posdaya=[(p, by_posdaya.get(p.pk, Figures())) for p in branches],
        per_month=sorted(by_month.items(), reverse=True)[:12],
    )


def impact() -> Impact:
    """Return the impact figures, computed at most every few minutes."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = compute_impact()
        cache.set(CACHE_KEY, cached, CACHE_SECONDS)
    return cached
