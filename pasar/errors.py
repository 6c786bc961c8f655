"""The one base of every refused domain operation.

A service raises a `DomainError` subclass with a translated message for the
person at the screen, and changes nothing (its transaction rolls back). Views
show the message (see `pasar.views.ServiceFormView`); they never build it.
"""


class DomainError(Exception):
    """A refused operation; `message` is for the user, `field` names the input."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
