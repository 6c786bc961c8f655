"""Emails about orders; called through `transaction.on_commit` by the services."""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from posdaya.models import Membership

from .models import Order, SubOrder

logger = logging.getLogger(__name__)
_muted = threading.local()


@contextmanager
def muted():
    """Send no order mail inside this block (demo data is not news to anyone)."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def _is_muted() -> bool:
    return getattr(_muted, "on", False)


def notify_after_commit(send, object_id: int) -> None:
    """Schedule `send(object_id)` for when the current transaction commits."""
    if not _is_muted():
        transaction.on_commit(lambda: send(object_id))


def _order_link(order: Order, name: str = "orders:order_detail") -> str:
    path = reverse(name, kwargs={"code": order.code})
    domain = Site.objects.get_current().domain
    return f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{domain}{path}?t={order.secret}"


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    body = render_to_string(template, {"induk": settings.PASAR_INDUK, **context})
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # a mail outage must not turn a placed order into a 500
        logger.exception("Could not send %s to %s", template, recipients)


def send_order_placed(order_id: int) -> None:
    """Tell the shopper (if an email was given) and each POSDAYA's staff."""
    order = Order.objects.get(pk=order_id)
    suborders = list(
        order.suborders.select_related("posdaya").prefetch_related("lines")
    )
    context = {"order": order, "suborders": suborders, "link": _order_link(order)}
    if order.payment_method == "qris":  # the QR itself, as a picture to open
        context["qris_image"] = _order_link(order, "orders:order_qris_png")
    _send(
        _("Pesanan %(code)s diterima") % {"code": order.code},
        "orders/email/order_placed.txt",
        context,
        [order.email],
    )
    staff = Membership.objects.filter(
        posdaya__in=[s.posdaya_id for s in suborders],
        role=Membership.Role.PENGELOLA,
    ).values_list("posdaya_id", "user__email")
    emails_of: dict[int, list[str]] = {}
    for posdaya_id, email in staff:
        emails_of.setdefault(posdaya_id, []).append(email)
    for suborder in suborders:
        _send(
            _("Pesanan baru %(code)s untuk %(posdaya)s")
            % {"code": order.code, "posdaya": suborder.posdaya.name},
            "orders/email/suborder_new.txt",
            {"order": order, "suborder": suborder},
            emails_of.get(suborder.posdaya_id, []),
        )


def send_payment_decision(order_id: int) -> None:
    """Tell the shopper their proof of transfer was approved or rejected."""
    order = Order.objects.get(pk=order_id)
    proof = order.proofs.order_by("-created_at", "-id").first()
    _send(
        _("Pembayaran pesanan %(code)s") % {"code": order.code},
        "orders/email/payment_decision.txt",
        {"order": order, "proof": proof, "link": _order_link(order)},
        [order.email],
    )


def send_suborder_update(suborder_id: int) -> None:
    """Tell the shopper a POSDAYA shipped their parcel or has it ready."""
    suborder = SubOrder.objects.select_related("order", "posdaya").get(pk=suborder_id)
    order = suborder.order
    _send(
        _("Pesanan %(code)s: %(status)s")
        % {"code": order.code, "status": suborder.get_status_display()},
        "orders/email/suborder_update.txt",
        {"order": order, "suborder": suborder, "link": _order_link(order)},
        [order.email],
    )
