"""Payment methods, as small strategy classes in a registry.

Adding a method (a payment gateway later) means writing one class and
registering it; checkout, placement and the order page ask the registry.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import DeliveryMethod


@dataclass(frozen=True)
class PaymentMethod:
    """How an order is paid; the base class documents every knob."""

    code: str = ""
    label: str = ""
    description: str = ""
    # Paid before the POSDAYA starts work (transfer), or on handover (cash).
    prepaid: bool = True
    # Unpaid orders with this method expire after PASAR_ORDER_EXPIRY_HOURS.
    expires: bool = True
    # The shopper uploads a proof that the koordinator verifies.
    needs_proof: bool = True
    delivery_methods: tuple[str, ...] = tuple(DeliveryMethod.values)
    # Only a signed-in nasabah whose account is linked to her savings book.
    needs_savings_book: bool = False

    def supports(self, delivery_method: str) -> bool:
        return delivery_method in self.delivery_methods


BANK_TRANSFER = PaymentMethod(
    code="transfer",
    label=_("Transfer bank ke rekening POSDAYA Induk"),
    description=_(
        "Transfer jumlah persis ke rekening induk, lalu unggah bukti transfer."
    ),
)

CASH_ON_HANDOVER = PaymentMethod(
    code="bayar_di_tempat",
    label=_("Bayar di tempat (tunai)"),
    description=_("Bayar tunai kepada POSDAYA saat barang diambil atau diantar."),
    prepaid=False,
    expires=False,
    needs_proof=False,
    # A courier does not collect cash for us.
    delivery_methods=(DeliveryMethod.PICKUP, DeliveryMethod.LOCAL),
)

# Paid at checkout from the nasabah's waste savings (orders.services.
# savings_payment); part of an order may be paid so, the rest by transfer.
SAVINGS = PaymentMethod(
    code="tabungan",
    label=_("Bayar pakai tabungan sampah"),
    description=_("Total pesanan dipotong langsung dari saldo buku tabungan Anda."),
    expires=False,
    needs_proof=False,
    needs_savings_book=True,
)

REGISTRY: dict[str, PaymentMethod] = {
    method.code: method for method in (BANK_TRANSFER, CASH_ON_HANDOVER, SAVINGS)
}


def get_payment_method(code: str) -> PaymentMethod:
    """Return the registered method for `code` (KeyError when unknown)."""
    return REGISTRY[code]


def payment_choices(*, savings_book: bool = True) -> list[tuple[str, str]]:
    """Return (code, label) pairs for a form (without a book: none that needs one)."""
    return [
        (method.code, method.label)
        for method in REGISTRY.values()
        if savings_book or not method.needs_savings_book
    ]
