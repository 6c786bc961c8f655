"""The delivery fee of one POSDAYA parcel: the one rule the cart and checkout use.

Each POSDAYA ships its own parcel, so a fee is charged per sub-order. Pickup is
free; local delivery (antar) pays the zone's flat fee whatever the weight; a
courier parcel pays the zone's first-kg fee plus its per-kg fee for every
further kilogram started (2.4 kg = first kg + 2 kg). Weights are whole grams,
so the fee is integer arithmetic only.
"""

from collections.abc import Iterable

from .models import GRAMS_PER_KG, DeliveryMethod, DeliveryZone

# No fee a zone may charge is above this: a typo (an extra zero or three) is
# refused before any shopper is asked to pay it.
MAX_ZONE_FEE = 1_000_000


def parcel_weight_grams(lines: Iterable[tuple[object, int]]) -> int:
    """Return the weight of a parcel: each product's grams × its quantity."""
    return sum(product.weight_grams * quantity for product, quantity in lines)


def extra_kg_started(weight_grams: int) -> int:
    """Return the kilograms started after the first: 1000 g → 0, 1001 g → 1."""
    beyond_first = max(weight_grams - GRAMS_PER_KG, 0)
    return -(-beyond_first // GRAMS_PER_KG)  # ceiling division, no floats


def delivery_fee_for(
    *, method: str, zone: DeliveryZone | None, weight_grams: int
) -> int:
    """Return the fee one parcel (one sub-order) pays for this method and zone."""
    if zone is None or method == DeliveryMethod.PICKUP:
        return 0
    if method == DeliveryMethod.COURIER:
        return zone.courier_first_kg_fee + zone.courier_extra_kg_fee * (
            extra_kg_started(weight_grams)
        )
    return zone.fee
