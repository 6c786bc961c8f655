"""Messages about orders, written to the outbox in the event's own transaction.

The order services call `notify_after_commit(build, id)` inside their
transaction: `build` renders the messages (email and WhatsApp) and queues
them in the outbox (notifications/services.py), whose worker delivers them
after the commit. A rolled-back event leaves no message; a slow mail server
or WhatsApp API never holds up a request.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from notifications.services import is_muted, muted, queue_message
from pasar.money import format_rupiah
from pasar.siteurl import absolute_url
from posdaya.permissions import Area, policy

from .models import Order, SubOrder

__all__ = ["muted", "notify_after_commit"]

OS = Order.Status
SS = SubOrder.Status


def notify_after_commit(build, object_id: int) -> None:
    """Queue the messages `build(object_id)` writes; they go out after the commit.

    Written in Indonesian whatever language the page was in (the staff's and
    the shoppers' WhatsApp is Indonesian; the templates are approved in it).
    """
    if not is_muted():
        with translation.override(settings.LANGUAGE_CODE):
            build(object_id)


def order_link(order: Order, name: str = "orders:order_detail") -> str:
    """The shopper's way back to the order: the page with its secret."""
    path = reverse(name, kwargs={"code": order.code})
    return absolute_url(f"{path}?t={order.secret}")


def suborder_dashboard_link(suborder: SubOrder) -> str:
    """The POSDAYA staff's page for one sub-order."""
    return absolute_url(
        reverse(
            "orders_dashboard:suborder_detail",
            kwargs={"posdaya": suborder.posdaya.slug, "pk": suborder.pk},
        )
    )


def _email(kind: str, to: str, subject: str, template: str, context: dict, **extra):
    body = render_to_string(template, {"induk": settings.PASAR_INDUK, **context})
    return queue_message(
        kind=kind, channel="email", to=to, subject=subject, body=body, **extra
    )


def _whatsapp(kind: str, to: str, text: str, params: list, **extra):
    return queue_message(
        kind=kind, channel="whatsapp", to=to, body=text, params=params, **extra
    )


def send_order_placed(order_id: int) -> None:
    """Tell the shopper (if an email was given) and each POSDAYA's pengelola."""
    order = Order.objects.get(pk=order_id)
    suborders = list(
        order.suborders.select_related("posdaya")
        .prefetch_related("lines")
        .order_by("pk")
    )
    link = order_link(order)
    context = {"order": order, "suborders": suborders, "link": link}
    if order.payment_method == "qris":  # the QR itself, as a picture to open
        context["qris_image"] = order_link(order, "orders:order_qris_png")
    _email(
        "order_placed",
        order.email,
        _("Pesanan %(code)s diterima") % {"code": order.code},
        "orders/email/order_placed.txt",
        context,
        name=order.name,
        link=link,
    )
    staff = policy.memberships_in(Area.ORDERS, [s.posdaya_id for s in suborders])
    emails_of: dict[int, set[str]] = {}
    for posdaya_id, email in staff.values_list("posdaya_id", "user__email"):
        if email:
            emails_of.setdefault(posdaya_id, set()).add(email)
    for suborder in suborders:
        tell_posdaya_of_new_suborder(
            order, suborder, sorted(emails_of.get(suborder.posdaya_id, ()))
        )


def tell_posdaya_of_new_suborder(order, suborder, emails: list[str]) -> None:
    """Email each pengelola and WhatsApp the POSDAYA's number; both link to the part."""
    link = suborder_dashboard_link(suborder)
    subject = _("Pesanan baru %(code)s untuk %(posdaya)s") % {
        "code": order.code,
        "posdaya": suborder.posdaya.name,
    }
    context = {"order": order, "suborder": suborder, "link": link}
    for email in emails:
        _email(
            "suborder_new",
            email,
            subject,
            "orders/email/suborder_new.txt",
            context,
            link=link,
        )
    total = format_rupiah(suborder.total)
    _whatsapp(
        "suborder_new",
        suborder.posdaya.whatsapp,
        _(
            "Pesanan baru %(code)s untuk %(posdaya)s (%(total)s). "
            "Buka dasbor untuk memprosesnya: %(link)s"
        )
        % {
            "code": order.code,
            "posdaya": suborder.posdaya.name,
            "total": total,
            "link": link,
        },
        [order.code, suborder.posdaya.name, total, link],
        name=suborder.posdaya.name,
        link=link,
    )


def send_payment_decision(order_id: int) -> None:
    """Tell the shopper their proof of transfer was approved or rejected."""
    order = Order.objects.get(pk=order_id)
    proof = order.proofs.order_by("-created_at", "-id").first()
    link = order_link(order)
    _email(
        "payment_decision",
        order.email,
        _("Pembayaran pesanan %(code)s") % {"code": order.code},
        "orders/email/payment_decision.txt",
        {"order": order, "proof": proof, "link": link},
        name=order.name,
        link=link,
    )
    if order.status == OS.PAID:
        kind, params = "payment_approved", [order.name, order.code, link]
        text = _(
            "Halo %(name)s, pembayaran pesanan %(code)s sudah kami terima. "
            "POSDAYA segera memprosesnya: %(link)s"
        ) % {"name": order.name, "code": order.code, "link": link}
    else:
        reason = proof.reason if proof else ""
        kind, params = "payment_rejected", [order.name, order.code, reason, link]
        text = _(
            "Halo %(name)s, bukti transfer pesanan %(code)s belum bisa kami "
            "terima: %(reason)s. Silakan unggah lagi: %(link)s"
        ) % {"name": order.name, "code": order.code, "reason": reason, "link": link}
    _whatsapp(kind, order.phone, text, params, name=order.name, link=link)


def send_suborder_update(suborder_id: int) -> None:
    """Tell the shopper a POSDAYA shipped their parcel, has it ready, or that
    the whole order is complete (when this part was the last)."""
    suborder = SubOrder.objects.select_related("order", "posdaya").get(pk=suborder_id)
    order = suborder.order
    if suborder.status == SS.COMPLETED:
        if order.status == OS.COMPLETED:
            send_order_completed(order)
        return
    link = order_link(order)
    _email(
        "suborder_update",
        order.email,
        _("Pesanan %(code)s: %(status)s")
        % {"code": order.code, "status": suborder.get_status_display()},
        "orders/email/suborder_update.txt",
        {"order": order, "suborder": suborder, "link": link},
        name=order.name,
        link=link,
    )
    values = {
        "name": order.name,
        "code": order.code,
        "posdaya": suborder.posdaya.name,
        "courier": suborder.courier,
        "tracking": suborder.tracking_number,
        "link": link,
    }
    if suborder.status == SS.SHIPPED:
        kind = "suborder_shipped"
        params = [order.name, order.code, suborder.posdaya.name]
        params += [suborder.courier or "-", suborder.tracking_number or "-", link]
        if suborder.tracking_number:
            text = _(
                "Halo %(name)s, pesanan %(code)s dari %(posdaya)s sudah dikirim "
                "(%(courier)s, resi %(tracking)s): %(link)s"
            )
        else:
            text = _(
                "Halo %(name)s, pesanan %(code)s dari %(posdaya)s sudah dikirim: "
                "%(link)s"
            )
        text %= values
    else:
        kind = "suborder_ready"
        params = [order.name, order.code, suborder.posdaya.name, link]
        text = (
            _("Halo %(name)s, pesanan %(code)s siap diambil di %(posdaya)s: %(link)s")
            % values
        )
    _whatsapp(
        kind,
        order.phone,
        text,
        params,
        name=order.name,
        link=link,
        posdaya=suborder.posdaya,
    )


def send_order_completed(order: Order) -> None:
    """Tell the shopper every part of the order is done; thank them."""
    link = order_link(order)
    values = {"name": order.name, "code": order.code, "link": link}
    _email(
        "order_completed",
        order.email,
        _("Pesanan %(code)s selesai") % {"code": order.code},
        "orders/email/order_completed.txt",
        {"order": order, "link": link},
        name=order.name,
        link=link,
    )
    _whatsapp(
        "order_completed",
        order.phone,
        _(
            "Halo %(name)s, pesanan %(code)s sudah selesai. Terima kasih telah "
            "berbelanja di Pasar Bahagia: %(link)s"
        )
        % values,
        [order.name, order.code, link],
        name=order.name,
        link=link,
    )


def resend_order_link(*, code: str, phone: str, channel: str) -> bool:
    """Send an order's link again to the contact given at checkout.

    Only when `code` names an order placed with the WhatsApp number `phone`
    (compared in constant time); returns whether anything was queued. The
    caller answers the same either way, so nobody learns which orders exist.
    """
    order = Order.objects.filter(code=code).only("pk", "phone", "email").first()
    matches = constant_time_compare(order.phone if order else "-", phone)
    if order is None or not matches:
        return False
    if channel == "email" and not order.email:
        return False
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        send_order_link(order.pk, channel)
    return True


def send_order_link(order_id: int, channel: str) -> None:
    """Send the shopper their order's link again (`/pesanan/cari/`)."""
    order = Order.objects.get(pk=order_id)
    link = order_link(order)
    values = {"name": order.name, "code": order.code, "link": link}
    text = _("Halo %(name)s, ini tautan pesanan %(code)s: %(link)s") % values
    if channel == "email":
        queue_message(
            kind="order_link",
            channel="email",
            to=order.email,
            subject=_("Tautan pesanan %(code)s") % {"code": order.code},
            body=text,
            name=order.name,
            link=link,
        )
    else:
        _whatsapp(
            "order_link",
            order.phone,
            text,
            [order.name, order.code, link],
            name=order.name,
            link=link,
        )
