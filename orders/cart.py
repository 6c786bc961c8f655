"""The shopping cart, kept in the session: product ids and quantities only.

Prices, names and stock are always read again from the database; nothing in
the session is trusted beyond "this visitor wants n of product p". The same
session cart serves signed-in shoppers: Django keeps session data when a
visitor signs in (it only rotates the key), so a guest's cart carries over.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from pasar.errors import DomainError

SESSION_KEY = "cart"
MAX_QUANTITY = 99
MAX_LINES = 50


class CartError(DomainError):
    """A cart change was refused; the message is for the shopper."""


def _clean(raw) -> dict[str, int]:
    """Keep only well-formed entries: a tampered session cannot break a page."""
    if not isinstance(raw, dict):
        return {}
    cleaned = {}
    for key, value in raw.items():
        if (
            isinstance(key, str)
            and key.isdigit()
            and isinstance(value, int)
            and 0 < value <= MAX_QUANTITY
        ):
            cleaned[key] = value
    return cleaned


class Cart:
    """Quantities per product id in a session."""

    def __init__(self, session):
        self.session = session
        self._data = _clean(session.get(SESSION_KEY))

    def quantities(self) -> dict[int, int]:
        return {int(key): value for key, value in self._data.items()}

    def quantity_of(self, product_id: int) -> int:
        return self._data.get(str(product_id), 0)

    def count(self) -> int:
        return sum(self._data.values())

    def __len__(self):
        return len(self._data)

    def set(self, product_id: int, quantity: int) -> None:
        if quantity <= 0:
            self._data.pop(str(product_id), None)
        else:
            if str(product_id) not in self._data and len(self._data) >= MAX_LINES:
                raise CartError(_("Keranjang sudah penuh."))
            self._data[str(product_id)] = quantity
        self._save()

    def remove(self, product_id: int) -> None:
        self._data.pop(str(product_id), None)
        self._save()

    def remove_many(self, product_ids) -> None:
        for product_id in product_ids:
            self._data.pop(str(product_id), None)
        self._save()

    def clear(self) -> None:
        self._data = {}
        self._save()

    def _save(self) -> None:
        self.session[SESSION_KEY] = dict(self._data)
        self.session.modified = True


def count_in_session(session) -> int:
    """Return the number of units in the session's cart, without a query.

    For a visitor without a session cookie the session is never loaded.
    """
    if session is None or not session.session_key:
        return 0
    return sum(_clean(session.get(SESSION_KEY)).values())


def add_to_cart(*, cart: Cart, product, quantity: int) -> int:
    """Add units of a published product, refusing more than its stock.

    Return the new quantity in the cart.
    """
    if quantity < 1:
        raise CartError(_("Jumlah minimal 1."))
    return set_cart_quantity(
        cart=cart, product=product, quantity=cart.quantity_of(product.pk) + quantity
    )


def set_cart_quantity(*, cart: Cart, product, quantity: int) -> int:
    """Set a line's quantity (0 removes it), refusing more than the stock."""
    # The checkout refuses more per line (against hoarding): say so here first.
    limit = min(MAX_QUANTITY, settings.PASAR_MAX_UNITS_PER_LINE)
    if quantity > limit:
        raise CartError(_("Paling banyak %(limit)s per produk.") % {"limit": limit})
    if quantity > product.stock:
        if product.stock <= 0:
            raise CartError(_("%(product)s sedang habis.") % {"product": product.name})
        raise CartError(
            _("Stok %(product)s tinggal %(stock)s. Kurangi jumlahnya.")
            % {"product": product.name, "stock": product.stock}
        )
    cart.set(product.pk, quantity)
    return quantity
