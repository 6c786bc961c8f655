"""Regressions found by tests/pasar/test_form_fuzz.py on the cart forms."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("next_value", "location"),
    [
        ("0", "/keranjang/"),  # was reverse("0"): NoReverseMatch, a 500
        ("home", "/keranjang/"),
        ("https://jahat.example/", "/keranjang/"),
        ("//jahat.example/", "/keranjang/"),
        ("/\\jahat.example/", "/keranjang/"),
        ("/produk/", "/produk/"),
    ],
)
def test_cart_add_next_must_be_a_path_on_this_site(
    client, product, next_value, location
):
    response = client.post(
        "/keranjang/tambah/",
        {"product": product.pk, "quantity": "1", "next": next_value},
    )
    assert response.status_code == 302
    assert response["Location"] == location
    assert client.session["cart"] == {str(product.pk): 1}


def test_checkout_with_an_empty_cart_and_a_nul_in_the_token_is_not_a_500(client):
    response = client.post(
        "/checkout/", {"checkout_token": "abc\x00" * 5, "name": "Budi"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/keranjang/"
