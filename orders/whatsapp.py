"""Texts filled into WhatsApp click-to-chat links."""

from django.utils.translation import gettext as _

from pasar.money import format_rupiah


def suborder_message_for_posdaya(order, suborder) -> str:
    """What the shopper sends a POSDAYA about their part of an order."""
    lines = "\n".join(
        f"- {line.display_name} × {line.quantity}" for line in suborder.lines.all()
    )
    return _(
        "Halo %(posdaya)s, saya %(name)s. Pesanan %(code)s:\n%(lines)s\n"
        "Total: %(total)s"
    ) % {
        "posdaya": suborder.posdaya.name,
        "name": order.name,
        "code": order.code,
        "lines": lines,
        "total": format_rupiah(suborder.total),
    }


def suborder_message_for_shopper(order, suborder) -> str:
    """What a POSDAYA sends the shopper about their part of an order."""
    return _(
        "Halo %(name)s, ini %(posdaya)s tentang pesanan %(code)s "
        "(%(total)s): status %(status)s."
    ) % {
        "name": order.name,
        "posdaya": suborder.posdaya.name,
        "code": order.code,
        "total": format_rupiah(suborder.total),
        "status": suborder.get_status_display(),
    }
