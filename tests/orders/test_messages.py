"""Messages about orders: queued in the outbox with the event, exact links,
delivered by the worker after the commit (never inside the request)."""

import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from notifications import tasks
from notifications.models import Message
from orders.models import Order
from orders.services import advance_suborder, approve_payment

from .conftest import PHONE, make_order
from .test_checkout import confirm, fill, form_data
from .test_services import proof_for

S = Message.Status
SITE = "https://pasarbahagia.id"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PASAR_SITE_URL = SITE


def outbox():
    return list(
        Message.objects.order_by("id").values_list(
            "kind", "channel", "recipient", "status", "link"
        )
    )


def test_placing_an_order_queues_each_message_with_its_exact_link(
    product, other_product, pengelola, other_pengelola, posdaya, other_posdaya
):
    order = make_order({product: 2, other_product: 1})
    ours, theirs = order.suborders.order_by("posdaya__name")
    shopper_link = f"{SITE}/pesanan/{order.code}/?t={order.secret}"
    assert outbox() == [
        ("order_placed", "email", "budi@contoh.id", S.PENDING, shopper_link),
        (
            "suborder_new",
            "email",
            "pengelola@contoh.id",
            S.PENDING,
            f"{SITE}/dasbor/bahagia/pesanan/{ours.pk}/",
        ),
        (
            "suborder_new",
            "whatsapp",
            posdaya.whatsapp,
            S.MANUAL,
            f"{SITE}/dasbor/bahagia/pesanan/{ours.pk}/",
        ),
        (
            "suborder_new",
            "email",
            "pengelola-lain@contoh.id",
            S.PENDING,
            f"{SITE}/dasbor/{other_posdaya.slug}/pesanan/{theirs.pk}/",
        ),
        (
            "suborder_new",
            "whatsapp",
            other_posdaya.whatsapp,
            S.MANUAL,
            f"{SITE}/dasbor/{other_posdaya.slug}/pesanan/{theirs.pk}/",
        ),
    ]
    shopper = Message.objects.get(kind="order_placed")
    assert f"Lihat pesanan: {shopper_link}" in shopper.body.splitlines()
    staff = Message.objects.get(kind="suborder_new", recipient="pengelola@contoh.id")
    assert f"Buka dasbor untuk memprosesnya: {SITE}/dasbor/bahagia/pesanan/" in (
        staff.body
    )


def test_a_rolled_back_order_leaves_no_message(product):
    from orders.services import OutOfStockError

    with pytest.raises(OutOfStockError):
        make_order({product: 6})  # 5 in stock
    assert outbox() == []


def test_payment_shipping_pickup_and_completion_tell_the_shopper(
    product, other_product, zone, koordinator, pengelola, other_pengelola
):
    order = make_order({product: 2, other_product: 1}, delivery="antar", zone=zone)
    Message.objects.all().delete()
    approve_payment(proof_id=proof_for(order).pk, by=koordinator)
    ours, theirs = order.suborders.order_by("posdaya__name")
    advance_suborder(suborder=ours, to_status="diproses", by=pengelola)
    advance_suborder(
        suborder=ours,
        to_status="dikirim",
        by=pengelola,
        courier="JNE",
        tracking_number="JNE123",
    )
    advance_suborder(suborder=theirs, to_status="diproses", by=other_pengelola)
    advance_suborder(suborder=theirs, to_status="dikirim", by=other_pengelola)
    advance_suborder(suborder=ours, to_status="selesai", by=pengelola)
    assert Message.objects.filter(kind="order_completed").count() == 0
    advance_suborder(suborder=theirs, to_status="selesai", by=other_pengelola)
    link = f"{SITE}/pesanan/{order.code}/?t={order.secret}"
    rows = list(
        Message.objects.order_by("id").values_list("kind", "channel", "recipient")
    )
    assert rows == [
        ("payment_decision", "email", "budi@contoh.id"),
        ("payment_approved", "whatsapp", PHONE),
        ("suborder_update", "email", "budi@contoh.id"),
        ("suborder_shipped", "whatsapp", PHONE),
        ("suborder_update", "email", "budi@contoh.id"),
        ("suborder_shipped", "whatsapp", PHONE),
        ("order_completed", "email", "budi@contoh.id"),
        ("order_completed", "whatsapp", PHONE),
    ]
    assert set(Message.objects.values_list("link", flat=True)) == {link}
    shipped = Message.objects.filter(kind="suborder_shipped").order_by("id").first()
    assert shipped.body == (
        f"Halo Budi, pesanan {order.code} dari POSDAYA Bahagia sudah dikirim "
        f"(JNE, resi JNE123): {link}"
    )
    assert shipped.params == [
        "Budi",
        order.code,
        "POSDAYA Bahagia",
        "JNE",
        "JNE123",
        link,
    ]
    # Sent by hand by the POSDAYA that shipped; order-wide news by the induk.
    assert shipped.posdaya == ours.posdaya
    completed = Message.objects.get(kind="order_completed", channel="whatsapp")
    assert completed.posdaya is None


def test_ready_for_pickup_and_a_rejected_proof_tell_the_shopper(
    order, koordinator, pengelola
):
    from orders.services import reject_payment

    reject_payment(proof_id=proof_for(order).pk, by=koordinator, reason="Buram")
    rejected = Message.objects.get(kind="payment_rejected")
    link = f"{SITE}/pesanan/{order.code}/?t={order.secret}"
    assert rejected.body == (
        f"Halo Budi, bukti transfer pesanan {order.code} belum bisa kami terima: "
        f"Buram. Silakan unggah lagi: {link}"
    )
    approve_payment(proof_id=proof_for(order).pk, by=koordinator)
    ours = order.suborders.get(posdaya=pengelola.memberships.get().posdaya)
    advance_suborder(suborder=ours, to_status="diproses", by=pengelola)
    advance_suborder(suborder=ours, to_status="siap_diambil", by=pengelola)
    ready = Message.objects.get(kind="suborder_ready")
    assert (ready.recipient, ready.body) == (
        PHONE,
        f"Halo Budi, pesanan {order.code} siap diambil di POSDAYA Bahagia: {link}",
    )


class BlockingBackend(EmailBackend):
    """A mail server that hangs until `release` is set."""

    release = threading.Event()

    def send_messages(self, messages):
        assert self.release.wait(10), "the mail server was never released"
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_checkout_does_not_wait_for_the_mail_server(
    client, settings, monkeypatch, product, pengelola
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BlockingBackend"}}
    # The real queue: deliveries become task rows for `db_worker`.
    monkeypatch.setattr(
        tasks, "deliver_message", tasks.deliver_message.using(backend="database")
    )
    BlockingBackend.release.clear()
    fill(client, product)
    data = form_data(client)
    started = time.monotonic()
    response = confirm(client, data)
    assert time.monotonic() - started < 5
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(f"/pesanan/{order.code}/")
    assert mail.outbox == []
    assert Message.objects.filter(channel="email", status=S.PENDING).count() == 2
    BlockingBackend.release.set()
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database")
    assert Message.objects.filter(channel="email", status=S.SENT).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "budi@contoh.id",
        "pengelola@contoh.id",
    ]


def test_messages_are_in_indonesian_whatever_the_page_language(product, settings):
    from django.utils import translation

    with translation.override("en"):
        order = make_order({product: 1})
    placed = Message.objects.get(kind="order_placed")
    assert placed.subject == f"Pesanan {order.code} diterima"
    assert "terima kasih, pesanan" in placed.body
