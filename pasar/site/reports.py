"""Induk reports: every figure computed by database aggregation.

Weeks run Monday to Sunday in Asia/Jakarta (the active time zone). Product
income is the goods total of sub-orders that are paid and not cancelled, by the
week they were paid; waste income is the total of pengepul sales, by the week of
the sale. A query count never depends on the number of POSDAYA or weeks.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Exists, OuterRef, Sum, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from banksampah.models import (
    Deposit,
    DepositLine,
    Member,
    PengepulSale,
    SavingsEntry,
)
from catalog.models import Product, ProductVariant
from orders.models import Order, OrderLine, SubOrder
from orders.payments import REGISTRY as PAYMENT_METHODS
from pasar.dates import day_bounds, this_week, weeks_between
from pasar.exports import Sheet
from posdaya.models import Posdaya

ZERO_KG = Decimal("0.000")
# Sub-orders still to be worked on (partial index `suborder_open`).
OPEN_SUBORDER_STATES = [
    SubOrder.Status.NEW,
    SubOrder.Status.PROCESSING,
    SubOrder.Status.READY,
    SubOrder.Status.SHIPPED,
]


def paid_suborders(*, start: dt.date, end: dt.date, posdaya: Posdaya | None = None):
    """Sub-orders paid within start..end (Jakarta dates) and not cancelled."""
    low, high = day_bounds(start, end)
    suborders = SubOrder.objects.filter(paid_at__gte=low, paid_at__lt=high).exclude(
        status=SubOrder.Status.CANCELLED
    )
    if posdaya is not None:
        suborders = suborders.filter(posdaya=posdaya)
    return suborders


def paid_lines(*, start: dt.date, end: dt.date, posdaya: Posdaya | None = None):
    """Order lines of the sub-orders `paid_suborders` returns.

    A plain join on the sub-order (not `suborder__in=`), so the database walks
    the paid-at index to the lines instead of scanning every order line.
    """
    low, high = day_bounds(start, end)
    lines = OrderLine.objects.filter(
        suborder__paid_at__gte=low, suborder__paid_at__lt=high
    ).exclude(suborder__status=SubOrder.Status.CANCELLED)
    if posdaya is not None:
        lines = lines.filter(suborder__posdaya=posdaya)
    return lines


def standing_deposits(*, start: dt.date, end: dt.date, posdaya: Posdaya | None = None):
    """Deposits weighed within start..end that were not reversed."""
    deposits = Deposit.objects.filter(
        weighed_on__gte=start, weighed_on__lte=end
    ).exclude(
        Exists(
            SavingsEntry.objects.filter(
                deposit=OuterRef("pk"), kind=SavingsEntry.Kind.REVERSAL
            )
        )
    )
    if posdaya is not None:
        deposits = deposits.filter(posdaya=posdaya)
    return deposits


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


@dataclass
class IncomeCell:
    product: int = 0
    waste: int = 0

    @property
    def total(self) -> int:
        return self.product + self.waste


@dataclass
class IncomeRow:
    posdaya: Posdaya
    cells: list[IncomeCell]

    @property
    def product(self) -> int:
        return sum(c.product for c in self.cells)

    @property
    def waste(self) -> int:
        return sum(c.waste for c in self.cells)

    @property
    def total(self) -> int:
        return self.product + self.waste

    @property
    def weekly_average(self) -> int:
        return round(self.total / len(self.cells)) if self.cells else 0


@dataclass
class IncomeReport:
    start: dt.date
    end: dt.date
    weeks: list[dt.date]
    rows: list[IncomeRow] = field(default_factory=list)

    def week_totals(self) -> list[IncomeCell]:
        return [
            IncomeCell(
                product=sum(r.cells[i].product for r in self.rows),
                waste=sum(r.cells[i].waste for r in self.rows),
            )
            for i in range(len(self.weeks))
        ]

    @property
    def product(self) -> int:
        return sum(r.product for r in self.rows)

    @property
    def waste(self) -> int:
        return sum(r.waste for r in self.rows)

    @property
    def total(self) -> int:
        return self.product + self.waste


def income_per_week(
    *, start: dt.date, end: dt.date, posdaya: Posdaya | None = None
) -> IncomeReport:
    """Return income per POSDAYA per week, product and waste parts (3 queries)."""
    weeks = weeks_between(start, end)
    index = {week: i for i, week in enumerate(weeks)}
    branches = Posdaya.objects.order_by("name")
    if posdaya is not None:
        branches = branches.filter(pk=posdaya.pk)
    rows = {p.pk: IncomeRow(p, [IncomeCell() for _ in weeks]) for p in branches}
    product = (
        paid_suborders(start=start, end=end, posdaya=posdaya)
        .annotate(week=TruncWeek("paid_at"))
        .values("posdaya_id", "week")
        .annotate(amount=Sum("items_total"))
        .order_by()
    )
    for row in product:
        rows[row["posdaya_id"]].cells[index[_as_date(row["week"])]].product = row[
            "amount"
        ]
    sales = PengepulSale.objects.filter(sold_on__gte=start, sold_on__lte=end)
    if posdaya is not None:
        sales = sales.filter(posdaya=posdaya)
    waste = (
        sales.annotate(week=TruncWeek("sold_on"))
        .values("posdaya_id", "week")
        .annotate(amount=Sum("total_amount"))
        .order_by()
    )
    for row in waste:
        rows[row["posdaya_id"]].cells[index[_as_date(row["week"])]].waste = row[
            "amount"
        ]
    return IncomeReport(start=start, end=end, weeks=weeks, rows=list(rows.values()))


def sales_by_category(*, start, end, posdaya=None) -> list[dict]:
    """Return units and Rupiah sold per product category (paid, not cancelled)."""
    return list(
        paid_lines(start=start, end=end, posdaya=posdaya)
        .values("product__category__name")
        .annotate(quantity=Sum("quantity"), amount=Sum("line_total"))
        .order_by("-amount", "product__category__name")
    )


def top_products(*, start, end, posdaya=None, limit: int = 10) -> list[dict]:
    """Return the best-selling products by units, then Rupiah."""
    return list(
        paid_lines(start=start, end=end, posdaya=posdaya)
        .values("product_id", "product_name", "variant_name", "suborder__posdaya__name")
        .annotate(quantity=Sum("quantity"), amount=Sum("line_total"))
        .order_by("-quantity", "-amount", "product_name", "variant_name")[:limit]
    )


def orders_by_state(*, start, end, posdaya=None) -> list[dict]:
    """Return how many orders were placed in the range, per current state."""
    low, high = day_bounds(start, end)
    orders = Order.objects.filter(created_at__gte=low, created_at__lt=high)
    if posdaya is not None:
        orders = orders.filter(suborders__posdaya=posdaya).distinct()
    counts = dict(
        orders.values("status")
        .annotate(n=Count("pk", distinct=True))
        .values_list("status", "n")
    )
    return [
        {"status": label, "count": counts.get(value, 0)}
        for value, label in Order.Status.choices
    ]


def waste_by_category(*, start, end, posdaya=None) -> list[dict]:
    """Return weight and Rupiah weighed per POSDAYA per waste category."""
    return [
        {**row, "weight": row["weight"].quantize(Decimal("0.001"))}
        for row in DepositLine.objects.filter(
            deposit__in=standing_deposits(start=start, end=end, posdaya=posdaya)
        )
        .values("deposit__posdaya__name", "category__name", "category__unit")
        .annotate(weight=Sum("weight"), amount=Sum("amount"))
        .order_by("deposit__posdaya__name", "category__name")
    ]


@dataclass
class WeekAtAGlance:
    start: dt.date
    end: dt.date
    sales: int
    paid_suborders: int
    awaiting_verification: int
    awaiting_fulfilment: int
    waste_weight: Decimal
    waste_amount: int
    new_members: int


def week_at_a_glance(*, posdaya: Posdaya | None = None, today=None) -> WeekAtAGlance:
    """Return this week's headline figures, for the induk or one POSDAYA."""
    start, end = this_week(today)
    sales = paid_suborders(start=start, end=end, posdaya=posdaya).aggregate(
        amount=Sum("items_total"), n=Count("pk")
    )
    suborders = SubOrder.objects.all()
    if posdaya is not None:
        suborders = suborders.filter(posdaya=posdaya)
    # Two small queries, each on its own index (orders by status, open
    # sub-orders), rather than one pass over the whole order history.
    verification = suborders.filter(
        order__status=Order.Status.AWAITING_VERIFICATION
    ).aggregate(n=Count("order", distinct=True))["n"]
    fulfilment = (
        suborders.filter(status__in=OPEN_SUBORDER_STATES)
        .exclude(order__status__in=[Order.Status.EXPIRED, Order.Status.CANCELLED])
        # A prepaid order waits for its payment before anyone works on it.
        .exclude(
            order__status__in=[
                Order.Status.AWAITING_PAYMENT,
                Order.Status.AWAITING_VERIFICATION,
            ],
            order__payment_method__in=[
                code for code, method in PAYMENT_METHODS.items() if method.prepaid
            ],
        )
        .count()
    )
    waste = DepositLine.objects.filter(
        deposit__in=standing_deposits(start=start, end=end, posdaya=posdaya),
        category__unit="kg",
    ).aggregate(weight=Sum("weight"))
    waste_amount = standing_deposits(start=start, end=end, posdaya=posdaya).aggregate(
        amount=Sum("total_amount")
    )
    members = Member.objects.filter(joined_on__gte=start, joined_on__lte=end)
    if posdaya is not None:
        members = members.filter(posdaya=posdaya)
    return WeekAtAGlance(
        start=start,
        end=end,
        sales=sales["amount"] or 0,
        paid_suborders=sales["n"],
        awaiting_verification=verification,
        awaiting_fulfilment=fulfilment,
        waste_weight=(waste["weight"] or ZERO_KG).quantize(Decimal("0.001")),
        waste_amount=waste_amount["amount"] or 0,
        new_members=members.count(),
    )


