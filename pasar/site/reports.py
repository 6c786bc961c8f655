"""Induk reports: every figure computed by database aggregation.

Weeks run Monday to Sunday in Asia/Jakarta (the active time zone). Product
income is the goods total of sub-orders that are paid and not cancelled, by the
week they were paid; waste income is the total of pengepul sales, by the week of
the sale. A query count never depends on the number of POSDAYA or weeks.
"""

import datetime as dt
import functools
import hashlib
import heapq
import operator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
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
from pasar.dates import day_bounds, monday, this_week, weeks_between
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


def unique_codes_paid(*, start: dt.date, end: dt.date) -> dict:
    """The kode unik of transfers paid within start..end: the induk's money.

    No sub-order (so no POSDAYA's income or settlement) includes it; the
    report shows it beside the POSDAYA figures so the induk's receipts add up.
    """
    low, high = day_bounds(start, end)
    return Order.objects.filter(
        paid_at__gte=low, paid_at__lt=high, unique_code__gt=0
    ).aggregate(orders=Count("id"), amount=Sum("unique_code", default=0))


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


@dataclass
class IncomeCell:
    product: int = 0
    waste: int = 0
    paid: int = 0  # paid, not cancelled sub-orders behind `product`

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

    def fingerprints(self) -> dict[dt.date, tuple[int, int]]:
        """Each week's paid sub-orders and goods total: `line_sales`'s check."""
        return {
            week: (
                sum(r.cells[i].paid for r in self.rows),
                sum(r.cells[i].product for r in self.rows),
            )
            for i, week in enumerate(self.weeks)
        }

    @property
    def product(self) -> int:
        return sum(r.product for r in self.rows)

    @property
    def waste(self) -> int:
        return sum(r.waste for r in self.rows)

    @property
    def total(self) -> int:
        return self.product + self.waste


def _week_of(field_name: str, weeks: list[dt.date], *, dates: bool) -> Case:
    """The index in `weeks` (Mondays) of the week holding `field_name`."""
    whens = []
    for i, week in enumerate(weeks):
        last = week + dt.timedelta(days=6)
        if dates:
            bounds = {f"{field_name}__gte": week, f"{field_name}__lte": last}
        else:
            low, high = day_bounds(week, last)
            bounds = {f"{field_name}__gte": low, f"{field_name}__lt": high}
        whens.append(When(Q(**bounds), then=Value(i)))
    return Case(*whens, output_field=IntegerField())


def income_per_week(
    *, start: dt.date, end: dt.date, posdaya: Posdaya | None = None
) -> IncomeReport:
    """Return income per POSDAYA per week, product and waste parts (3 queries)."""
    weeks = weeks_between(start, end)
    branches = Posdaya.objects.order_by("name")
    if posdaya is not None:
        branches = branches.filter(pk=posdaya.pk)
    rows = {p.pk: IncomeRow(p, [IncomeCell() for _ in weeks]) for p in branches}
    # Each row's week is told by a CASE on the week bounds, in the engine
    # (TruncWeek is a Python function per row on SQLite: ~0.3 s at 25,000).
    product = (
        paid_suborders(start=start, end=end, posdaya=posdaya)
        .annotate(week=_week_of("paid_at", weeks, dates=False))
        .values("posdaya_id", "week")
        .annotate(amount=Sum("items_total"), paid=Count("pk"))
        .order_by()
    )
    for row in product:
        cell = rows[row["posdaya_id"]].cells[row["week"]]
        cell.product, cell.paid = row["amount"], row["paid"]
    sales = PengepulSale.objects.filter(sold_on__gte=start, sold_on__lte=end)
    if posdaya is not None:
        sales = sales.filter(posdaya=posdaya)
    waste = (
        sales.annotate(week=_week_of("sold_on", weeks, dates=True))
        .values("posdaya_id", "week")
        .annotate(amount=Sum("total_amount"))
        .order_by()
    )
    for row in waste:
        rows[row["posdaya_id"]].cells[row["week"]].waste = row["amount"]
    return IncomeReport(start=start, end=end, weeks=weeks, rows=list(rows.values()))


