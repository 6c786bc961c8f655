"""Settlement services: credit completed sub-orders, reverse, record payouts.

Every write locks the POSDAYA row first, so a payout's balance check and the
entries it races with are serialised per POSDAYA.
"""

import uuid
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.errors import DomainError
from pasar.models import AuditLog
from pasar.money import format_rupiah
from posdaya.models import Posdaya

from ..models import SettlementEntry, SubOrder

Kind = SettlementEntry.Kind


class SettlementError(DomainError):
    """A settlement write that is refused; the message is for the user."""


def induk_fee(goods_total: int, percent: Decimal) -> int:
    """Return the induk's fee in whole Rupiah, rounded half up once."""
    return int((Decimal(goods_total) * percent / 100).quantize(0, ROUND_HALF_UP))


def _lock_posdaya(posdaya_id: int) -> Posdaya:
    return Posdaya.objects.select_for_update().get(pk=posdaya_id)


def balance_of(posdaya: Posdaya) -> int:
    """Return what the induk owes the POSDAYA: the sum of its entries."""
    total = SettlementEntry.objects.filter(posdaya=posdaya).aggregate(s=Sum("amount"))
    return total["s"] or 0


def credit_suborder(
    *, suborder: SubOrder, by, now: datetime | None = None
) -> SettlementEntry:
    """Credit a paid, completed sub-order to its POSDAYA (once; inside a txn)."""
    if suborder.status != SubOrder.Status.COMPLETED or not suborder.paid_at:
        raise SettlementError(_("Hanya pesanan yang dibayar dan selesai dikreditkan."))
    percent = Decimal(settings.PASAR_INDUK_FEE_PERCENT)
    fee = induk_fee(suborder.items_total, percent)
    with transaction.atomic():
        _lock_posdaya(suborder.posdaya_id)
        existing = SettlementEntry.objects.filter(
            suborder=suborder, kind=Kind.CREDIT
        ).first()
        if existing is not None:
            return existing
        return SettlementEntry.objects.create(
            posdaya_id=suborder.posdaya_id,
            kind=Kind.CREDIT,
            amount=suborder.items_total - fee + suborder.delivery_fee,
            suborder=suborder,
            goods_total=suborder.items_total,
            delivery_fee=suborder.delivery_fee,
            fee_percent=percent,
            fee_amount=fee,
            by=by if by is not None and by.is_authenticated else None,
            created_at=now or timezone.now(),
        )


def reverse_suborder_credit(
    *, suborder: SubOrder, by, reason: str, now: datetime | None = None
):
    """Reverse the credit of a sub-order that was refunded, if it was credited."""
    with transaction.atomic():
        _lock_posdaya(suborder.posdaya_id)
        credit = SettlementEntry.objects.filter(
            suborder=suborder, kind=Kind.CREDIT
        ).first()
        if (
            credit is None
            or SettlementEntry.objects.filter(reversal_of=credit).exists()
        ):
            return None
        entry = SettlementEntry.objects.create(
            posdaya_id=suborder.posdaya_id,
            kind=Kind.REVERSAL,
            amount=-credit.amount,
            suborder=suborder,
            goods_total=credit.goods_total,
            delivery_fee=credit.delivery_fee,
            fee_percent=credit.fee_percent,
            fee_amount=credit.fee_amount,
            reversal_of=credit,
            note=reason[:300],
            by=by if by is not None and by.is_authenticated else None,
            created_at=now or timezone.now(),
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.LEDGER_CORRECTION,
            target=entry,
            posdaya=suborder.posdaya,
            before={"credit": credit.amount},
            after={"reversal": entry.amount},
            note=reason,
        )
        return entry


def record_payout(
    *,
    posdaya: Posdaya,
    amount: int,
    paid_on: date,
    method: str,
    reference: str,
    by,
    note: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> SettlementEntry:
    """Record money the induk paid to a POSDAYA; never more than it is owed.

    A repeated `idempotency_key` (the form's one-time key) returns the first
    payout: the twin of a racing pair waits for the POSDAYA lock, then finds it.
    """
    if amount <= 0:
        raise SettlementError(
            _("Jumlah pembayaran harus lebih dari nol."), field="amount"
        )
    earlier = _earlier_payout(idempotency_key, posdaya)
    if earlier is not None:
        return earlier
    with transaction.atomic():
        _lock_posdaya(posdaya.pk)
        earlier = _earlier_payout(idempotency_key, posdaya)
        if earlier is not None:
            return earlier
        owed = balance_of(posdaya)
        if amount > owed:
            raise SettlementError(
                _("Jumlah melebihi saldo yang menjadi hak POSDAYA (%(owed)s).")
                % {"owed": format_rupiah(owed)},
                field="amount",
            )
        entry = SettlementEntry.objects.create(
            posdaya=posdaya,
            kind=Kind.PAYOUT,
            amount=-amount,
            paid_on=paid_on,
            method=method,
            reference=reference[:120],
            note=note[:300],
            by=by,
            idempotency_key=idempotency_key,
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.PAYOUT,
            target=entry,
            posdaya=posdaya,
            before={"balance": owed},
            after={"balance": owed - amount, "payout": amount},
            note=reference,
        )
        return entry


def _earlier_payout(idempotency_key, posdaya) -> SettlementEntry | None:
    if idempotency_key is None:
        return None
    entry = SettlementEntry.objects.filter(
        idempotency_key=idempotency_key, kind=Kind.PAYOUT
    ).first()
    if entry is not None and entry.posdaya_id != posdaya.pk:
        raise SettlementError(
            _("Formulir ini sudah dipakai untuk POSDAYA lain. Muat ulang halaman.")
        )
    return entry