# --- exports: the same cells as the screen -----------------------------------


def income_sheet(report: IncomeReport) -> Sheet:
    columns = [_("POSDAYA")]
    for week in report.weeks:
        label = week.strftime("%d-%m-%Y")
        columns += [
            _("%(week)s produk") % {"week": label},
            _("%(week)s sampah") % {"week": label},
            _("%(week)s total") % {"week": label},
        ]
    columns += [_("Total produk"), _("Total sampah"), _("Total")]
    rows = []
    for row in report.rows:
        cells = [row.posdaya.name]
        for cell in row.cells:
            cells += [cell.product, cell.waste, cell.total]
        cells += [row.product, row.waste, row.total]
        rows.append(cells)
    totals = [_("Jumlah")]
    for cell in report.week_totals():
        totals += [cell.product, cell.waste, cell.total]
    totals += [report.product, report.waste, report.total]
    rows.append(totals)
    return Sheet(_("Pendapatan per minggu"), columns, rows)


def category_sheet(rows) -> Sheet:
    return Sheet(
        _("Penjualan per kategori"),
        [_("Kategori"), _("Jumlah terjual"), _("Rupiah")],
        [[r["product__category__name"], r["quantity"], r["amount"]] for r in rows],
    )


def _line_name(row) -> str:
    if row.get("variant_name"):
        return f"{row['product_name']} ({row['variant_name']})"
    return row["product_name"]


