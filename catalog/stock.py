"""Product stock: the one module that writes `Product.stock`, `Product.sold_count`
and `StockMovement`.

Orders never touch stock rows themselves: they call `reserve`, `release`,
`record_sold` and `reverse_sold` here, the way Saleor's `order/actions.py` only
calls `warehouse/management.py`. Staff adjustments, the demo and the tests'
factory call `adjust`. `mismatches` and `repair` check and mend the ledger.

Rules, so that stock is never oversold and two transactions never deadlock:

- a count changes only through a conditional UPDATE with F() (`stock >= n`),
  never by reading it and writing a new value;
- several products are changed in primary-key order;
- a reservation pins the price and the status the order read in its UPDATE's
  condition, so a product repriced or unpublished meanwhile is refused;
- `stock_after` of a movement is read back after the UPDATE, in the same
  transaction: the UPDATE holds the row's lock until commit (SQLite locks the
  whole database for a write), so the value read is exactly the one written;
- `release` is not idempotent by itself: every caller changes a sub-order's
  state under its row lock first, and only the caller that changed it
  releases, so each reservation is returned at most once.

`reserve`, `release`, `record_sold` and `reverse_sold` run inside the
caller's transaction (they refuse to run outside one), because their
guarantees depend on what the caller locked and changed before them. The
writers take `now=`, the time their movements are stamped with (default: the
current time), so the demo writes its history without patching the clock.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog

from .errors import (
    CatalogError,
    NotForSaleError,
    OutOfStockError,
    PriceChangedError,
    StockTooLowError,
)
from .models import Product, StockMovement

Kind = StockMovement.Kind


def _user(by):
    return by if by is not None and by.is_authenticated else None


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Call this inside the caller's transaction.")


def _stock_of(product_ids) -> dict[int, int]:
    """Read stock back after an UPDATE in this transaction (see the module doc)."""
    return dict(
        Product.objects.filter(pk__in=list(product_ids)).values_list("pk", "stock")
    )


@transaction.atomic
def adjust(
    *,
    product: Product,
    quantity: int,
    reason: str,
    by,
    now: datetime | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> StockMovement:
    """Add (or with a negative quantity remove) stock, never below zero.

    One conditional UPDATE makes the change, so two adjustments at once cannot
    take stock below zero; the movement records who, how much and why. The
    audit row of a staff adjustment is written by its service
    (`catalog.services.adjust_stock`). Sets `product.stock` to the new value.
    Raises StockTooLowError when the stock would go below zero.
    `idempotency_key` (a form's one-time key) is stored on the movement,
    unique: a twin adjustment with the same key fails on insert and rolls
    back its UPDATE (`catalog.services.adjust_stock` then answers with the
    first movement).
    """
    if quantity == 0:
        raise CatalogError(
            _("Jumlah perubahan stok tidak boleh nol."), field="quantity"
        )
    now = now or timezone.now()
    changed = Product.objects.filter(
        pk=product.pk, stock__gte=max(0, -quantity)
    ).update(stock=F("stock") + quantity, updated_at=now)
    if not changed:
        current = _stock_of([product.pk])[product.pk]
        raise StockTooLowError(
            _("Stok tidak cukup: sisa %(stock)s, akan dikurangi %(quantity)s.")
            % {"stock": current, "quantity": -quantity},
            field="quantity",
        )
    stock_after = _stock_of([product.pk])[product.pk]
    movement = StockMovement.objects.create(
        product=product,
        kind=Kind.ADJUSTMENT,
        quantity=quantity,
        stock_after=stock_after,
        reason=reason[:200],
        by=_user(by),
        created_at=now,
        idempotency_key=idempotency_key,
    )
    product.stock = stock_after
    return movement


def reserve(
    *,
    quantities: Mapping[Product, int],
    reason: str,
    by,
    now: datetime | None = None,
) -> list[StockMovement]:
    """Take units of each product off the shelf for an order, all or nothing.

    `quantities` maps each product, as the order read it (its price and
    status are pinned), to the units wanted. Raises a ReservationError
    subclass naming the first product that cannot be reserved; the caller's
    transaction then rolls back whatever was reserved before it.
    """
    _require_transaction()
    now = now or timezone.now()
    wanted = sorted(quantities.items(), key=lambda item: item[0].pk)
    for product, quantity in wanted:
        reserved = Product.objects.filter(
            pk=product.pk,
            stock__gte=quantity,
            status=Product.Status.PUBLISHED,
            price=product.price,
        ).update(stock=F("stock") - quantity)
        if not reserved:
            _raise_unavailable(product, quantity)
    stock_after = _stock_of(product.pk for product, _quantity in wanted)
    return StockMovement.objects.bulk_create(
        StockMovement(
            product=product,
            kind=Kind.ORDER,
            quantity=-quantity,
            stock_after=stock_after[product.pk],
            reason=reason[:200],
            by=_user(by),
            created_at=now,
        )
        for product, quantity in wanted
    )


def _raise_unavailable(product: Product, quantity: int):
    current = Product.objects.filter(pk=product.pk).values("stock", "status", "price")
    row = current.first() or {"stock": 0, "status": "", "price": product.price}
    if row["status"] != Product.Status.PUBLISHED:
        raise NotForSaleError(
            _("%(product)s sudah tidak dijual. Hapus dari keranjang.")
            % {"product": product.name},
            product=product,
        )
    if row["price"] != product.price:
        raise PriceChangedError(
            _("Harga %(product)s baru saja berubah. Periksa keranjang lagi.")
            % {"product": product.name},
            product=product,
        )
    raise OutOfStockError(
        _("Stok %(product)s tidak cukup: diminta %(wanted)s, tersisa %(left)s.")
        % {"product": product.name, "wanted": quantity, "left": row["stock"]},
        product=product,
    )


def release(
    *,
    quantities: Mapping[int, int],
    reason: str,
    by,
    now: datetime | None = None,
) -> list[StockMovement]:
    """Return reserved units (product id → units) to stock and record them.

    Exactly-once is the caller's: it changes the sub-order's state under its
    row lock before calling this (see the module doc).
    """
    _require_transaction()
    now = now or timezone.now()
    totals = {pk: quantity for pk, quantity in sorted(quantities.items()) if quantity}
    if not totals:
        return []
    for product_id, quantity in totals.items():
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
    stock_after = _stock_of(totals)
    return StockMovement.objects.bulk_create(
        StockMovement(
            product_id=product_id,
            kind=Kind.RELEASE,
            quantity=quantity,
            stock_after=stock_after[product_id],
            reason=reason[:200],
            by=_user(by),
            created_at=now,
        )
        for product_id, quantity in totals.items()
    )


def record_sold(*, quantities: Mapping[int, int]) -> None:
    """Count units (product id → units) of a paid order as sold ("terlaris")."""
    _change_sold_count(quantities, sign=+1)


def reverse_sold(*, quantities: Mapping[int, int]) -> None:
    """Take back units counted as sold when a paid part is cancelled or refunded."""
    _change_sold_count(quantities, sign=-1)


def _change_sold_count(quantities: Mapping[int, int], *, sign: int) -> None:
    _require_transaction()
    for product_id, quantity in sorted(quantities.items()):
        Product.objects.filter(pk=product_id).update(
            sold_count=F("sold_count") + sign * quantity
        )


# --- checking and mending the ledger ----------------------------------------


@dataclass(frozen=True)
class StockMismatch:
    """A product whose stock disagrees with its movements."""

    product_id: int
    product_name: str
    stock: int
    # The sum of every movement's quantity: what the stock should be.
    movements_total: int
    # stock_after of the latest movement (None: the product has none).
    last_stock_after: int | None

    def __str__(self) -> str:
        return (
            f"{self.product_name} (#{self.product_id}): stock {self.stock}, "
            f"movements add up to {self.movements_total}, last movement says "
            f"{self.last_stock_after}"
        )


def _with_ledger(products):
    movements = StockMovement.objects.filter(product=OuterRef("pk"))
    total = (
        movements.order_by()
        .values("product")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    last = movements.order_by("-id").values("stock_after")[:1]
    return products.annotate(
        movements_total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
        last_stock_after=Subquery(last, output_field=IntegerField()),
    )


def mismatches(*, products=None) -> list[StockMismatch]:
    """Return the products whose stock differs from the sum of their movements,
    or from the `stock_after` of their latest movement (by id), in pk order.

    `products` narrows the check to a queryset of products (default: all).
    """
    products = Product.objects.all() if products is None else products
    rows = (
        _with_ledger(products)
        .filter(
            ~Q(stock=F("movements_total"))
            | (Q(last_stock_after__isnull=False) & ~Q(stock=F("last_stock_after")))
        )
        .order_by("pk")
        .values_list("pk", "name", "stock", "movements_total", "last_stock_after")
    )
    return [StockMismatch(*row) for row in rows]


@transaction.atomic
def repair(*, product: Product, reason: str, by) -> StockMovement | None:
    """Make a product's movements agree with its stock again; audited.

    The stock itself is kept: it is what every reservation was checked
    against, and changing it could sell units that are not on the shelf. One
    adjustment movement is appended with the missing quantity (stock − sum of
    movements, possibly 0) and `stock_after` = stock, so afterwards both
    checks of `mismatches` pass. The product row is locked while this runs.
    Returns the movement, or None when nothing was wrong.
    """
    locked = _with_ledger(Product.objects.select_for_update()).get(pk=product.pk)
    total, last = locked.movements_total, locked.last_stock_after
    if total == locked.stock and last in (None, locked.stock):
        return None
    movement = StockMovement.objects.create(
        product=locked,
        kind=Kind.ADJUSTMENT,
        quantity=locked.stock - total,
        stock_after=locked.stock,
        reason=reason[:200],
        by=_user(by),
    )
    record_audit(
        actor=by,
        action=AuditLog.Action.STOCK_ADJUSTMENT,
        target=locked,
        posdaya=locked.posdaya,
        before={
            "stock": locked.stock,
            "movements_total": total,
            "last_stock_after": last,
        },
        after={"stock": locked.stock, "movements_total": locked.stock},
        note=reason,
    )
    return movement
