"""Kode unik: the last three digits that name a bank transfer in the statement.

With PASAR_TRANSFER_UNIQUE_CODE on, each order paid by bank transfer gets a
code from 1 to 999, added to its total. No two open orders (awaiting payment
or verification) hold the same code: the partial unique index
`order_unique_code_open` decides between two checkouts that drew the same
one, and the loser draws again (see `checkout._insert_order`). The code is
the induk's money: the sub-orders' totals, and so the POSDAYA settlement,
leave it out.
"""

import secrets

from django.conf import settings

from ..models import Order

OPEN_STATES = (Order.Status.AWAITING_PAYMENT, Order.Status.AWAITING_VERIFICATION)
CODES = range(1, 1000)


def unique_codes_enabled() -> bool:
    return settings.PASAR_TRANSFER_UNIQUE_CODE


def draw_unique_code() -> int:
    """Return a code no open order holds now, or 0 when all 999 are taken."""
    used = set(
        Order.objects.filter(status__in=OPEN_STATES, unique_code__gt=0).values_list(
            "unique_code", flat=True
        )
    )
    free = [code for code in CODES if code not in used]
    return pick(free) if free else 0


def pick(free: list[int]) -> int:
    """Choose among the free codes (random, so two checkouts rarely collide)."""
    return secrets.choice(free)
