"""Regressions found by tests/pasar/test_form_fuzz.py on the product form."""

import pytest

from catalog.models import Product
from tests.conftest import client_for
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_forged_material_count_builds_no_more_than_ten_forms(pengelola):
    category = CategoryFactory(name="Tas", slug="tas")
    response = client_for(pengelola).post(
        "/dasbor/bahagia/produk/baru/",
        {
            "product-name": "Tas",
            "product-category": category.pk,
            "product-price": "35000",
            "product-weight_grams": "300",
            "product-stock": "1",
            "bahan-TOTAL_FORMS": "100000",
            "bahan-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 10
    assert "Harap ajukan paling banyak 10 formulir." in response.content.decode()
    assert Product.objects.count() == 0


def test_branch_product_search_ignores_nul_bytes(pengelola, posdaya):
    """A NUL in `q` was a DataError (500) on PostgreSQL."""
    ProductFactory(posdaya=posdaya, name="Tas Kopi")
    ProductFactory(posdaya=posdaya, name="Dompet", description="Dompet sachet.")
    response = client_for(pengelola).get(
        "/dasbor/bahagia/produk/", {"q": "tas\x00", "status": "\x00"}
    )
    assert response.status_code == 200
    assert [p.name for p in response.context["products"]] == ["Tas Kopi"]
