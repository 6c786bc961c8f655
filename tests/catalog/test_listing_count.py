"""The listing counts exactly up to a cap, then says "1.000+ produk"."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalog import selectors
from catalog.views import public

from ..factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight_products(posdaya):
    return [ProductFactory(posdaya=posdaya, name=f"Vas {i}") for i in range(8)]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(public, "COUNT_CAP", 5)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)


def listing(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/produk/{query}")
    assert response.status_code == 200
    return response, [q["sql"] for q in captured]


def test_the_cap_reads_as_one_thousand_plus(rf):
    paginator = public.CappedPaginator([], 24, number=1)
    paginator.capped = True
    html = render_to_string(
        "catalog/partials/_filters.html",
        {"page_obj": paginator.page(1), "filter": None},
        rf.get("/produk/"),
    )
    assert "1.000+ produk" in html
    with translation.override("en"):
        assert "1,000+ products" in render_to_string(
            "catalog/partials/_filters.html",
            {"page_obj": paginator.page(1), "filter": None},
            rf.get("/produk/"),
        )


def test_past_the_cap_the_count_says_cap_plus(client, eight_products, small_pages):
    response, sql = listing(client)
    html = response.content.decode()
    assert "5+ produk" in html
    assert "8 produk" not in html
    # One count, of at most cap + 1 rows, never the whole catalogue.
    counts = [q for q in sql if "COUNT(" in q]
    assert len(counts) == 1
    assert "LIMIT 6" in counts[0]
    assert "Halaman 1<" in html
    assert 'rel="next" href="?page=2"' in html
    assert response.context["page_obj"].paginator.count == 6


def test_a_deep_page_still_offers_the_next_one(client, eight_products, small_pages):
    response, _sql = listing(client, "?page=3")  # past the cap: items 5 and 6
    html = response.content.decode()
    assert [p.name for p in response.context["products"]] == ["Vas 3", "Vas 2"]
    assert "5+ produk" in html
    assert 'rel="next" href="?page=4"' in html
    last, _sql = listing(client, "?page=4")
    html = last.content.decode()
    # Counted to the end: exact again.
    assert "8 produk" in html
    assert "Halaman 4 dari 4" in html
    assert 'rel="next"' not in html


def test_under_the_cap_the_count_is_exact(client, eight_products, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    response, _sql = listing(client)
    html = response.content.decode()
    assert "8 produk" in html
    assert "Halaman 1 dari 4" in html
