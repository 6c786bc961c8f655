"""Delivery zones and their fees, kept by the koordinator; a fee change is audited.

A zone has a flat fee for local delivery and, for couriers, a first-kg fee and
a fee per further kg started (`orders.shipping.delivery_fee_for`).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog
from pasar.money import format_rupiah

from ..models import DeliveryZone
from ..shipping import MAX_ZONE_FEE
from .errors import OrderError

# The prices a zone charges: a change to any of them is written to the audit log.
FEE_FIELDS = ("fee", "courier_first_kg_fee", "courier_extra_kg_fee")


def _check_methods(*, for_local: bool, for_courier: bool) -> None:
    # The database refuses it too (delivery_zone_has_a_method); this says why.
    if not (for_local or for_courier):
        raise OrderError(_("Pilih minimal satu cara pengiriman untuk zona ini."))


def _check_fees(**fees: int) -> None:
    # The form says it first; this keeps a caller from storing a typo.
    for field, value in fees.items():
        if not 0 <= value <= MAX_ZONE_FEE:
            raise OrderError(
                _("Ongkir harus antara %(min)s dan %(max)s.")
                % {"min": format_rupiah(0), "max": format_rupiah(MAX_ZONE_FEE)},
                field=field,
            )


@transaction.atomic
def create_zone(
    *,
    name: str,
    fee: int,
    courier_first_kg_fee: int = 0,
    courier_extra_kg_fee: int = 0,
    for_local: bool = True,
    for_courier: bool = False,
    is_active: bool = True,
    by,
) -> DeliveryZone:
    """Create a delivery zone; its fee applies to orders placed from now on."""
    _check_methods(for_local=for_local, for_courier=for_courier)
    _check_fees(
        fee=fee,
        courier_first_kg_fee=courier_first_kg_fee,
        courier_extra_kg_fee=courier_extra_kg_fee,
    )
    return DeliveryZone.objects.create(
        name=name,
        fee=fee,
        courier_first_kg_fee=courier_first_kg_fee,
        courier_extra_kg_fee=courier_extra_kg_fee,
        for_local=for_local,
        for_courier=for_courier,
        is_active=is_active,
    )


@transaction.atomic
def update_zone(
    *,
    zone: DeliveryZone,
    name: str,
    fee: int,
    courier_first_kg_fee: int,
    courier_extra_kg_fee: int,
    for_local: bool,
    for_courier: bool,
    is_active: bool,
    by,
) -> DeliveryZone:
    """Change a zone; a fee change is written to the audit log.

    Placed orders keep the fee they were priced with (it is stored on them).
    """
    _check_methods(for_local=for_local, for_courier=for_courier)
    _check_fees(
        fee=fee,
        courier_first_kg_fee=courier_first_kg_fee,
        courier_extra_kg_fee=courier_extra_kg_fee,
    )
    zone = DeliveryZone.objects.select_for_update().get(pk=zone.pk)
    before = {field: getattr(zone, field) for field in FEE_FIELDS}
    zone.name, zone.fee, zone.is_active = name, fee, is_active
    zone.courier_first_kg_fee = courier_first_kg_fee
    zone.courier_extra_kg_fee = courier_extra_kg_fee
    zone.for_local, zone.for_courier = for_local, for_courier
    zone.save()
    after = {field: getattr(zone, field) for field in FEE_FIELDS}
    if before != after:
        changed = [field for field in FEE_FIELDS if before[field] != after[field]]
        record_audit(
            actor=by,
            action=AuditLog.Action.PRICE_CHANGE,
            target=zone,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
    return zone
