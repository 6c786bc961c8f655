"""The issue's "done when": a guest pays with QRIS, the koordinator approves,
each POSDAYA is told by a queued message (seen in the outbox), completes its
part, and the shopper's page shows every step of both parts."""

import pytest

from notifications.models import Message
from orders.qris import parse_qris
from orders.services import advance_suborder, approve_payment, submit_payment_proof
from orders.services.induk_qris import save_induk_qris

from ..conftest import client_for
from .conftest import make_order
from .qris_data import INDUK
from .test_order_story import story
from .test_qris_payment import order_url, read_qr

pytestmark = pytest.mark.django_db


def test_a_qris_order_from_payment_to_both_parts_done(
    client, koordinator, pengelola, other_pengelola, product, other_product
):
    save_induk_qris(payload=INDUK, by=koordinator)
    order = make_order({product: 2, other_product: 1}, payment="qris")
    assert parse_qris(read_qr(client, order)).fields["54"] == "65000"
    proof = submit_payment_proof(order=order, file=None, kind="")
    approve_payment(proof_id=proof.pk, by=koordinator)
    ours, theirs = order.suborders.order_by("posdaya__name")
    # Each POSDAYA was told, in the outbox the koordinator reads.
    outbox = client_for(koordinator).get("/dasbor/induk/pesan/?status=pending")
    told = {
        (m.kind, m.recipient, m.link)
        for m in outbox.context["messages_page"]
        if m.kind == "suborder_new"
    }
    assert told == {
        (
            "suborder_new",
            "pengelola@contoh.id",
            f"http://testserver/dasbor/bahagia/pesanan/{ours.pk}/",
        ),
        (
            "suborder_new",
            "pengelola-lain@contoh.id",
            f"http://testserver/dasbor/{theirs.posdaya.slug}/pesanan/{theirs.pk}/",
        ),
    }
    for suborder, by in ((ours, pengelola), (theirs, other_pengelola)):
        advance_suborder(suborder=suborder, to_status="diproses", by=by)
        advance_suborder(suborder=suborder, to_status="siap_diambil", by=by)
        advance_suborder(suborder=suborder, to_status="selesai", by=by)
    steps = story(client.get(order_url(order)).content.decode())
    for suborder in (ours, theirs):
        assert steps[str(suborder.pk)] == [
            "Baru",
            "Diproses",
            f"Siap diambil — di {suborder.posdaya.address}",
            "Selesai",
        ]
    assert Message.objects.filter(kind="order_completed").count() == 2  # email, WA
