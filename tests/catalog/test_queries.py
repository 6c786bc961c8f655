"""Queries per public page are fixed: they do not grow with the products shown.

Each page is measured with 3 and with 30 products (every one with two photos
and a material), and must run exactly the same number of queries.
"""

import pytest

from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductMaterialFactory,
    WasteCategoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_products(posdaya, other_posdaya):
    def make(count):
        category = CategoryFactory(slug="tas", name="Tas")
        waste = WasteCategoryFactory(slug="sachet", name="Kemasan/sachet")
        products = []
        for index in range(count):
            product = ProductFactory(
                category=category,
                posdaya=posdaya if index % 2 else other_posdaya,
                price=10000 + index * 1000,
            )
            ProductImageFactory(product=product, position=0)
            ProductImageFactory(product=product, position=1)
            ProductMaterialFactory(product=product, waste_category=waste)
            products.append(product)
        return products

    return make


SIZES = pytest.mark.parametrize("count", [3, 30])


@SIZES
def test_home_queries(client, make_products, django_assert_num_queries, count):
    make_products(count)
    client.get("/")  # the impact figures are computed once, then cached
    # POSDAYA list, categories, new products, their photos.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert len(response.context["new_products"]) == min(count, 8)


@SIZES
def test_product_list_queries(client, make_products, django_assert_num_queries, count):
    make_products(count)
    # Count, page, photos, and the category and POSDAYA choices of the filter form.
    with django_assert_num_queries(5):
        response = client.get("/produk/")
    assert len(response.context["products"]) == min(count, 24)


@SIZES
def test_product_list_with_every_filter_queries(
    client, make_products, django_assert_num_queries, count
):
    make_products(count)
    params = {
        "q": "tas",
        "kategori": "tas",
        "posdaya": "bahagia",
        "harga_min": "1000",
        "harga_max": "900000",
        "tersedia": "1",
        "urut": "termurah",
        "page": "1",
    }
    # As above (the chosen category and POSDAYA are found in the choice lists
    # already read), plus the search (catalog/search/): categories, POSDAYA and
    # waste categories in one query, the words table, the newest name matches,
    # the newest matches.
    with django_assert_num_queries(9):
        response = client.get("/produk/", params)
    assert len(response.context["products"]) == min(count // 2, 24)


@SIZES
def test_category_page_queries(client, make_products, django_assert_num_queries, count):
    make_products(count)
    # Category, count, page, photos, POSDAYA choices.
    with django_assert_num_queries(5):
        response = client.get("/kategori/tas/")
    assert len(response.context["products"]) == min(count, 24)


@SIZES
def test_product_page_queries(client, make_products, django_assert_num_queries, count):
    products = make_products(count)
    # Product with POSDAYA and category, photos, materials, related + their photos.
    with django_assert_num_queries(5):
        response = client.get(products[0].get_absolute_url())
    assert len(response.context["related"]) == min(count - 1, 4)


@SIZES
def test_posdaya_page_queries(client, make_products, django_assert_num_queries, count):
    make_products(count)
    # POSDAYA, its products, their photos.
    with django_assert_num_queries(3):
        response = client.get("/posdaya/bahagia/")
    assert len(response.context["products"]) == count // 2
