"""Reviews posted at the same instant (PostgreSQL, threads): every one counts once."""

from decimal import Decimal

import pytest
from django.db import connection

from reviews.models import Review
from reviews.services import post_review

from ..conftest import race
from ..orders.conftest import make_order
from .conftest import complete, line_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_reviews_of_one_product_at_once_all_count(product, pengelola):
    orders = []
    for _ in range(4):
        order = make_order({product: 1}, payment="bayar_di_tempat")
        complete(order.suborders.get(), pengelola)
        orders.append(order)
    lines = iter([(order, line_of(order, product).pk) for order in orders])
    ratings = iter([5, 4, 4, 2])

    def post():
        order, line_id = next(lines)
        return post_review(
            order=order, line_id=line_id, rating=next(ratings), text="Ok"
        )

    _results, errors = race(post, threads=4)
    assert errors == []
    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("3.75"), 4)


def test_one_line_reviewed_twice_at_once_makes_one_review(done_order, product):
    line_id = line_of(done_order, product).pk

    def post():
        return post_review(order=done_order, line_id=line_id, rating=5, text="Ok")

    results, errors = race(post, threads=4)
    assert len(results) == 1
    assert len(errors) == 3
    assert all("sudah Anda ulas" in error for error in errors)
    product.refresh_from_db()
    assert (Review.objects.count(), product.rating_count) == (1, 1)