# --- sales by category and top products: closed weeks kept, the rest live ---
#
# Both add up order lines, the largest table (~50,000 lines in 12 weeks at
# full scale). A closed week (Monday to Sunday, before this week) is added up
# once and kept in the shared cache under its Monday and POSDAYA filter, with
# the count and goods total of its paid, not cancelled sub-orders as read just
# before: a later change to that week (a paid part cancelled, a payment
# recorded with a past date) changes that fingerprint, and the week is added
# up again. The open week, and the part-weeks at the ends of a range that does
# not start on a Monday or end on a Sunday, are added up live. The queries:
# the fingerprints (one), then one each for categories and products over the
# live days, and the same over the weeks still to add up (cold only), each
# row's bucket told by a CASE on the paid-at bounds (in the engine: no per-row
# Python function on SQLite). The sum of a whole set of closed weeks is kept
# too, so a range asked again is one cache read. A week's categories are named
# as they were when it was added up.

ROLLUP_KEY = "reports:lines:v2:{posdaya}:{week}"
RANGE_KEY = "reports:lines-range:v2:{posdaya}:{digest}"
RANGE_TIMEOUT = 7 * 24 * 3600  # ranges asked once do not pile up


@dataclass
class LineSales:
    """Units and Rupiah sold per category and per product over a range."""

    categories: dict = field(default_factory=dict)  # name → [units, Rupiah]
    # (id, name, variant name, POSDAYA) → [units, Rupiah]
    products: dict = field(default_factory=dict)

    def add(self, other: "LineSales") -> None:
        for mine, theirs in (
            (self.categories, other.categories),
            (self.products, other.products),
        ):
            for key, (quantity, amount) in theirs.items():
                total = mine.setdefault(key, [0, 0])
                total[0] += quantity
                total[1] += amount

    def category_rows(self) -> list[dict]:
        rows = [
            {"product__category__name": name, "quantity": q, "amount": a}
            for name, (q, a) in self.categories.items()
        ]
        rows.sort(key=lambda r: (-r["amount"], r["product__category__name"]))
        return rows

    def top_products(self, limit: int = 10) -> list[dict]:
        best = heapq.nsmallest(
            limit,
            self.products.items(),
            key=lambda item: (-item[1][0], -item[1][1], item[0][1], item[0][2]),
        )
        return [
            {
                "product_id": pk,
                "product_name": name,
                "variant_name": variant,
                "suborder__posdaya__name": branch,
                "quantity": q,
                "amount": a,
            }
            for (pk, name, variant, branch), (q, a) in best
        ]


def _split_range(start: dt.date, end: dt.date, today: dt.date):
    """Closed whole weeks (their Mondays) and the live day spans of start..end."""
    open_week = monday(today)
    closed, live = [], []
    for week in weeks_between(start, end):
        last = week + dt.timedelta(days=6)
        if week >= start and last <= end and last < open_week:
            closed.append(week)
        else:
            live.append((max(week, start), min(last, end)))
    return closed, live


def _paid_in(prefix: str, spans) -> Q:
    """Paid within any of the (first day, last day) spans."""
    conditions = []
    for first, last in spans:
        low, high = day_bounds(first, last)
        conditions.append(
            Q(**{f"{prefix}paid_at__gte": low, f"{prefix}paid_at__lt": high})
        )
    return functools.reduce(operator.or_, conditions)


def _fingerprints(weeks, posdaya) -> dict[dt.date, tuple[int, int]]:
    """Count and goods total of each week's paid, not cancelled sub-orders."""
    if not weeks:
        return {}
    spans = [(w, w + dt.timedelta(days=6)) for w in weeks]
    suborders = SubOrder.objects.filter(_paid_in("", spans)).exclude(
        status=SubOrder.Status.CANCELLED
    )
    if posdaya is not None:
        suborders = suborders.filter(posdaya=posdaya)
    figures = {}
    for i, span in enumerate(spans):
        within = _paid_in("", [span])
        figures[f"n{i}"] = Count("pk", filter=within)
        figures[f"a{i}"] = Sum("items_total", filter=within)
    row = suborders.aggregate(**figures)
    return {w: (row[f"n{i}"], row[f"a{i}"] or 0) for i, w in enumerate(weeks)}


