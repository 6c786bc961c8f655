"""Delivery zones and their fees, kept by the koordinator; a fee change is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog

from ..models import DeliveryZone
from .errors import OrderError


def _check_methods(*, for_local: bool, for_courier: bool) -> None:
    # The database refuses it too (delivery_zone_has_a_method); this says why.
    if not (for_local or for_courier):
        raise OrderError(_("Pilih minimal satu cara pengiriman untuk zona ini."))


@transaction.atomic
def create_zone(
    *,
    name: str,
    fee: int,
    for_local: bool = True,
    for_courier: bool = False,
    is_active: bool = True,
    by,
) -> DeliveryZone:
    """Create a delivery zone; its fee applies to orders placed from now on."""
    _check_methods(for_local=for_local, for_courier=for_courier)
    return DeliveryZone.objects.create(
        name=name,
        fee=fee,
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
    for_local: bool,
    for_courier: bool,
    is_active: bool,
    by,
) -> DeliveryZone:
    """Change a zone; a fee change is written to the audit log.

    Placed orders keep the fee they were priced with (it is stored on them).
    """
    _check_methods(for_local=for_local, for_courier=for_courier)
    zone = DeliveryZone.objects.select_for_update().get(pk=zone.pk)
    old_fee = zone.fee
    zone.name, zone.fee, zone.is_active = name, fee, is_active
    zone.for_local, zone.for_courier = for_local, for_courier
    zone.save()
    if old_fee != fee:
        record_audit(
            actor=by,
            action=AuditLog.Action.PRICE_CHANGE,
            target=zone,
            before={"fee": old_fee},
            after={"fee": fee},
        )
    return zone
