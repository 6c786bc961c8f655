"""Order workflows: placing, paying, fulfilling, cancelling and expiring orders.

One module per step (`checkout`, `payment`, `fulfilment`, `expiry`,
`settlement`, `zones` for the delivery fees); `transitions` holds the tables
and the guard of each action, `state` is the one writer of order state.
Import the public names from here: `from orders.services import place_order`.

Locking rules, so that two requests never deadlock and stock is never oversold:

- stock moves only through `catalog.stock` (conditional UPDATEs with F(), in
  product-pk order); a release is guarded by the sub-order's state change
  made here first, so each reservation is returned at most once;
- a state change locks the order row first, then its sub-order rows in pk
  order (`select_for_update`), re-reads the state and asks the guard in
  `transitions`; every change writes an event row;
- settlement writes lock the POSDAYA row (see `settlement`).
"""

from . import settlement
from .checkout import PlacedOrder, Visitor, generate_order_code, place_order
from .errors import (
    IllegalTransitionError,
    OrderError,
    OutOfStockError,
    PriceChangedError,
)
from .expiry import expire_due_orders, expire_order_if_due
from .fulfilment import advance_suborder, cancel_suborder, refund_suborder
from .payment import (
    approve_payment,
    approve_qris_payment,
    mark_suborder_paid,
    reject_payment,
    submit_payment_proof,
)
from .state import amount_due
from .transitions import (
    ORDER_TRANSITIONS,
    REFUND_TRANSITIONS,
    SUBORDER_TRANSITIONS,
    allowed_suborder_actions,
    can_mark_paid,
    can_refund,
    check_proof_upload,
)
from .zones import create_zone, update_zone

__all__ = [
    "ORDER_TRANSITIONS",
    "REFUND_TRANSITIONS",
    "SUBORDER_TRANSITIONS",
    "IllegalTransitionError",
    "OrderError",
    "OutOfStockError",
    "PlacedOrder",
    "PriceChangedError",
    "Visitor",
    "advance_suborder",
    "allowed_suborder_actions",
    "amount_due",
    "approve_payment",
    "approve_qris_payment",
    "can_mark_paid",
    "can_refund",
    "cancel_suborder",
    "check_proof_upload",
    "create_zone",
    "expire_due_orders",
    "expire_order_if_due",
    "generate_order_code",
    "mark_suborder_paid",
    "place_order",
    "refund_suborder",
    "reject_payment",
    "settlement",
    "submit_payment_proof",
    "update_zone",
]
