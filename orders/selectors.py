"""Reads for orders: cart summaries, orders a visitor may open, branch lists."""

import hmac
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Sum

from catalog.models import Product, ProductVariant
from catalog.stock import MadeToOrderMismatch
from posdaya.models import Posdaya

from . import qris
from .models import (
    GRAMS_PER_KG,
    UNSENT_STATUSES,
    DeliveryMethod,
    DeliveryZone,
    IndukQris,
    Order,
    OrderEvent,
    OrderLine,
    PaymentProof,
    SettlementEntry,
    SubOrder,
    SubOrderEvent,
)
from .payments import REGISTRY, get_payment_method
from .shipping import delivery_fee_for, parcel_weight_grams


@dataclass
class CartLine:
    product: Product
    quantity: int
    variant: ProductVariant | None = None

    @property
    def unit_price(self) -> int:
        return self.product.price if self.variant is None else self.variant.unit_price

    @property
    def stock(self) -> int:
        return self.product.stock if self.variant is None else self.variant.stock

    @property
    def item(self) -> Product | ProductVariant:
        return self.product if self.variant is None else self.variant

    @property
    def orderable(self) -> int:
        """Ready stock plus the made-to-order room left."""
        return self.item.orderable_units

    @property
    def made_quantity(self) -> int:
        """Units beyond the ready stock that would be made to order."""
        return self.item.made_units_for(self.quantity)

    @property
    def lead_time_days(self) -> int | None:
        return self.item.lead_time_days

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def exceeds_stock(self) -> bool:
        return self.quantity > self.orderable


@dataclass
class CartGroup:
    """The lines of one POSDAYA: they become one sub-order."""

    posdaya: object
    lines: list[CartLine] = field(default_factory=list)
    delivery_fee: int = 0

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def weight_grams(self) -> int:
        """The parcel's weight, the one its courier fee is priced from."""
        return parcel_weight_grams((ln.product, ln.quantity) for ln in self.lines)

    @property
    def weight_kg(self) -> Decimal:
        return Decimal(self.weight_grams) / GRAMS_PER_KG

    @property
    def total(self) -> int:
        return self.subtotal + self.delivery_fee


