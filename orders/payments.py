"""Payment methods, as small strategy classes in a registry.

Adding a method (a payment gateway later) means writing one class and
registering it; checkout, placement and the order page ask the registry.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import DeliveryMethod, IndukQris


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
    # The proof may be left out: a QRIS shopper only says "I have paid".
    proof_optional: bool = False
    # A bank transfer gets a kode unik when PASAR_TRANSFER_UNIQUE_CODE is on.
    unique_code: bool = False
    # The order page, invoice and email show a QRIS with the amount due.
    shows_qris: bool = False
    delivery_methods: tuple[str, ...] = tuple(DeliveryMethod.values)
    # Only a signed-in nasabah whose account is linked to her savings book.
    needs_savings_book: bool = False

    def supports(self, delivery_method: str) -> bool:
        return delivery_method in self.delivery_methods

    def available(self) -> bool:
        """Tell whether checkout may offer this method now."""
        return True


@dataclass(frozen=True)
class QrisMethod(PaymentMethod):
    """Offered only once the koordinator has entered the induk's QRIS."""

    def available(self) -> bool:
        return IndukQris.objects.exists()


BANK_TRANSFER = PaymentMethod(
    code="transfer",
    label=_("Transfer bank ke rekening POSDAYA Induk"),
    description=_(
        "Transfer jumlah persis ke rekening induk, lalu unggah bukti transfer."
    ),
    unique_code=True,
)

QRIS = QrisMethod(
    code="qris",
    label=_("QRIS (e-wallet atau m-banking)"),
    description=_(
        "Pindai kode QRIS di halaman pesanan; jumlahnya sudah terisi persis."
    ),
    proof_optional=True,
    shows_qris=True,
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
    method.code: method for method in (BANK_TRANSFER, QRIS, CASH_ON_HANDOVER, SAVINGS)
}


def get_payment_method(code: str) -> PaymentMethod:
    """Return the registered method for `code` (KeyError when unknown)."""
    return REGISTRY[code]


def payment_choices() -> list[tuple[str, str]]:
    """Return (code, label) pairs for a form."""
    return [(method.code, method.label) for method in REGISTRY.values()]


def offered_payment_choices() -> list[tuple[str, str]]:
    """Return (code, label) pairs of the methods checkout offers now."""
    return [(m.code, m.label) for m in REGISTRY.values() if m.available()]
