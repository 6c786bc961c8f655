"""The shopping cart, kept in the session: product ids and quantities only.

A line is keyed by the product ("12") or, for a product with variants, by the
product and the chosen variant ("12:40"); `quantities()` gives the first as
the product id and the second as the pair (product id, variant id), the keys
`summarize_cart` and `place_order` take.

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


def _well_formed(key) -> bool:
    if not isinstance(key, str):
        return False
    parts = key.split(":")
    return len(parts) <= 2 and all(part.isdigit() for part in parts)


def session_key(product_id: int, variant_id: int | None = None) -> str:
    return str(product_id) if variant_id is None else f"{product_id}:{variant_id}"


def line_key(key: str) -> int | tuple[int, int]:
    """The session's "12" or "12:40" as 12 or (12, 40)."""
    product, _sep, variant = key.partition(":")
    return (int(product), int(variant)) if variant else int(product)


def split_key(key) -> tuple[int, int | None]:
    """A cart key (12 or (12, 40)) as (product id, variant id or None)."""
    return (key[0], key[1]) if isinstance(key, tuple) else (key, None)


def _clean(raw) -> dict[str, int]:
    """Keep only well-formed entries: a tampered session cannot break a page."""
    if not isinstance(raw, dict):
        return {}
    cleaned = {}
    for key, value in raw.items():
        if _well_formed(key) and isinstance(value, int) and 0 < value <= MAX_QUANTITY:
            cleaned[key] = value
    return cleaned


class Cart:
    """Quantities per product id in a session."""

    def __init__(self, session):
        self.session = session
        self._data = _clean(session.get(SESSION_KEY))

    def quantities(self) -> dict[int | tuple[int, int], int]:
        return {line_key(key): value for key, value in self._data.items()}

    def quantity_of(self, product_id: int, variant_id: int | None = None) -> int:
        return self._data.get(session_key(product_id, variant_id), 0)

    def count(self) -> int:
        return sum(self._data.values())

    def __len__(self):
        return len(self._data)

    def set(
        self, product_id: int, quantity: int, variant_id: int | None = None
    ) -> None:
        key = session_key(product_id, variant_id)
        if quantity <= 0:
            self._data.pop(key, None)
        else:
            if key not in self._data and len(self._data) >= MAX_LINES:
                raise CartError(_("Keranjang sudah penuh."))
            self._data[key] = quantity
        self._save()

    def remove(self, product_id: int, variant_id: int | None = None) -> None:
        self._data.pop(session_key(product_id, variant_id), None)
        self._save()

    def remove_many(self, keys) -> None:
        """Remove lines by their cart keys (12 or (12, 40))."""
        for key in keys:
            self._data.pop(session_key(*split_key(key)), None)
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


def resolve_variant(*, product, variant_id: int | None):
    """Return the chosen variant of `product` (None for a product without).

    Refuses a variant of another product, and a missing choice when the
    product has variants.
    """
    variants = list(product.variants.all())
    if not variants:
        if variant_id is not None:
            raise CartError(_("Produk ini tidak punya pilihan varian."))
        return None
    if variant_id is None:
        raise CartError(
            _("Pilih %(option)s %(product)s terlebih dahulu.")
            % {"option": variant_label(product), "product": product.name}
        )
    for variant in variants:
        if variant.pk == variant_id:
            variant.product = product
            return variant
    raise CartError(_("Pilihan varian itu tidak ada untuk produk ini."))


def variant_label(product) -> str:
    """ "Motif / Warna": what the shopper chooses (lower-cased "varian" if unnamed)."""
    names = [n for n in (product.option1_name, product.option2_name) if n]
    return " / ".join(names).lower() if names else _("varian")


def add_to_cart(*, cart: Cart, product, quantity: int, variant=None) -> int:
    """Add units of a published product (or its variant), refusing more than
    its stock.

    Return the new quantity in the cart.
    """
    if quantity < 1:
        raise CartError(_("Jumlah minimal 1."))
    variant_id = variant.pk if variant is not None else None
    return set_cart_quantity(
        cart=cart,
        product=product,
        variant=variant,
        quantity=cart.quantity_of(product.pk, variant_id) + quantity,
    )


def too_many_units_message() -> str:
    return _(
        "Paling banyak %(limit)s barang per pesanan. Untuk pesanan lebih besar, "
        "hubungi POSDAYA penjualnya lewat WhatsApp."
    ) % {"limit": settings.PASAR_MAX_UNITS_PER_ORDER}


def set_cart_quantity(*, cart: Cart, product, quantity: int, variant=None) -> int:
    """Set a line's quantity (0 removes it), refusing more than the stock."""
    # The checkout refuses more per line (against hoarding): say so here first.
    limit = min(MAX_QUANTITY, settings.PASAR_MAX_UNITS_PER_LINE)
    if quantity > limit:
        raise CartError(_("Paling banyak %(limit)s per produk.") % {"limit": limit})
    others = cart.count() - cart.quantity_of(
        product.pk, variant.pk if variant is not None else None
    )
    if others + quantity > settings.PASAR_MAX_UNITS_PER_ORDER:
        raise CartError(too_many_units_message())
    # Ready stock, plus what a made-to-order item may still take.
    stock = (product if variant is None else variant).orderable_units
    name = product.name if variant is None else f"{product.name} ({variant.name})"
    if quantity > stock:
        if stock <= 0:
            raise CartError(_("%(product)s sedang habis.") % {"product": name})
        raise CartError(
            _("Stok %(product)s tinggal %(stock)s. Kurangi jumlahnya.")
            % {"product": name, "stock": stock}
        )
    cart.set(product.pk, quantity, variant.pk if variant is not None else None)
    return quantity