@dataclass
class CartSummary:
    groups: list[CartGroup]
    # Cart keys (product id, or (product id, variant id)) that can no longer be
    # bought: gone, unpublished, a variant gone, or a product that now has
    # variants added without one.
    unavailable: list

    @property
    def items_total(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def delivery_total(self) -> int:
        return sum(group.delivery_fee for group in self.groups)

    @property
    def total(self) -> int:
        return self.items_total + self.delivery_total

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def has_stock_problem(self) -> bool:
        return any(line.exceeds_stock for line in self.lines)

    def __bool__(self):
        return bool(self.groups)


def _split(key) -> tuple[int, int | None]:
    return (key[0], key[1]) if isinstance(key, tuple) else (key, None)


def summarize_cart(
    quantities: dict, *, method: str = "", zone: DeliveryZone | None = None
) -> CartSummary:
    """Return the cart grouped by POSDAYA, priced from the database (one query,
    and one more for the variants when the cart holds any).

    `quantities` is keyed by product id, or by (product id, variant id) for a
    product with variants. Each POSDAYA group pays the delivery fee once: it
    ships its own parcel, priced from its weight by `delivery_fee_for`, as the
    checkout charges it.
    """
    if not quantities:
        return CartSummary(groups=[], unavailable=[])
    keys = {key: _split(key) for key in quantities}
    products = {
        product.pk: product
        for product in Product.objects.public()
        .filter(pk__in={pid for pid, _vid in keys.values()})
        .select_related("posdaya")
    }
    variant_ids = [vid for _pid, vid in keys.values() if vid is not None]
    variants = (
        {v.pk: v for v in ProductVariant.objects.filter(pk__in=variant_ids)}
        if variant_ids
        else {}
    )
    lines, unavailable = [], []
    for key, (pid, vid) in keys.items():
        product = products.get(pid)
        variant = variants.get(vid) if vid is not None else None
        if (
            product is None
            or (vid is None and product.has_variants)
            or (vid is not None and (variant is None or variant.product_id != pid))
        ):
            unavailable.append(key)
            continue
        if variant is not None:
            variant.product = product
        lines.append(
            CartLine(product=product, quantity=quantities[key], variant=variant)
        )
    lines.sort(
        key=lambda ln: (
            ln.product.posdaya.name,
            ln.product.name,
            ln.product.pk,
            (ln.variant.position, ln.variant.pk) if ln.variant else (0, 0),
        )
    )
    groups: dict[int, CartGroup] = {}
    for line in lines:
        posdaya = line.product.posdaya
        group = groups.get(posdaya.pk)
        if group is None:
            group = groups[posdaya.pk] = CartGroup(posdaya=posdaya)
        group.lines.append(line)
    for group in groups.values():
        group.delivery_fee = delivery_fee_for(
            method=method, zone=zone, weight_grams=group.weight_grams
        )
    unavailable.sort(key=lambda key: (_split(key)[0], _split(key)[1] or 0))
    return CartSummary(groups=list(groups.values()), unavailable=unavailable)


def active_zones(method: str | None = None) -> QuerySet[DeliveryZone]:
    """Return the zones a shopper may pick, optionally for one delivery method."""
    zones = DeliveryZone.objects.filter(is_active=True)
    if method == DeliveryMethod.LOCAL:
        zones = zones.filter(for_local=True)
    elif method == DeliveryMethod.COURIER:
        zones = zones.filter(for_courier=True)
    return zones


def order_detail_queryset() -> QuerySet[Order]:
    """Return orders with everything the order page shows, in fixed queries."""
    return Order.objects.select_related("zone").prefetch_related(
        Prefetch(
            "suborders",
            queryset=SubOrder.objects.select_related("posdaya")
            .prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
                Prefetch("events", queryset=SubOrderEvent.objects.order_by("id")),
            )
            .order_by("posdaya__name"),
        ),
        Prefetch("events", queryset=OrderEvent.objects.select_related("by")),
        Prefetch("proofs", queryset=PaymentProof.objects.order_by("-created_at")),
    )


# What an order code can look like (`PB-2611-7KQ3`; `Order.code` holds 16).
ORDER_CODE_SHAPE = re.compile(r"[A-Za-z0-9-]{1,16}")


def order_for_visitor(*, code: str, token: str, user) -> Order | None:
    """Return the order when the visitor holds its secret link or owns it.

    Staff roles give no access here: the dashboard is their way in. A wrong
    code or token gives None (the view answers 404), compared in constant time.
    """
    # Only the shape of a code reaches the database: a NUL byte in a lookup is
    # an error on PostgreSQL, and a very long string is no code at all.
    if not ORDER_CODE_SHAPE.fullmatch(code):
        return None
    order = Order.objects.filter(code=code.upper()).first()
    if order is None:
        return None
    if user.is_authenticated and order.customer_id == user.pk:
        return order
    if token and hmac.compare_digest(order.secret.encode(), token.encode()):
        return order
    return None


def orders_of_customer(user) -> QuerySet[Order]:
    """Return a signed-in shopper's orders, newest first."""
    return (
        Order.objects.filter(customer=user)
        .annotate(posdaya_count=Count("suborders"))
        .order_by("-created_at", "-id")
    )


def suborders_of_posdaya(posdaya, *, status: str = "") -> QuerySet[SubOrder]:
    """Return one POSDAYA's sub-orders (optionally in one state), newest first."""
    suborders = SubOrder.objects.filter(posdaya=posdaya)
    if status:
        suborders = suborders.filter(status=status)
    return suborders.select_related("order").order_by("-created_at", "-id")


