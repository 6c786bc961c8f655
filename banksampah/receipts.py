"""Receipts to the nasabah: a weighing or a withdrawal, by WhatsApp, opt-in.

Queued in the outbox (notifications/) inside the deposit's or withdrawal's
transaction, only for a member who agreed (`Member.whatsapp_receipts`) and
has a number. Without the Cloud API the POSDAYA's petugas sends it by hand
from the dashboard (`/dasbor/<posdaya>/pesan/`).
"""

from functools import wraps

from django.conf import settings
from django.db.models import Sum
from django.utils import formats, translation
from django.utils.translation import gettext as _

from notifications.services import queue_message
from pasar.money import format_kg, format_rupiah

from .models import DepositLine


def _wants_receipts(member) -> bool:
    return bool(member.whatsapp_receipts and member.whatsapp)


def in_indonesian(send):
    """Write the receipt in Indonesian whatever the petugas's page language."""

    @wraps(send)
    def wrapper(**kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return send(**kwargs)

    return wrapper


@in_indonesian
def send_weighing_receipt(*, deposit, member) -> None:
    """`member` is the locked row, its balance already credited."""
    if not _wants_receipts(member):
        return
    weight = DepositLine.objects.filter(deposit=deposit).aggregate(w=Sum("weight"))["w"]
    values = {
        "name": member.name,
        "posdaya": member.posdaya.name,
        "date": formats.date_format(deposit.weighed_on, "j M Y"),
        "weight": format_kg(weight or 0),
        "amount": format_rupiah(deposit.total_amount),
        "balance": format_rupiah(member.balance),
    }
    queue_message(
        kind="weighing_receipt",
        channel="whatsapp",
        to=member.whatsapp,
        body=_(
            "Struk setoran %(posdaya)s, %(date)s: %(weight)s, %(amount)s. "
            "Saldo %(name)s kini %(balance)s. Terima kasih!"
        )
        % values,
        params=[values[k] for k in ("name", "posdaya", "date", "weight", "amount")]
        + [values["balance"]],
        name=member.name,
        posdaya=member.posdaya,
    )


@in_indonesian
def send_withdrawal_receipt(*, withdrawal, member) -> None:
    """`member` is the locked row, its balance already debited."""
    if not _wants_receipts(member):
        return
    values = {
        "name": member.name,
        "posdaya": member.posdaya.name,
        "date": formats.date_format(withdrawal.withdrawn_on, "j M Y"),
        "amount": format_rupiah(withdrawal.amount),
        "balance": format_rupiah(member.balance),
    }
    queue_message(
        kind="withdrawal_receipt",
        channel="whatsapp",
        to=member.whatsapp,
        body=_(
            "Struk penarikan %(posdaya)s, %(date)s: %(amount)s. "
            "Saldo %(name)s kini %(balance)s."
        )
        % values,
        params=[values[k] for k in ("name", "posdaya", "date", "amount", "balance")],
        name=member.name,
        posdaya=member.posdaya,
    )
