"""Waste stock taken out for craft production, and adjustments with a reason.

Both take the form's one-time key (`idempotency_key`): a repeated key returns
the first row and moves no stock, even when two requests race (the second
waits for the stock lock, then finds the first; a unique constraint is the
last line).
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog

from ..models import ProductionUse, WasteCategory, WasteStockMovement
from .ledger import insert, lock_stock, move_stock
from .validation import BankSampahError, check_weight, same_posdaya, user_or_none


def _earlier(model, idempotency_key, posdaya):
    if idempotency_key is None:
        return None
    row = model.objects.filter(idempotency_key=idempotency_key).first()
    return same_posdaya(row, posdaya)


def _once(model, idempotency_key, posdaya, write):
    """Run `write()` unless the key was used; on a key collision, the first row."""
    earlier = _earlier(model, idempotency_key, posdaya)
    if earlier is not None:
        return earlier
    try:
        return write()
    except IntegrityError:
        earlier = _earlier(model, idempotency_key, posdaya)
        if earlier is None:
            raise
        return earlier


def record_production_use(
    *,
    posdaya,
    category: WasteCategory,
    weight: Decimal,
    by,
    product=None,
    note: str = "",
    used_on: date | None = None,
    idempotency_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> ProductionUse:
    """Take waste out of stock for craft production (optionally for a product).

    `at` records a past use with its own time (and, without `used_on`, day).
    """
    weight = check_weight(weight)
    if product is not None and product.posdaya_id != posdaya.pk:
        raise BankSampahError(_("Produk itu bukan milik POSDAYA ini."))

    def write():
        with transaction.atomic():
            stock = lock_stock(posdaya_id=posdaya.pk, category_ids=[category.pk])
            earlier = _earlier(ProductionUse, idempotency_key, posdaya)
            if earlier is not None:
                return earlier
            use = ProductionUse(
                posdaya=posdaya,
                category=category,
                weight=weight,
                product=product,
                used_on=used_on or timezone.localdate(at),
                note=note,
                by=user_or_none(by),
                idempotency_key=idempotency_key,
            )
            insert(use, at=at)
            move_stock(
                stock=stock[category.pk],
                kind=WasteStockMovement.Kind.OUT_PRODUCTION,
                weight=-weight,
                by=by,
                at=at,
                production=use,
            )
        return use

    return _once(ProductionUse, idempotency_key, posdaya, write)


def adjust_waste_stock(
    *,
    posdaya,
    category: WasteCategory,
    weight: Decimal,
    reason: str,
    by,
    idempotency_key: uuid.UUID | None = None,
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

    def write():
        with transaction.atomic():
            stock = lock_stock(posdaya_id=posdaya.pk, category_ids=[category.pk])[
                category.pk
            ]
            earlier = _earlier(WasteStockMovement, idempotency_key, posdaya)
            if earlier is not None:
                return earlier
            movement = move_stock(
                stock=stock,
                kind=WasteStockMovement.Kind.ADJUSTMENT,
                weight=signed,
                by=by,
                reason=reason,
                idempotency_key=idempotency_key,
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

    return _once(WasteStockMovement, idempotency_key, posdaya, write)