def suborders_after(queryset: QuerySet[SubOrder], posdaya, after: int):
    """Keep the sub-orders listed after sub-order `after` (newest first).

    A keyset page: `(created_at, id)` below the anchor's, read on the
    `(posdaya, created_at)` order, so the last page costs what the first does
    (no OFFSET). An anchor that is not this POSDAYA's lists nothing.
    """
    anchor = SubOrder.objects.filter(posdaya=posdaya, pk=after).values("created_at")
    created = Subquery(anchor[:1])
    return queryset.filter(
        Q(created_at__lt=created) | Q(created_at=created, pk__lt=after)
    )


def suborder_status_counts(posdaya) -> dict[str, int]:
    """Return {status: count} of one POSDAYA's sub-orders, in one query."""
    rows = (
        SubOrder.objects.filter(posdaya=posdaya)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def count_new_suborders(posdaya) -> int:
    """Return how many sub-orders await the POSDAYA's attention (status baru)."""
    return SubOrder.objects.filter(posdaya=posdaya, status=SubOrder.Status.NEW).count()


def suborder_detail_queryset(posdaya) -> QuerySet[SubOrder]:
    """Return a POSDAYA's sub-orders with lines, order and events prefetched."""
    return (
        SubOrder.objects.filter(posdaya=posdaya)
        .select_related("order", "order__zone", "posdaya")
        .prefetch_related("lines", "events__by")
    )


def proofs_for_review(*, status: str = PaymentProof.Status.PENDING):
    """Return proofs of transfer for the koordinator, oldest pending first."""
    proofs = PaymentProof.objects.select_related("order", "reviewed_by")
    if status:
        proofs = proofs.filter(status=status)
    if status == PaymentProof.Status.PENDING:
        return proofs.order_by("created_at", "id")
    return proofs.order_by("-created_at", "-id")


def settlement_balances() -> list[dict]:
    """Return every POSDAYA with its credits, reversals, payouts and balance."""
    Kind = SettlementEntry.Kind
    sums = {
        row["posdaya"]: row
        for row in SettlementEntry.objects.values("posdaya").annotate(
            credits=Sum("amount", filter=Q(kind=Kind.CREDIT)),
            reversals=Sum("amount", filter=Q(kind=Kind.REVERSAL)),
            payouts=Sum("amount", filter=Q(kind=Kind.PAYOUT)),
            fees=Sum("fee_amount", filter=Q(kind=Kind.CREDIT)),
            balance=Sum("amount"),
        )
    }
    rows = []
    for posdaya in Posdaya.objects.order_by("name"):
        row = sums.get(posdaya.pk, {})
        rows.append(
            {
                "posdaya": posdaya,
                "credits": row.get("credits") or 0,
                "reversals": -(row.get("reversals") or 0),
                "payouts": -(row.get("payouts") or 0),
                "fees": row.get("fees") or 0,
                "balance": row.get("balance") or 0,
            }
        )
    return rows


def settlement_entries(posdaya):
    """Return one POSDAYA's settlement statement, newest first."""
    return SettlementEntry.objects.filter(posdaya=posdaya).select_related(
        "suborder__order", "by"
    )


def orders_for_overview(*, status: str = "", query: str = "") -> QuerySet[Order]:
    """Return every order for the koordinator, newest first, with its parts."""
    orders = Order.objects.all()
    if status:
        orders = orders.filter(status=status)
    if query:
        orders = orders.filter(
            Q(code__icontains=query)
            | Q(name__icontains=query)
            | Q(phone__contains=query)
        )
    return orders.prefetch_related(
        Prefetch(
            "suborders",
            queryset=SubOrder.objects.select_related("posdaya").order_by("pk"),
        )
    ).order_by("-created_at", "-id")


def qris_orders_awaiting_payment(*, now) -> QuerySet[Order]:
    """Return QRIS orders still unpaid in time, oldest first (for the queue).

    The koordinator may see their money in the merchant app (the order code
    is its bill number) before the shopper says "I have paid".
    """
    codes = [code for code, method in REGISTRY.items() if method.proof_optional]
    return (
        Order.objects.filter(
            payment_method__in=codes, status=Order.Status.AWAITING_PAYMENT
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .prefetch_related("suborders")
        .order_by("created_at", "id")
    )


def current_induk_qris() -> IndukQris | None:
    """Return the induk's QRIS in force, or None before one was entered."""
    return IndukQris.objects.order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class OrderQris:
    """The QRIS an order is paid with: the exact amount, drawn as SVG."""

    payload: str
    amount: int
    merchant_name: str
    merchant_city: str

    @property
    def svg(self) -> str:
        return qris.qr_svg(self.payload)


def qris_for_order(order: Order, amount: int) -> OrderQris | None:
    """Return the order's dynamic QRIS for `amount`, or None when none applies.

    Built from the induk QRIS in force, only for an order paid by QRIS that
    still waits for its payment (or its check), and a positive amount.
    """
    if (
        not get_payment_method(order.payment_method).shows_qris
        or order.status
        not in (Order.Status.AWAITING_PAYMENT, Order.Status.AWAITING_VERIFICATION)
        or amount <= 0
    ):
        return None
    induk = current_induk_qris()
    if induk is None:
        return None
    return OrderQris(
        payload=qris.dynamic_payload(induk.payload, amount, reference=order.code),
        amount=amount,
        merchant_name=induk.merchant_name,
        merchant_city=induk.merchant_city,
    )


def unique_code_income() -> dict:
    """Return the kode unik received by the induk: paid orders, their sum.

    It is the induk's money: the sub-orders, and so the POSDAYA settlement,
    never include it.
    """
    return Order.objects.filter(paid_at__isnull=False, unique_code__gt=0).aggregate(
        orders=Count("id"), amount=Sum("unique_code", default=0)
    )


def _open_made_lines():
    return OrderLine.objects.filter(
        suborder__status__in=UNSENT_STATUSES, made_to_order_quantity__gt=0
    )


def open_made_to_order_units(*, product_id: int, variant_id: int | None) -> int:
    """Return the made-to-order units of a product's lines without a variant
    (or of one variant's lines) whose sub-order has not been sent yet."""
    lines = _open_made_lines().filter(product_id=product_id, variant_id=variant_id)
    return lines.aggregate(units=Sum("made_to_order_quantity"))["units"] or 0


def made_to_order_mismatches() -> list[MadeToOrderMismatch]:
    """Return the products (lines without a variant) and variants whose open
    made-to-order count differs from their open lines' made units, products
    first, each in pk order."""
    held = {
        (row["product_id"], row["variant_id"]): row["units"]
        for row in _open_made_lines()
        .values("product_id", "variant_id")
        .annotate(units=Sum("made_to_order_quantity"))
    }
    rows = []
    products = Product.objects.filter(
        Q(open_made_to_order__gt=0)
        | Q(pk__in=[pid for pid, vid in held if vid is None])
    ).order_by("pk")
    for product in products:
        expected = held.get((product.pk, None), 0)
        if product.open_made_to_order != expected:
            rows.append(
                MadeToOrderMismatch(
                    product.name, product.open_made_to_order, expected, product.pk
                )
            )
    variants = (
        ProductVariant.objects.filter(
            Q(open_made_to_order__gt=0)
            | Q(pk__in=[vid for _pid, vid in held if vid is not None])
        )
        .select_related("product")
        .order_by("pk")
    )
    for variant in variants:
        expected = held.get((variant.product_id, variant.pk), 0)
        if variant.open_made_to_order != expected:
            rows.append(
                MadeToOrderMismatch(
                    str(variant),
                    variant.open_made_to_order,
                    expected,
                    variant.product_id,
                    variant.pk,
                )
            )
    return rows
