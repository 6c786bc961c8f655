"""The shopper's order page tells each POSDAYA part's story, step by step."""

import re
from html import unescape

from orders.services import advance_suborder, approve_payment, cancel_suborder
from orders.views.public import _order_url

from .conftest import make_order
from .test_services import proof_for


def story(html: str) -> dict[str, list[str]]:
    """{suborder pk: [step text without its time]} from the order page."""
    found = {}
    for pk, body in re.findall(
        r'<ol class="[^"]*suborder-story" data-suborder="(\d+)">(.*?)</ol>', html, re.S
    ):
        steps = re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)
        found[pk] = [
            " ".join(unescape(re.sub(r"<[^>]+>", "", s)).split()).split(" · ", 1)[1]
            for s in steps
        ]
    return found


def test_each_part_shows_every_step(
    client,
    product,
    other_product,
    zone,
    koordinator,
    pengelola,
    other_pengelola,
    django_assert_num_queries,
):
    order = make_order({product: 1, other_product: 1}, delivery="antar", zone=zone)
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
    advance_suborder(suborder=ours, to_status="selesai", by=pengelola)
    cancel_suborder(suborder=theirs, by=other_pengelola, reason="Stok rusak kena hujan")
    url = _order_url(order)
    client.get(url)
    # order by code and secret, order with zone, sub-orders, lines, their
    # events, order events, proofs (a guest has no session)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert story(response.content.decode()) == {
        str(ours.pk): [
            "Baru",
            "Diproses",
            "Dikirim — kurir JNE, resi JNE123",
            "Selesai",
        ],
        str(theirs.pk): ["Baru", "Dibatalkan — Stok rusak kena hujan"],
    }


def test_a_pickup_part_says_where(client, order, koordinator, pengelola, posdaya):
    approve_payment(proof_id=proof_for(order).pk, by=koordinator)
    ours = order.suborders.get(posdaya=posdaya)
    advance_suborder(suborder=ours, to_status="diproses", by=pengelola)
    advance_suborder(suborder=ours, to_status="siap_diambil", by=pengelola)
    html = client.get(_order_url(order)).content.decode()
    assert story(html)[str(ours.pk)] == [
        "Baru",
        "Diproses",
        f"Siap diambil — di {posdaya.address}",
    ]
