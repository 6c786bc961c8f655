"""The induk's static QRIS: entered once by the koordinator, audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog

from ..models import IndukQris
from ..qris import QrisError, parse_qris


def save_induk_qris(*, payload: str, by) -> IndukQris:
    """Validate and store the induk's static QRIS; it counts from now on.

    Raises QrisError (on the `payload` field) naming what is wrong; nothing
    is saved then. A dynamic code is refused: it is made for one payment.
    """
    try:
        code = parse_qris(payload)
    except QrisError as error:
        raise QrisError(error.message, field="payload") from None
    if not code.is_static:
        raise QrisError(
            _(
                "Ini QRIS dinamis (untuk satu pembayaran). Masukkan QRIS statis "
                "dari stiker induk."
            ),
            field="payload",
        )
    with transaction.atomic():
        previous = IndukQris.objects.order_by("-created_at", "-id").first()
        entry = IndukQris.objects.create(
            payload=code.payload,
            merchant_name=code.merchant_name,
            merchant_city=code.merchant_city,
            by=by if by is not None and by.is_authenticated else None,
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.OTHER,
            target=entry,
            before=(
                None
                if previous is None
                else {"merchant": previous.merchant_name, "payload": previous.payload}
            ),
            after={"merchant": entry.merchant_name, "payload": entry.payload},
            note=_("QRIS induk diganti."),
        )
    return entry
