"""Order fixtures: products at two POSDAYA, a zone, and an order builder."""

import secrets

import pytest

from orders.services import place_order

from ..factories import DeliveryZoneFactory, ProductFactory

PHONE = "6281298765432"

# What a refused visitor gets from an induk page / from a POSDAYA's page.
DENIED_INDUK = {
    "anonymous": "login",
    "shopper": 404,
    "other_staff": 404,
    "own_staff": 404,
}
DENIED_POSDAYA = {"anonymous": "login", "shopper": 404, "other_staff": 404}


def denied_as(response):
    """The answer to a refused visitor: "login" (sent to sign in) or the status."""
    if response.status_code == 302 and "/akun/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.fixture
def zone(db):
    return DeliveryZoneFactory(name="Babelan", fee=10000)


@pytest.fixture
def product(posdaya):
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=5)


@pytest.fixture
def other_product(other_posdaya):
    return ProductFactory(posdaya=other_posdaya, name="Vas Botol", price=15000, stock=5)


def make_order(
    quantities,
    *,
    payment="transfer",
    delivery="ambil",
    zone=None,
    customer=None,
    email="budi@contoh.id",
    token=None,
    savings=0,
):
    """Place an order through the service, as checkout does."""
    return place_order(
        quantities={p.pk: q for p, q in quantities.items()},
        customer=customer,
        name="Budi",
        phone=PHONE,
        email=email,
        delivery_method=delivery,
        address="" if delivery == "ambil" else "Jl. Melati 3",
        zone=zone,
        payment_method=payment,
        checkout_token=token or secrets.token_urlsafe(24),
        savings_amount=savings,
    ).order


@pytest.fixture
def order(product, other_product):
    """A transfer order for pickup: 2 × Tas Kopi (Bahagia) + 1 × Vas (Flamboyan)."""
    return make_order({product: 2, other_product: 1})


@pytest.fixture
def cod_order(product, other_product, zone):
    return make_order(
        {product: 1, other_product: 2},
        payment="bayar_di_tempat",
        delivery="antar",
        zone=zone,
    )
