"""`recompute_balances` also checks each product's stock against its movements."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Product, StockMovement
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("recompute_balances", *args, stdout=out)
    return out.getvalue()


def test_product_stock_drift_is_reported_and_fixed_by_a_movement():
    product = ProductFactory(stock=12, name="Tas Kresek")
    assert run() == "All balances match the entries.\n"
    # Someone changed the column behind the stock module's back.
    Product.objects.filter(pk=product.pk).update(stock=15)
    with pytest.raises(CommandError, match=r"^1 balance"):
        run()
    output = run("--fix")
    assert output.splitlines()[0].startswith("product stock: ")
    assert "Tas Kresek" in output.splitlines()[0]
    assert output.splitlines()[-1] == "Fixed 1 cached balance(s)."
    product.refresh_from_db()
    # The column (what reservations were checked against) is kept; one
    # correcting movement makes the movements add up to it.
    assert product.stock == 15
    movements = list(
        StockMovement.objects.filter(product=product).values_list(
            "quantity", "stock_after"
        )
    )
    assert movements == [(3, 15), (12, 12)]
    assert run() == "All balances match the entries.\n"
