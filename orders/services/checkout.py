"""Placing an order: one checkout, one order, one sub-order per POSDAYA.

The order row is inserted first (its unique checkout token makes a second
submit find the first order), then stock is reserved through `catalog.stock`
(all or nothing, the prices read here pinned), then the sub-orders, lines and
first events are written, all in one transaction.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import errors as catalog_errors
from catalog import stock
from catalog.models import Product, ProductVariant

from .. import emails
from ..cart import too_many_units_message
from ..models import DeliveryMethod, DeliveryZone, Order, OrderLine, SubOrder
from ..payments import REGISTRY
from ..shipping import delivery_fee_for, parcel_weight_grams
from . import savings_payment
from .errors import OrderError, OutOfStockError, PriceChangedError
from .expiry import deadline_for
from .state import record_placed, user_or_none
from .unique_code import draw_unique_code, unique_codes_enabled

# No 0/O, 1/I/L: a code read aloud over WhatsApp cannot be misheard.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_ATTEMPTS = 10

# What a refused reservation means for the order (same message).
_RESERVATION_ERRORS = {
    catalog_errors.NotForSaleError: OrderError,
    catalog_errors.PriceChangedError: PriceChangedError,
    catalog_errors.OutOfStockError: OutOfStockError,
    catalog_errors.MadeToOrderFullError: OutOfStockError,
    catalog_errors.VariantRequiredError: OrderError,
}


class _DuplicateCheckout(Exception):
    """Internal: another request already placed an order for this token."""


@dataclass(frozen=True)
class _Line:
    product: Product
    variant: ProductVariant | None
    quantity: int

    @property
    def unit_price(self) -> int:
        return self.product.price if self.variant is None else self.variant.unit_price

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


def _key(key) -> tuple[int, int | None]:
    """A cart key, 12 or (12, 40), as (product id, variant id or None)."""
    if isinstance(key, tuple | list):
        return int(key[0]), int(key[1])
    return int(key), None


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool


@dataclass(frozen=True)
class Visitor:
    """Who checks out on the site, for the caps on open unpaid orders.

    `order_ids` are the orders this browser session placed (the checkout view
    keeps them in the session); a signed-in customer's own orders count too.
    Only the site's checkout passes a visitor: the demo and the benchmarks
    place many orders for one number on purpose.
    """

    order_ids: tuple[int, ...] = ()


# Orders that hold stock and are not paid yet.
OPEN_UNPAID = (Order.Status.AWAITING_PAYMENT, Order.Status.AWAITING_VERIFICATION)


def open_unpaid_orders(*, now: datetime):
    """Return the orders still open and unpaid (not yet past their deadline)."""
    return Order.objects.filter(status__in=OPEN_UNPAID).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def generate_order_code(now: datetime | None = None) -> str:
    """Return a code like `PB-2611-7KQ3`: year and month, four random symbols."""
    local = timezone.localtime(now or timezone.now())
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
    return f"PB-{local:%y%m}-{suffix}"


def place_order(
    *,
    quantities: dict,
    customer,
    name: str,
    phone: str,
    email: str = "",
    delivery_method: str,
    address: str = "",
    zone: DeliveryZone | None = None,
    payment_method: str,
    checkout_token: str,
    expected_total: int | None = None,
    note: str = "",
    visitor: Visitor | None = None,
    savings_amount: int = 0,
    now: datetime | None = None,
) -> PlacedOrder:
    """Place an order from cart quantities, reserving stock, all or nothing.

    `quantities` is keyed like the cart: a product id, or (product id, variant
    id) for a product with variants.

    The checkout token makes this idempotent: a second call with the same token
    (double click, reload, second tab) returns the first order, also when both
    run at once (the unique index on the token decides). Raises OrderError
    subclasses with a message naming the product when a line cannot be bought.
    `now` is the moment of placing (default: now), for the demo's history.
    With a `visitor` (the site's checkout), open unpaid orders are capped per
    WhatsApp number and per visitor; units per line are capped always.
    `savings_amount` (or the SAVINGS method: all of it) is paid from the
    customer's savings book in the same transaction (`savings_payment`).
    """
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return PlacedOrder(existing, created=False)
    quantities = {_key(key): int(q) for key, q in quantities.items() if int(q) > 0}
    if not quantities:
        raise OrderError(_("Keranjang Anda kosong."))
    limit = settings.PASAR_MAX_UNITS_PER_LINE
    if max(quantities.values()) > limit:
        raise OrderError(_("Paling banyak %(limit)s per produk.") % {"limit": limit})
    if sum(quantities.values()) > settings.PASAR_MAX_UNITS_PER_ORDER:
        raise OrderError(too_many_units_message())
    method = REGISTRY.get(payment_method)
    if method is None or not method.available():
        raise OrderError(_("Pilih cara pembayaran."))
    if not method.supports(delivery_method):
        raise OrderError(
            _("%(payment)s tidak tersedia untuk %(delivery)s.")
            % {
                "payment": method.label,
                "delivery": DeliveryMethod(delivery_method).label,
            }
        )
    if delivery_method == DeliveryMethod.PICKUP:
        zone, address = None, ""
    elif zone is None or not zone.is_active or not zone.applies_to(delivery_method):
        raise OrderError(_("Pilih zona pengiriman yang tersedia."))
    now = now or timezone.now()
    try:
        with transaction.atomic():
            order = _create_order(
                quantities=quantities,
                customer=customer,
                name=name,
                phone=phone,
                email=email,
                delivery_method=delivery_method,
                address=address,
                zone=zone,
                method=method,
                checkout_token=checkout_token,
                expected_total=expected_total,
                note=note,
                visitor=visitor,
                now=now,
            )
            savings_payment.apply_savings(
                order=order,
                method=method,
                customer=customer,
                amount=savings_amount,
                now=order.created_at,
            )
    except _DuplicateCheckout:
        return PlacedOrder(Order.objects.get(checkout_token=checkout_token), False)
    return PlacedOrder(order, created=True)


def _create_order(
    *,
    quantities,
    customer,
    name,
    phone,
    email,
    delivery_method,
    address,
    zone,
    method,
    checkout_token,
    expected_total,
    note,
    visitor,
    now,
) -> Order:
    if visitor is not None:
        _check_open_orders(phone=phone, customer=customer, visitor=visitor, now=now)
    products = {
        product.pk: product
        for product in Product.objects.filter(pk__in={pid for pid, _vid in quantities})
        .annotate(is_public=Exists(Product.objects.public().filter(pk=OuterRef("pk"))))
        .select_related("posdaya")
        .order_by("pk")
    }
    variant_ids = [vid for _pid, vid in quantities if vid is not None]
    variants = (
        {v.pk: v for v in ProductVariant.objects.filter(pk__in=variant_ids)}
        if variant_ids
        else {}
    )
    lines: list[_Line] = []
    for (pid, vid), quantity in sorted(quantities.items(), key=_line_order):
        product = products.get(pid)
        variant = variants.get(vid) if vid is not None else None
        if product is None or (
            vid is not None and (variant is None or variant.product_id != pid)
        ):
            raise OrderError(_("Sebagian produk di keranjang sudah tidak tersedia."))
        if not product.is_public:
            raise OrderError(
                _("%(product)s sudah tidak dijual. Hapus dari keranjang.")
                % {"product": product.name}
            )
        if variant is not None:
            variant.product = product  # its price is pinned with the variant's
        lines.append(_Line(product, variant, quantity))
    by_posdaya: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        by_posdaya[line.product.posdaya_id].append(line)
    # Each POSDAYA's parcel is priced from its weight, as the summary showed it.
    weight = {
        posdaya_id: parcel_weight_grams((ln.product, ln.quantity) for ln in group)
        for posdaya_id, group in by_posdaya.items()
    }
    fee = {
        posdaya_id: delivery_fee_for(
            method=delivery_method, zone=zone, weight_grams=grams
        )
        for posdaya_id, grams in weight.items()
    }
    items_total = sum(line.total for line in lines)
    delivery_total = sum(fee.values())
    if expected_total is not None and expected_total != items_total + delivery_total:
        raise PriceChangedError(
            _("Harga atau ongkir berubah sejak halaman dibuka. Periksa ringkasan lagi.")
        )
    order = _insert_order(
        checkout_token=checkout_token,
        now=now,
        unique_code=method.unique_code and unique_codes_enabled(),
        fields={
            "secret": secrets.token_urlsafe(24),
            "customer": user_or_none(customer),
            "name": name,
            "phone": phone,
            "email": email,
            "delivery_method": delivery_method,
            "address": address,
            "zone": zone,
            "payment_method": method.code,
            "items_total": items_total,
            "delivery_total": delivery_total,
            "total": items_total + delivery_total,
            "note": note,
            "created_at": now,
            "expires_at": deadline_for(method, now),
        },
    )
    # The prices read above are pinned in the reservation's condition.
    try:
        reservation = stock.reserve(
            quantities={ln.variant or ln.product: ln.quantity for ln in lines},
            reason=order.code,
            by=user_or_none(customer),
            now=now,
        )
    except catalog_errors.ReservationError as error:
        raise _RESERVATION_ERRORS[type(error)](error.message) from error
    made = {
        ln: reservation.made_to_order.get(ln.variant or ln.product, 0) for ln in lines
    }
    lead = {ln: (ln.variant or ln.product).lead_time_days or 0 for ln in lines}
    placed_on = timezone.localdate(now)
    suborders = SubOrder.objects.bulk_create(
        SubOrder(
            order=order,
            posdaya_id=posdaya_id,
            promised_date=_promised_date(placed_on, group, made, lead),
            items_total=sum(ln.total for ln in group),
            delivery_fee=fee[posdaya_id],
            parcel_weight_grams=weight[posdaya_id],
            total=sum(ln.total for ln in group) + fee[posdaya_id],
            created_at=now,
        )
        for posdaya_id, group in by_posdaya.items()
    )
    suborder_of = {s.posdaya_id: s for s in suborders}
    OrderLine.objects.bulk_create(
        OrderLine(
            suborder=suborder_of[ln.product.posdaya_id],
            product=ln.product,
            variant=ln.variant,
            product_name=ln.product.name,
            variant_name=ln.variant.name if ln.variant else "",
            unit_price=ln.unit_price,
            quantity=ln.quantity,
            line_total=ln.total,
            made_to_order_quantity=made[ln],
            lead_time_days=lead[ln] if made[ln] else 0,
        )
        for ln in lines
    )
    record_placed(order=order, suborders=suborders, by=customer, now=now)
    emails.notify_after_commit(emails.send_order_placed, order.pk)
    return order


def _promised_date(placed_on, group, made, lead):
    """The placed day + the longest lead time of the group's made-to-order
    lines (None when every unit came off the shelf)."""
    days = [lead[ln] for ln in group if made[ln]]
    return placed_on + timedelta(days=max(days)) if days else None


def _line_order(item):
    (pid, vid), _quantity = item
    return pid, vid or 0


def _check_open_orders(*, phone: str, customer, visitor: Visitor, now) -> None:
    """Refuse a new order while the number or the visitor has too many open.

    Called inside the placing transaction. On PostgreSQL it first takes a
    transaction lock per number and per account (in one sorted order, so two
    checkouts never wait on each other crosswise): a concurrent checkout for
    the same number waits until this one commits, then counts its order too.
    """
    customer = user_or_none(customer)
    _lock_keys(
        [f"open-orders:phone:{phone}"]
        + ([f"open-orders:user:{customer.pk}"] if customer else [])
    )
    open_orders = open_unpaid_orders(now=now)
    limit = settings.PASAR_MAX_OPEN_ORDERS_PER_PHONE
    if limit and open_orders.filter(phone=phone).count() >= limit:
        raise OrderError(
            _(
                "Nomor WhatsApp ini sudah punya %(count)s pesanan yang belum "
                "lunas. Selesaikan pesanan itu dulu sebelum memesan lagi."
            )
            % {"count": limit},
            field="phone",
        )
    limit = settings.PASAR_MAX_OPEN_ORDERS_PER_VISITOR
    mine = Q(pk__in=visitor.order_ids)
    if customer is not None:
        mine |= Q(customer=customer)
    if limit and open_orders.filter(mine).count() >= limit:
        raise OrderError(
            _(
                "Anda sudah punya %(count)s pesanan yang belum lunas. Selesaikan "
                "pesanan itu dulu sebelum memesan lagi."
            )
            % {"count": limit}
        )


def _lock_keys(keys: list[str]) -> None:
    """Take PostgreSQL transaction-level advisory locks on `keys`, sorted.

    Not on SQLite (development): there two checkouts at the same instant may
    both count before either writes.
    """
    if connection.vendor != "postgresql" or not (
        settings.PASAR_MAX_OPEN_ORDERS_PER_PHONE
        or settings.PASAR_MAX_OPEN_ORDERS_PER_VISITOR
    ):
        return
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def _insert_order(
    *, checkout_token: str, now, fields: dict, unique_code: bool = False
) -> Order:
    """Insert the order row first: a concurrent duplicate waits on the token.

    With `unique_code`, a kode unik is drawn on each attempt: a racing
    checkout that took the same one makes this insert fail, and we draw again.
    """
    for _attempt in range(CODE_ATTEMPTS):
        extra = draw_unique_code() if unique_code else 0
        try:
            with transaction.atomic():
                return Order.objects.create(
                    code=generate_order_code(now),
                    checkout_token=checkout_token,
                    **fields | {"unique_code": extra, "total": fields["total"] + extra},
                )
        except IntegrityError:
            if Order.objects.filter(checkout_token=checkout_token).exists():
                raise _DuplicateCheckout from None
            # Otherwise a random code (or kode unik) collided: draw another.
    raise OrderError(_("Pesanan gagal dibuat. Silakan coba lagi."))