def top_products_sheet(rows) -> Sheet:
    return Sheet(
        _("Produk terlaris"),
        [_("Produk"), _("POSDAYA"), _("Jumlah terjual"), _("Rupiah")],
        [
            [
                _line_name(r),
                r["suborder__posdaya__name"],
                r["quantity"],
                r["amount"],
            ]
            for r in rows
        ],
    )


def states_sheet(rows) -> Sheet:
    return Sheet(
        _("Pesanan per status"),
        [_("Status"), _("Jumlah pesanan")],
        [[str(r["status"]), r["count"]] for r in rows],
    )


def waste_sheet(rows) -> Sheet:
    return Sheet(
        _("Sampah per jenis per POSDAYA"),
        [_("POSDAYA"), _("Jenis sampah"), _("Satuan"), _("Berat"), _("Rupiah")],
        [
            [
                r["deposit__posdaya__name"],
                r["category__name"],
                r["category__unit"],
                r["weight"],
                r["amount"],
            ]
            for r in rows
        ],
    )


def pivot_waste(rows: list[dict]) -> dict:
    """Lay waste_by_category rows out as POSDAYA × category for the screen."""
    categories = sorted({(r["category__name"], r["category__unit"]) for r in rows})
    table: dict[str, dict] = {}
    for r in rows:
        table.setdefault(r["deposit__posdaya__name"], {})[r["category__name"]] = r[
            "weight"
        ]
    return {
        "categories": categories,
        "rows": [
            (name, [cells.get(c, ZERO_KG) for c, _unit in categories])
            for name, cells in sorted(table.items())
        ],
    }


LOW_STOCK = 2


@dataclass(frozen=True)
class LowStock:
    """A product, or one variant of a product with variants, running out."""

    product_name: str
    slug: str
    stock: int
    variant_name: str = ""

    @property
    def name(self) -> str:
        if self.variant_name:
            return f"{self.product_name} ({self.variant_name})"
        return self.product_name


def low_stock_products(
    posdaya: Posdaya, *, threshold: int = LOW_STOCK, limit=10
) -> list[LowStock]:
    """Return the POSDAYA's published products with `threshold` units or fewer;
    for a product with variants, each variant that low instead (one query).
    """
    blank = Value("", output_field=CharField())
    plain = (
        Product.objects.filter(
            posdaya=posdaya, status=Product.Status.PUBLISHED, stock__lte=threshold
        )
        .filter(has_variants=False)
        .annotate(option1=blank, option2=blank)
        .values_list("name", "slug", "stock", "option1", "option2")
        .order_by()
    )
    variants = (
        ProductVariant.objects.order_by()
        .filter(
            product__posdaya=posdaya,
            product__status=Product.Status.PUBLISHED,
            stock__lte=threshold,
        )
        .values_list("product__name", "product__slug", "stock", "option1", "option2")
    )
    rows = plain.union(variants, all=True).order_by("stock", "name", "option1")
    return [
        LowStock(
            name,
            slug,
            stock,
            " / ".join(value for value in (option1, option2) if value),
        )
        for name, slug, stock, option1, option2 in rows[:limit]
    ]
