"""The catalog's refusals: each message is for the person at the screen."""

from pasar.errors import DomainError


class CatalogError(DomainError):
    """A catalog change that cannot be made; the message is for the user."""


class StockTooLowError(CatalogError):
    """An adjustment would take stock below zero."""


class ReservationError(CatalogError):
    """A product of an order cannot be reserved; `product` names it."""

    def __init__(self, message: str, *, product):
        super().__init__(message)
        self.product = product


class NotForSaleError(ReservationError):
    """The product was unpublished (or its POSDAYA closed) since it was read."""


class PriceChangedError(ReservationError):
    """The product's price changed since the order read it."""


class OutOfStockError(ReservationError):
    """Fewer units are left than the order asks for."""


class VariantRequiredError(ReservationError):
    """A product with variants was asked for without naming one."""


class MadeToOrderFullError(OutOfStockError):
    """The units wanted beyond the ready stock exceed the made-to-order cap."""
