"""Review services: who may review what, one per line, replies, hiding, figures."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.models import Product
from pasar.models import AuditLog
from reviews.models import Review
from reviews.services import (
    ReviewError,
    hide_review,
    post_review,
    refresh_product_rating,
    reply_to_review,
)

from ..orders.conftest import make_order
from .conftest import complete, line_of

pytestmark = pytest.mark.django_db


def review(order, product, rating=5, text="Bagus sekali", by=None):
    return post_review(
        order=order,
        line_id=line_of(order, product).pk,
        rating=rating,
        text=text,
        by=by,
    )


def figures(product):
    product.refresh_from_db()
    return product.rating_avg, product.rating_count


def test_a_completed_line_is_reviewed_once_and_counts(done_order, product, shopper):
    first = review(done_order, product, rating=4, text="  Rapi, kuat  ", by=shopper)
    assert (first.rating, first.text, first.author, first.author_name) == (
        4,
        "Rapi, kuat",
        shopper,
        "Budi",
    )
    assert first.posdaya == product.posdaya
    assert figures(product) == (Decimal("4.00"), 1)
    with pytest.raises(ReviewError, match="sudah Anda ulas"):
        review(done_order, product, rating=1)
    assert Review.objects.count() == 1
    assert figures(product) == (Decimal("4.00"), 1)


def test_average_is_of_visible_reviews_rounded_half_up(product, pengelola, koordinator):
    orders = []
    for _ in range(3):
        order = make_order({product: 1}, payment="bayar_di_tempat")
        complete(order.suborders.get(), pengelola)
        orders.append(order)
    reviews = [
        review(order, product, rating=rating)
        for order, rating in zip(orders, [5, 4, 4], strict=True)
    ]
    assert figures(product) == (Decimal("4.33"), 3)  # 13 / 3
    hide_review(review=reviews[1], reason="Kata kasar", by=koordinator)
    assert figures(product) == (Decimal("4.50"), 2)
    Product.objects.filter(pk=product.pk).update(rating_avg=0, rating_count=0)
    refresh_product_rating(product.pk)
    assert figures(product) == (Decimal("4.50"), 2)


def test_an_unfinished_part_cannot_be_reviewed(done_order, other_product):
    with pytest.raises(ReviewError, match="setelah pesanan POSDAYA-nya selesai"):
        review(done_order, other_product)
    assert Review.objects.count() == 0
    assert figures(other_product) == (Decimal("0.00"), 0)


def test_a_line_of_another_order_is_refused(done_order, product, pengelola):
    stranger = make_order({product: 1}, payment="bayar_di_tempat")
    complete(stranger.suborders.get(), pengelola)
    with pytest.raises(ReviewError, match="tidak ada di pesanan Anda"):
        post_review(
            order=done_order,
            line_id=line_of(stranger, product).pk,
            rating=5,
            text="Bukan punya saya",
        )
    assert Review.objects.count() == 0


@pytest.mark.parametrize(
    ("rating", "text", "message"),
    [
        (0, "Bagus", "Pilih nilai 1 sampai 5 bintang."),
        (6, "Bagus", "Pilih nilai 1 sampai 5 bintang."),
        (5, "   ", "Tuliskan ulasan Anda."),
        (5, "x" * 1001, "Paling banyak 1000 huruf."),
    ],
)
def test_bad_input_is_refused_with_a_message(
    done_order, product, rating, text, message
):
    with pytest.raises(ReviewError) as refused:
        review(done_order, product, rating=rating, text=text)
    assert refused.value.message == message
    assert Review.objects.count() == 0
    assert figures(product) == (Decimal("0.00"), 0)


def test_the_posdaya_replies_once(done_order, product, pengelola):
    posted = review(done_order, product)
    replied = reply_to_review(review=posted, text=" Terima kasih! ", by=pengelola)
    assert (replied.reply, replied.replied_by) == ("Terima kasih!", pengelola)
    with pytest.raises(ReviewError, match="sudah dibalas"):
        reply_to_review(review=posted, text="Lagi", by=pengelola)
    posted.refresh_from_db()
    assert posted.reply == "Terima kasih!"
    with pytest.raises(ReviewError, match="Tuliskan balasan"):
        reply_to_review(
            review=review_of_new_order(product, pengelola), text="", by=pengelola
        )


def review_of_new_order(product, pengelola):
    order = make_order({product: 1}, payment="bayar_di_tempat")
    complete(order.suborders.get(), pengelola)
    return review(order, product, rating=3)


def test_hiding_is_audited_with_the_reason(done_order, product, koordinator):
    posted = review(done_order, product, rating=1)
    hide_review(review=posted, reason=" Nomor telepon pribadi ", by=koordinator)
    posted.refresh_from_db()
    assert (posted.is_hidden, posted.hidden_reason, posted.hidden_by) == (
        True,
        "Nomor telepon pribadi",
        koordinator,
    )
    audit = AuditLog.objects.get()
    assert (audit.action, audit.actor, audit.target_type, audit.target_id) == (
        "other",
        koordinator,
        "reviews.review",
        str(posted.pk),
    )
    assert audit.note == "Ulasan disembunyikan: Nomor telepon pribadi"
    assert (audit.before, audit.after) == (
        {"review_hidden": False},
        {"review_hidden": True, "rating": 1},
    )
    assert figures(product) == (Decimal("0.00"), 0)
    with pytest.raises(ReviewError, match="sudah disembunyikan"):
        hide_review(review=posted, reason="Lagi", by=koordinator)
    assert AuditLog.objects.count() == 1


def test_hiding_needs_a_reason(done_order, product, koordinator):
    posted = review(done_order, product)
    with pytest.raises(ReviewError, match="Tuliskan alasan"):
        hide_review(review=posted, reason="  ", by=koordinator)
    posted.refresh_from_db()
    assert posted.is_hidden is False
    assert AuditLog.objects.count() == 0


def test_a_guest_reviews_without_an_account(product, pengelola):
    order = make_order({product: 1}, payment="bayar_di_tempat")
    complete(order.suborders.get(), pengelola)
    posted = review(order, product, by=AnonymousUser())
    assert (posted.author, posted.author_name) == (None, "Budi")


def test_recompute_balances_reports_and_repairs_a_drifted_rating(
    done_order, product, koordinator
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    def run(*args):
        out = StringIO()
        call_command("recompute_balances", *args, stdout=out)
        return out.getvalue()

    review(done_order, product, rating=4)
    assert run() == "All balances match the entries.\n"
    Product.objects.filter(pk=product.pk).update(
        rating_avg=Decimal("5"), rating_count=9
    )
    with pytest.raises(CommandError, match=r"^1 balance"):
        run()
    output = run("--fix").splitlines()
    assert output == [
        f"product rating: {product.slug}: cached 5.00 of 9, visible reviews 4.00 of 1",
        "Fixed 1 cached balance(s).",
    ]
    assert figures(product) == (Decimal("4.00"), 1)
    assert run() == "All balances match the entries.\n"
