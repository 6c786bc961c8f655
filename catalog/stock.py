"""Product stock: the one module that writes `Product.stock`, `Product.sold_count`
and `StockMovement`.

Orders never touch stock rows themselves: they call `reserve`, `release`,
`record_sold` and `reverse_sold` here, the way Saleor's `order/actions.py` only
calls `warehouse/management.py`. Staff adjustments, the demo and the tests'
factory call `adjust`. `mismatches` and `repair` check and mend the ledger.

Rules, so that stock is never oversold and two transactions never deadlock:

- `has_variants` is set here, with the first variant, and never cleared;
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

Variants: a product with variants keeps its `stock` equal to the sum of its
variants' stock. Every change of a variant's stock changes the product's by
the same units in the same transaction, the variant's row first and then the
product's (several variants of one product in primary-key order, then the
product once), so two transactions always lock in the same order. A movement
of a variant names it: `stock_after` is still the product's stock,
`variant_stock_after` the variant's. A product with variants is never
reserved or adjusted without naming the variant.

Made to order: a product or variant marked "dibuat sesuai pesanan" keeps
`open_made_to_order`, the units ordered beyond its ready stock and not yet
made, never above its cap. `reserve` takes the ready stock first and counts
the rest in the same conditional UPDATE (`open_made_to_order + n <= cap`, on
the row it locked); they leave the count exactly once: by `release` when the
sub-order is cancelled or expires before it ships (only the ready units go
back to stock), or by `record_made` when it is shipped or ready for pickup.
Movements record ready units only: made-to-order units were never stock.

`reserve`, `release`, `record_sold` and `reverse_sold` run inside the
caller's transaction (they refuse to run outside one), because their
guarantees depend on what the caller locked and changed before them. The
writers take `now=`, the time their movements are stamped with (default: the
current time), so the demo writes its history without patching the clock.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import (
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar import pagecache
from pasar.audit import record_audit
from pasar.models import AuditLog

from .errors import (
    CatalogError,
    MadeToOrderFullError,
    NotForSaleError,
    OutOfStockError,
    PriceChangedError,
    StockTooLowError,
    VariantRequiredError,
)
from .models import Product, ProductVariant, StockMovement

Kind = StockMovement.Kind


def _user(by):
    return by if by is not None and by.is_authenticated else None


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Call this inside the caller's transaction.")


def _drop_cached_pages(product_ids) -> None:
    """Once the transaction commits, drop the cached pages these products are on.

    Their product pages, category and POSDAYA listings, the unfiltered
    listings and the home if it shows one (`pasar.pagecache.bump_products`),
    not every page: an order of three products leaves the rest cached.
    """
    ids = sorted(set(product_ids))

    def drop_cached_pages():
        pagecache.bump_products(
            Product.objects.filter(pk__in=ids).values_list(
                "pk", "slug", "category__slug", "posdaya__slug"
            )
        )

    if ids:
        transaction.on_commit(drop_cached_pages)


def _stock_of(product_ids) -> dict[int, int]:
    """Read stock back after an UPDATE in this transaction (see the module doc)."""
    return dict(
        Product.objects.filter(pk__in=list(product_ids)).values_list("pk", "stock")
    )


def _variant_stock_of(variant_ids) -> dict[int, int]:
    return dict(
        ProductVariant.objects.filter(pk__in=list(variant_ids)).values_list(
            "pk", "stock"
        )
    )


def _without_variants(products):
    """Narrow an UPDATE to products that have no variants (a column of the row,
    re-checked by an UPDATE that waited on the row's lock)."""
    return products.filter(has_variants=False)


def _has_variants(product: Product) -> bool:
    return Product.objects.filter(pk=product.pk, has_variants=True).exists()


def _refuse_missing_variant(product: Product):
    raise VariantRequiredError(
        _("Pilih varian %(product)s terlebih dahulu.") % {"product": product.name},
        product=product,
    )


@transaction.atomic
def adjust(
    *,
    product: Product,
    quantity: int,
    reason: str,
    by,
    variant: ProductVariant | None = None,
    now: datetime | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> StockMovement:
    """Add (or with a negative quantity remove) stock, never below zero.

    One conditional UPDATE makes the change, so two adjustments at once cannot
    take stock below zero; the movement records who, how much and why. The
    audit row of a staff adjustment is written by its service
    (`catalog.services.adjust_stock`). Sets `product.stock` (and
    `variant.stock`) to the new value. A product with variants is adjusted
    through one `variant` of it: the variant's stock and the product's change
    together. Raises StockTooLowError when the stock would go below zero,
    CatalogError when a product with variants is named alone.
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
    if variant is not None:
        changed = ProductVariant.objects.filter(
            pk=variant.pk, product_id=product.pk, stock__gte=max(0, -quantity)
        ).update(stock=F("stock") + quantity, updated_at=now)
        if not changed:
            current = _variant_stock_of([variant.pk]).get(variant.pk, 0)
            raise StockTooLowError(
                _("Stok tidak cukup: sisa %(stock)s, akan dikurangi %(quantity)s.")
                % {"stock": current, "quantity": -quantity},
                field="quantity",
            )
        products = Product.objects.filter(pk=product.pk)
    else:
        products = _without_variants(Product.objects.filter(pk=product.pk))
    changed = products.filter(stock__gte=max(0, -quantity)).update(
        stock=F("stock") + quantity, updated_at=now
    )
    if not changed:
        if variant is None and _has_variants(product):
            raise CatalogError(_("Pilih varian yang stoknya diubah."), field="quantity")
        current = _stock_of([product.pk])[product.pk]
        raise StockTooLowError(
            _("Stok tidak cukup: sisa %(stock)s, akan dikurangi %(quantity)s.")
            % {"stock": current, "quantity": -quantity},
            field="quantity",
        )
    stock_after = _stock_of([product.pk])[product.pk]
    variant_after = None
    if variant is not None:
        variant_after = _variant_stock_of([variant.pk])[variant.pk]
        variant.stock = variant_after
    movement = StockMovement.objects.create(
        product=product,
        variant=variant,
        kind=Kind.ADJUSTMENT,
        quantity=quantity,
        stock_after=stock_after,
        variant_stock_after=variant_after,
        reason=reason[:200],
        by=_user(by),
        created_at=now,
        idempotency_key=idempotency_key,
    )
    product.stock = stock_after
    _drop_cached_pages([product.pk])
    return movement


def open_first_variant(
    *, variant: ProductVariant, by, now: datetime | None = None
) -> list[StockMovement]:
    """Move a product's stock onto its first variant, just created.

    Called in the transaction that created the variant, before anything else
    reads it: the product row is locked, so no reservation changes the stock
    between reading and moving it. Two movements keep both ledgers adding up:
    the product's units leave without a variant and arrive with this one.
    Returns them (none when the product had no stock).
    """
    _require_transaction()
    now = now or timezone.now()
    # The UPDATE locks the row until commit; a reservation of the product
    # alone waiting on it then finds has_variants set and is refused.
    Product.objects.filter(pk=variant.product_id).update(
        has_variants=True, updated_at=now
    )
    product = Product.objects.get(pk=variant.product_id)
    if product.stock == 0:
        return []
    ProductVariant.objects.filter(pk=variant.pk, stock=0).update(
        stock=product.stock, updated_at=now
    )
    variant.stock = product.stock
    reason = _("Stok produk menjadi stok varian %(variant)s") % {
        "variant": variant.name
    }
    common = {"product": product, "kind": Kind.ADJUSTMENT, "by": _user(by)}
    return StockMovement.objects.bulk_create(
        [
            StockMovement(
                **common,
                quantity=-product.stock,
                stock_after=0,
                reason=reason[:200],
                created_at=now,
            ),
            StockMovement(
                **common,
                variant=variant,
                quantity=product.stock,
                stock_after=product.stock,
                variant_stock_after=product.stock,
                reason=reason[:200],
                created_at=now,
            ),
        ]
    )


class Reservation(list):
    """The movements of a reservation, and `made_to_order`: the units of each
    product or variant (the keys `reserve` was given) reserved made to order."""

    def __init__(self, movements, made_to_order):
        super().__init__(movements)
        self.made_to_order = made_to_order


def reserve(
    *,
    quantities: Mapping[Product | ProductVariant, int],
    reason: str,
    by,
    now: datetime | None = None,
) -> Reservation:
    """Take units of each product or variant off the shelf, all or nothing.

    `quantities` maps each product without variants, or each variant (its
    `product` as the order read it), to the units wanted; the prices and the
    status read are pinned. Raises a ReservationError subclass naming the first
    product that cannot be reserved; the caller's transaction then rolls back
    whatever was reserved before it.

    A product or variant made to order takes its ready stock first; the units
    beyond it count in its `open_made_to_order`, in the same conditional
    UPDATE that takes the ready ones (`open_made_to_order + n <= cap`), so
    concurrent orders never pass the cap. Those units are in the returned
    `made_to_order`; movements record only the ready units.
    """
    _require_transaction()
    now = now or timezone.now()
    groups = _group_by_product(quantities)
    ready: dict = {}
    made: dict = {}
    published = Q(status=Product.Status.PUBLISHED)
    for product, variants in groups:
        for variant in variants:
            ready[variant] = _reserve_variant(product, variant, quantities[variant])
        if variants:
            total = sum(ready[variant] for variant in variants)
        else:
            total = quantities[product]
        products = Product.objects.filter(
            published, pk=product.pk, stock__gte=total, price=product.price
        )
        if not variants:
            products = _without_variants(products)
        if products.update(stock=F("stock") - total):
            if not variants:
                ready[product] = total
        elif not variants and product.made_to_order:
            ready[product] = _reserve_made_to_order(
                Product,
                product,
                total,
                published & Q(price=product.price, has_variants=False),
                label=product.name,
                product=product,
                plain=True,
            )
        else:
            _raise_unavailable(product, total, plain=not variants)
    for key, units in quantities.items():
        if units > ready[key]:
            made[key] = units - ready[key]
    moved = [
        (product, [v for v in variants if ready[v]])
        for product, variants in groups
        if any(ready[key] for key in variants or [product])
    ]
    movements = _movements(
        moved,
        {key: -units for key, units in ready.items()},
        kind=Kind.ORDER,
        reason=reason,
        by=by,
        now=now,
    )
    return Reservation(movements, made)


def _reserve_made_to_order(
    model, item, quantity: int, pinned: Q, *, label, product, plain=False
) -> int:
    """Reserve `quantity` of a made-to-order product or variant whose ready
    stock is short: the ready units, and the rest within its cap. Returns the
    ready units.

    The row is locked first (variants before their product, as everywhere
    here), so the stock read is the one the UPDATE changes.
    """
    row = model.objects.select_for_update().filter(pk=item.pk).values("stock")
    row = row.first() or {"stock": 0}
    on_shelf = min(max(row["stock"], 0), quantity)
    made = quantity - on_shelf
    changed = (
        model.objects.filter(pinned, pk=item.pk, stock__gte=on_shelf)
        .filter(made_to_order=True)
        .alias(open_after=F("open_made_to_order") + made)
        .filter(open_after__lte=F("made_to_order_cap"))
        .update(
            stock=F("stock") - on_shelf,
            open_made_to_order=F("open_made_to_order") + made,
        )
    )
    if changed:
        return on_shelf
    current = model.objects.filter(pk=item.pk).values(
        "made_to_order", "made_to_order_cap", "open_made_to_order"
    )
    current = current.first()
    if current is None or not current["made_to_order"]:
        if plain:
            _raise_unavailable(product, quantity, plain=True)
        raise OutOfStockError(
            _("Stok %(product)s tidak cukup: diminta %(wanted)s, tersisa %(left)s.")
            % {"product": label, "wanted": quantity, "left": on_shelf},
            product=product,
        )
    # The row is still locked: this is the state the UPDATE saw.
    room = max(0, (current["made_to_order_cap"] or 0) - current["open_made_to_order"])
    if room >= made:
        # Not the cap: the status, the price or the variants changed.
        if plain:
            _raise_unavailable(product, quantity, plain=True)
        raise PriceChangedError(
            _("Harga %(product)s baru saja berubah. Periksa keranjang lagi.")
            % {"product": label},
            product=product,
        )
    raise MadeToOrderFullError(
        _(
            "Pesanan dibuat untuk %(product)s sudah penuh: bisa dipesan paling "
            "banyak %(left)s lagi, diminta %(wanted)s."
        )
        % {"product": label, "left": on_shelf + room, "wanted": quantity},
        product=product,
    )


def _group_by_product(quantities):
    """[(product, [its variants by pk])] by product pk; [] for a plain product."""
    groups: dict[int, tuple[Product, list[ProductVariant]]] = {}
    for key in quantities:
        if isinstance(key, ProductVariant):
            product = key.product
            groups.setdefault(product.pk, (product, []))[1].append(key)
        else:
            groups.setdefault(key.pk, (key, []))
    return [
        (product, sorted(variants, key=lambda v: v.pk))
        for _pk, (product, variants) in sorted(groups.items())
    ]


def _reserve_variant(product: Product, variant: ProductVariant, quantity: int) -> int:
    """Reserve units of one variant; return how many came off its shelf."""
    price = Q(price__isnull=True) if variant.price is None else Q(price=variant.price)
    reserved = ProductVariant.objects.filter(
        price, pk=variant.pk, product_id=product.pk, stock__gte=quantity
    ).update(stock=F("stock") - quantity)
    if reserved:
        return quantity
    label = f"{product.name} ({variant.name})"
    row = ProductVariant.objects.filter(pk=variant.pk).values("stock", "price")
    row = row.first() or {"stock": 0, "price": variant.price}
    if row["price"] != variant.price:
        raise PriceChangedError(
            _("Harga %(product)s baru saja berubah. Periksa keranjang lagi.")
            % {"product": label},
            product=product,
        )
    if variant.made_to_order:
        return _reserve_made_to_order(
            ProductVariant,
            variant,
            quantity,
            price & Q(product_id=product.pk),
            label=label,
            product=product,
        )
    raise OutOfStockError(
        _("Stok %(product)s tidak cukup: diminta %(wanted)s, tersisa %(left)s.")
        % {"product": label, "wanted": quantity, "left": row["stock"]},
        product=product,
    )


def _movements(groups, changes, *, kind, reason, by, now) -> list[StockMovement]:
    """One movement per product or variant changed, with the stock after it.

    Read back after the UPDATEs (see the module doc); for several variants of
    one product, each movement's `stock_after` is the product's stock as that
    variant's change left it.
    """
    products = [product for product, _variants in groups]
    stock_after = _stock_of(product.pk for product in products)
    _drop_cached_pages(stock_after)
    variant_after = _variant_stock_of(
        variant.pk for _product, variants in groups for variant in variants
    )
    rows = []
    for product, variants in groups:
        keys = variants or [product]
        running = stock_after[product.pk] - sum(changes[key] for key in keys)
        for key in keys:
            running += changes[key]
            is_variant = isinstance(key, ProductVariant)
            rows.append(
                StockMovement(
                    product=product,
                    variant=key if is_variant else None,
                    kind=kind,
                    quantity=changes[key],
                    stock_after=running,
                    variant_stock_after=variant_after[key.pk] if is_variant else None,
                    reason=reason[:200],
                    by=_user(by),
                    created_at=now,
                )
            )
    return StockMovement.objects.bulk_create(rows)


def _raise_unavailable(product: Product, quantity: int, *, plain: bool = False):
    current = Product.objects.filter(pk=product.pk).values(
        "stock", "status", "price", "has_variants"
    )
    row = current.first() or {
        "stock": 0,
        "status": "",
        "price": product.price,
        "has_variants": False,
    }
    if plain and row["has_variants"]:
        _refuse_missing_variant(product)
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
    variants: Mapping[int, int] | None = None,
    made_to_order: Mapping[int, int] | None = None,
    made_to_order_variants: Mapping[int, int] | None = None,
    now: datetime | None = None,
) -> list[StockMovement]:
    """Return reserved units (product id → units) to stock and record them.

    `variants` (variant id → units) says which of a product's units go back
    to which of its variants; `quantities` counts every unit of the product,
    its variants' included. `made_to_order` (product id → units, lines
    without a variant) and `made_to_order_variants` (variant id → units) are
    made-to-order units not yet made: they leave the open count and never
    go to stock. Exactly-once is the caller's: it changes the sub-order's
    state under its row lock before calling this (see the module doc).
    """
    _require_transaction()
    now = now or timezone.now()
    totals = {pk: quantity for pk, quantity in sorted(quantities.items()) if quantity}
    made = {pk: units for pk, units in (made_to_order or {}).items() if units}
    made_v = {
        pk: units for pk, units in (made_to_order_variants or {}).items() if units
    }
    if not totals and not made and not made_v:
        return []
    wanted = {pk: units for pk, units in (variants or {}).items() if units}
    found = ProductVariant.objects.filter(
        Q(pk__in=list(wanted) + list(made_v)) | Q(product_id__in=list(totals))
    ).order_by("product_id", "position", "pk")
    of_product: dict[int, list[ProductVariant]] = {}
    for variant in found:
        of_product.setdefault(variant.product_id, []).append(variant)
    product_ids = sorted(set(totals) | set(made) | set(of_product))
    products = {p.pk: p for p in Product.objects.filter(pk__in=product_ids)}
    groups, changes = [], {}
    for product_id in product_ids:
        quantity = totals.get(product_id, 0)
        product, own = products[product_id], of_product.get(product_id, [])
        units = {v.pk: wanted.get(v.pk, 0) for v in own}
        # Units of a line placed before the product had variants go back to
        # its first variant, so the product's stock stays their sum.
        rest = quantity - sum(units.values())
        if own and rest:
            units[own[0].pk] += rest
        changed = sorted((v for v in own if units[v.pk]), key=lambda v: v.pk)
        for variant in sorted(own, key=lambda v: v.pk):
            if units[variant.pk] or made_v.get(variant.pk):
                ProductVariant.objects.filter(pk=variant.pk).update(
                    stock=F("stock") + units[variant.pk],
                    open_made_to_order=F("open_made_to_order")
                    - made_v.get(variant.pk, 0),
                )
            if units[variant.pk]:
                changes[variant] = units[variant.pk]
        if quantity or made.get(product_id):
            Product.objects.filter(pk=product_id).update(
                stock=F("stock") + quantity,
                open_made_to_order=F("open_made_to_order") - made.get(product_id, 0),
            )
        if not quantity:
            continue
        if not changed:
            changes[product] = quantity
        groups.append((product, changed))
    return _movements(groups, changes, kind=Kind.RELEASE, reason=reason, by=by, now=now)


def record_made(
    *,
    made_to_order: Mapping[int, int],
    made_to_order_variants: Mapping[int, int],
) -> None:
    """Take made-to-order units that are made (their parcel shipped or ready
    for pickup) out of the open count: product id → units of lines without
    a variant, variant id → units. Variants first, then their products, in pk
    order, like every writer here."""
    _require_transaction()
    made = {pk: units for pk, units in made_to_order.items() if units}
    made_v = {pk: units for pk, units in made_to_order_variants.items() if units}
    of_product = dict(
        ProductVariant.objects.filter(pk__in=list(made_v)).values_list(
            "pk", "product_id"
        )
    )
    for product_id in sorted(set(made) | set(of_product.values())):
        for variant_id in sorted(v for v, p in of_product.items() if p == product_id):
            ProductVariant.objects.filter(pk=variant_id).update(
                open_made_to_order=F("open_made_to_order") - made_v[variant_id]
            )
        if made.get(product_id):
            Product.objects.filter(pk=product_id).update(
                open_made_to_order=F("open_made_to_order") - made[product_id]
            )
    # The cap has room again: the product pages may offer it once more.
    _drop_cached_pages(set(made) | set(of_product.values()))


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
    _drop_cached_pages(quantities)  # the "terlaris" order


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


@dataclass(frozen=True)
class VariantMismatch:
    """A variant whose stock disagrees with its movements, or a product with
    variants whose stock is not their sum."""

    product_id: int
    name: str
    stock: int
    # The sum the stock should equal: the variant's movements, or the
    # product's variants' stock.
    expected: int
    variant_id: int | None = None

    def __str__(self) -> str:
        if self.variant_id is None:
            return (
                f"{self.name}: stock {self.stock}, its variants' stock adds up "
                f"to {self.expected} (not repaired: adjust a variant)"
            )
        return f"{self.name}: stock {self.stock}, movements add up to {self.expected}"


def variant_mismatches() -> list[VariantMismatch]:
    """Return the variants whose stock differs from the sum of their movements,
    then the products with variants whose stock differs from their variants'
    sum, each in pk order."""
    moved = (
        StockMovement.objects.filter(variant=OuterRef("pk"))
        .order_by()
        .values("variant")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    variants = (
        ProductVariant.objects.annotate(
            expected=Coalesce(Subquery(moved, output_field=IntegerField()), 0)
        )
        .exclude(stock=F("expected"))
        .select_related("product")
        .order_by("pk")
    )
    rows = [
        VariantMismatch(v.product_id, str(v), v.stock, v.expected, v.pk)
        for v in variants
    ]
    summed = (
        ProductVariant.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(total=Sum("stock"))
        .values("total")[:1]
    )
    products = (
        Product.objects.annotate(expected=Subquery(summed, output_field=IntegerField()))
        .filter(expected__isnull=False)
        .exclude(stock=F("expected"))
        .order_by("pk")
    )
    rows += [VariantMismatch(p.pk, p.name, p.stock, p.expected) for p in products]
    return rows


@transaction.atomic
def repair_variant(
    *, mismatch: VariantMismatch, reason: str, by
) -> list[StockMovement] | None:
    """Make a variant's movements add up to its stock again; audited.

    As `repair`: the stock is kept and the movements are mended, here by a
    pair (the missing units to the variant, the same units back off the
    product without a variant) so the product's own ledger is unchanged. A
    product whose stock is not its variants' sum is not guessed at (nothing
    is written, None returned): an adjustment of a variant puts it right.
    """
    if mismatch.variant_id is None:
        return None
    variant = (
        ProductVariant.objects.select_for_update()
        .select_related("product")
        .get(pk=mismatch.variant_id)
    )
    total = StockMovement.objects.filter(variant=variant).aggregate(
        total=Coalesce(Sum("quantity"), 0)
    )["total"]
    missing = variant.stock - total
    if not missing:
        return []
    product = variant.product
    common = {"product": product, "kind": Kind.ADJUSTMENT, "by": _user(by)}
    movements = StockMovement.objects.bulk_create(
        [
            StockMovement(
                **common,
                variant=variant,
                quantity=missing,
                stock_after=product.stock + missing,
                variant_stock_after=variant.stock,
                reason=reason[:200],
            ),
            StockMovement(
                **common,
                quantity=-missing,
                stock_after=product.stock,
                reason=reason[:200],
            ),
        ]
    )
    record_audit(
        actor=by,
        action=AuditLog.Action.STOCK_ADJUSTMENT,
        target=product,
        posdaya=product.posdaya,
        before={"variant": variant.name, "movements_total": total},
        after={"variant": variant.name, "movements_total": variant.stock},
        note=reason,
    )
    return movements


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


@dataclass(frozen=True)
class MadeToOrderMismatch:
    """A product or variant whose open made-to-order count differs from the
    units its open order lines hold (found by `orders.selectors`)."""

    name: str
    open_count: int
    expected: int
    product_id: int
    variant_id: int | None = None

    def __str__(self) -> str:
        return (
            f"{self.name}: open made-to-order {self.open_count}, "
            f"open order lines hold {self.expected}"
        )


@transaction.atomic
def repair_made_to_order(
    *, mismatch: MadeToOrderMismatch, count_open: Callable[[], int], reason: str, by
) -> int:
    """Set an open made-to-order count to what the open lines hold; audited.

    The row is locked first and `count_open` (the orders' count of open
    made-to-order units of this item) is read after the lock, so a checkout
    that reserved on the row meanwhile has committed its lines and is counted.
    Returns the count written.
    """
    if mismatch.variant_id is not None:
        rows = ProductVariant.objects.filter(pk=mismatch.variant_id)
    else:
        rows = Product.objects.filter(pk=mismatch.product_id)
    before = rows.select_for_update().values_list("open_made_to_order", flat=True)
    before = before.get()
    units = count_open()
    rows.update(open_made_to_order=units)
    product = Product.objects.select_related("posdaya").get(pk=mismatch.product_id)
    record_audit(
        actor=by,
        action=AuditLog.Action.STOCK_ADJUSTMENT,
        target=product,
        posdaya=product.posdaya,
        before={"item": mismatch.name, "open_made_to_order": before},
        after={"item": mismatch.name, "open_made_to_order": units},
        note=reason,
    )
    return units
