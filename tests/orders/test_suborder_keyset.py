"""The POSDAYA order list pages by keyset: the last page costs the first's."""

import re

import pytest

from orders.models import SubOrder
from orders.views.dashboard import SubOrderListView

from ..conftest import client_for
from ..factories import ProductFactory
from .conftest import make_order

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'rel="next" href="\?([^"]*)"')


@pytest.fixture
def seven_orders(posdaya, monkeypatch):
    monkeypatch.setattr(SubOrderListView, "page_size", 3)
    product = ProductFactory(posdaya=posdaya, stock=50)
    for _ in range(7):
        make_order({product: 1})
    return list(
        SubOrder.objects.filter(posdaya=posdaya)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )


def listed(response) -> list[int]:
    return [s.pk for s in response.context["suborders"]]


def test_pages_follow_the_cursor_to_the_end(
    seven_orders, posdaya, pengelola, django_assert_num_queries
):
    client = client_for(pengelola)
    url = f"/dasbor/{posdaya.slug}/pesanan/"
    client.get(url)
    pages, query = [], ""
    while True:
        # session, user, roles, POSDAYA, the page (one row more, no count),
        # status tabs, switcher list: the same on every page, the last one too.
        with django_assert_num_queries(7):
            response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        pages.append(listed(response))
        found = NEXT.search(response.content.decode())
        if not found:
            break
        query = found.group(1).replace("&amp;", "&")
    assert pages == [seven_orders[0:3], seven_orders[3:6], seven_orders[6:7]]
    assert query == f"setelah={seven_orders[5]}"
    assert "Terbaru" in response.content.decode()


def test_the_cursor_keeps_the_state_filter(seven_orders, posdaya, pengelola):
    client = client_for(pengelola)
    url = f"/dasbor/{posdaya.slug}/pesanan/"
    response = client.get(url, {"status": "baru", "setelah": seven_orders[2]})
    assert listed(response) == seven_orders[3:6]
    assert f"status=baru&amp;setelah={seven_orders[5]}" in response.content.decode()
    assert listed(client.get(url, {"status": "selesai"})) == []


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "٣", "9" * 30])
def test_a_bad_cursor_is_the_first_page_or_nothing_never_a_500(
    seven_orders, posdaya, pengelola, cursor
):
    response = client_for(pengelola).get(
        f"/dasbor/{posdaya.slug}/pesanan/", {"setelah": cursor}
    )
    assert response.status_code == 200
    assert listed(response) in (seven_orders[0:3], [])


def test_another_posdayas_sub_order_is_no_cursor(
    seven_orders, posdaya, other_posdaya, pengelola
):
    product = ProductFactory(posdaya=other_posdaya)
    order = make_order({product: 1})
    foreign = order.suborders.get().pk
    response = client_for(pengelola).get(
        f"/dasbor/{posdaya.slug}/pesanan/", {"setelah": foreign}
    )
    assert listed(response) == []