def _add_up(buckets, posdaya) -> list[LineSales]:
    """Add up the order lines of each bucket (a list of day spans): 2 queries."""
    sales = [LineSales() for _ in buckets]
    if not buckets:
        return sales
    which = Case(
        *(
            When(_paid_in("suborder__", spans), then=Value(i))
            for i, spans in enumerate(buckets)
        ),
        output_field=IntegerField(),
    )
    lines = OrderLine.objects.filter(
        _paid_in("suborder__", [span for spans in buckets for span in spans])
    ).exclude(suborder__status=SubOrder.Status.CANCELLED)
    if posdaya is not None:
        lines = lines.filter(suborder__posdaya=posdaya)
    lines = lines.annotate(bucket=which)
    for row in (
        lines.values("bucket", "product__category__name")
        .annotate(quantity=Sum("quantity"), amount=Sum("line_total"))
        .order_by()
    ):
        sales[row["bucket"]].categories[row["product__category__name"]] = [
            row["quantity"],
            row["amount"],
        ]
    for row in (
        lines.values(
            "bucket",
            "product_id",
            "product_name",
            "variant_name",
            "suborder__posdaya__name",
        )
        .annotate(quantity=Sum("quantity"), amount=Sum("line_total"))
        .order_by()
    ):
        key = (
            row["product_id"],
            row["product_name"],
            row["variant_name"],
            row["suborder__posdaya__name"],
        )
        sales[row["bucket"]].products[key] = [row["quantity"], row["amount"]]
    return sales


def line_sales(
    *, start, end, posdaya=None, today=None, income: IncomeReport | None = None
) -> LineSales:
    """Return what was sold per category and per product (paid, not cancelled).

    Closed weeks come from the shared cache while their fingerprint holds;
    the rest is added up live (see above). `income`, the same range's
    `income_per_week`, already holds the fingerprints: one query fewer.
    """
    closed, live = _split_range(start, end, today or timezone.localdate())
    if income is not None and (income.start, income.end) == (start, end):
        known = income.fingerprints()
        fingerprints = {week: known[week] for week in closed}
    else:
        fingerprints = _fingerprints(closed, posdaya)
    total = _closed_sales(closed, fingerprints, posdaya)
    for sales in _add_up([[span] for span in live], posdaya):
        total.add(sales)
    return total


def _closed_sales(closed, fingerprints, posdaya) -> LineSales:
    """The closed weeks added up: the range's sum, else each week's, kept.

    The sum of the whole set of weeks is kept too (under their fingerprints),
    so a range asked again costs one cache read, not a merge of every week.
    """
    branch = posdaya.pk if posdaya else "all"
    signature = "|".join(f"{w.isoformat()}:{fingerprints[w]}" for w in closed)
    range_key = RANGE_KEY.format(
        posdaya=branch, digest=hashlib.sha256(signature.encode()).hexdigest()
    )
    if closed:
        kept = cache.get(range_key)
        if kept is not None:
            return kept
    keys = {
        week: ROLLUP_KEY.format(
            posdaya=posdaya.pk if posdaya else "all", week=week.isoformat()
        )
        for week in closed
    }
    kept = cache.get_many(list(keys.values())) if keys else {}
    total = LineSales()
    missing = []
    for week in closed:
        entry = kept.get(keys[week])
        if entry is not None and entry["fingerprint"] == fingerprints[week]:
            total.add(entry["sales"])
        else:
            missing.append(week)
    added = _add_up([[(w, w + dt.timedelta(days=6))] for w in missing], posdaya)
    for sales in added:
        total.add(sales)
    if missing:
        cache.set_many(
            {
                keys[week]: {"fingerprint": fingerprints[week], "sales": sales}
                for week, sales in zip(missing, added, strict=True)
            },
            None,  # a closed week's figures are kept until they change
        )
    if closed:
        cache.set(range_key, total, RANGE_TIMEOUT)
    return total


def sales_by_category(*, start, end, posdaya=None) -> list[dict]:
    """Return units and Rupiah sold per product category (paid, not cancelled)."""
    return line_sales(start=start, end=end, posdaya=posdaya).category_rows()


def top_products(*, start, end, posdaya=None, limit: int = 10) -> list[dict]:
    """Return the best-selling products by units, then Rupiah."""
    return line_sales(start=start, end=end, posdaya=posdaya).top_products(limit)


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
