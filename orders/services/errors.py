"""The refusals of the order services; `str(error)` is the message for the user."""

from pasar.errors import DomainError


class OrderError(DomainError):
    """A refused order action; `str(error)` is the message for the user."""


class OutOfStockError(OrderError):
    pass


class PriceChangedError(OrderError):
    pass


class IllegalTransitionError(OrderError):
    pass
