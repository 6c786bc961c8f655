"""Review fixtures: a cash order of two POSDAYA, one part walked to selesai."""

import pytest

from orders.services import advance_suborder, mark_suborder_paid

from ..factories import ProductFactory
from ..orders.conftest import make_order


def complete(suborder, by):
    """Walk a cash-on-pickup sub-order to selesai through the services."""
    mark_suborder_paid(suborder=suborder, by=by)
    advance_suborder(suborder=suborder, to_status="diproses", by=by)
    advance_suborder(suborder=suborder, to_status="siap_diambil", by=by)
    advance_suborder(suborder=suborder, to_status="selesai", by=by)
    suborder.refresh_from_db()
    return suborder


@pytest.fixture
def product(posdaya):
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=20)


@pytest.fixture
def other_product(other_posdaya):
    return ProductFactory(
        posdaya=other_posdaya, name="Vas Botol", price=15000, stock=20
    )


@pytest.fixture
def done_order(product, other_product, pengelola, shopper):
    """Budi's order: Tas Kopi (Bahagia, selesai) and Vas Botol (Flamboyan, baru)."""
    order = make_order(
        {product: 1, other_product: 1}, payment="bayar_di_tempat", customer=shopper
    )
    complete(order.suborders.get(posdaya=product.posdaya), pengelola)
    return order


def line_of(order, product):
    return order.suborders.get(posdaya=product.posdaya).lines.get(product=product)
