"""`seed_demo` loads demo data that makes the site look alive, idempotently.

The demo takes seconds to build, so this module loads it once (twice, to prove
the second run changes nothing) into the test database and every test reads
it; the database is flushed when the module ends.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Sum

from banksampah.models import DepositLine, Member, PengepulSale, WastePrice
from catalog.models import Product
from orders.models import DeliveryZone, Order, SubOrder
from orders.shipping import extra_kg_started
from posdaya.models import Membership, Posdaya
from reviews.models import Review

from ..conftest import client_for

LABELS = ("pasar", "posdaya", "catalog", "orders", "banksampah", "reviews", "auth")


def row_counts():
    """Count the rows of every model of our apps."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in LABELS
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--quiet-accounts", stdout=StringIO())
        first = row_counts()
        call_command("seed_demo", "--quiet-accounts", stdout=StringIO())
        second = row_counts()
    yield first, second
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)


pytestmark = pytest.mark.django_db


def test_second_run_changes_nothing(seeded):
    first, second = seeded
    assert second == first


def test_posdaya_and_roles(seeded):
    assert Posdaya.objects.count() == 16
    assert set(Posdaya.objects.values_list("slug", flat=True)) >= {
        "bahagia",
        "flamboyan",
    }
    assert Membership.objects.filter(role="koordinator").count() == 1
    assert Membership.objects.filter(role="pengelola").count() == 16
    assert Membership.objects.filter(role="petugas").count() == 16


@pytest.mark.parametrize(
    "username",
    [
        "koordinator",
        "pengelola-bahagia",
        "petugas-flamboyan",
        "nasabah-demo",
        "pembeli-demo",
    ],
)
def test_demo_accounts_sign_in(seeded, client, username):
    response = client.post("/akun/login/", {"login": username, "password": "demo12345"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_bank_sampah_history_is_consistent_and_shows_the_paper_numbers(
    seeded, django_user_model
):
    out = StringIO()
    call_command("recompute_balances", stdout=out)
    assert out.getvalue() == "All balances match the entries.\n"
    counts = Member.objects.values("posdaya").annotate(n=Count("pk"))
    assert len(counts) == 16
    assert all(20 <= row["n"] <= 40 for row in counts)
    nasabah = Member.objects.get(user__username="nasabah-demo")
    assert nasabah.posdaya.slug == "bahagia"
    assert nasabah.deposits.count() >= 8
    assert nasabah.withdrawals.count() >= 1
    # The price change shows in the snapshots: PET was bought at both prices.
    assert set(
        DepositLine.objects.filter(category__slug="plastik-pet").values_list(
            "unit_price", flat=True
        )
    ) == {3000, 3200}
    assert WastePrice.objects.count() == 14
    weekly = PengepulSale.objects.values("posdaya", "sold_on").annotate(
        total=Sum("total_amount")
    )
    assert len(weekly) == 16 * 8
    assert all(400_000 <= row["total"] <= 1_500_000 for row in weekly)
    user = django_user_model.objects.get(username="nasabah-demo")
    body = client_for(user).get("/tabungan/").content.decode()
    assert nasabah.account_number in body


def test_catalog(seeded):
    products = Product.objects.all()
    assert products.count() == 120
    assert products.filter(status="draft").count() == 7
    # Some run out; the orders demo restocks what it sold out itself.
    assert products.filter(stock=0, status="published").exists()
    assert products.values("posdaya").distinct().count() == 16
    assert not products.filter(images__isnull=True).exists()
    assert min(products.values_list("price", flat=True)) >= 10000
    assert max(products.values_list("price", flat=True)) <= 250000


def test_orders_in_every_state(seeded):
    assert DeliveryZone.objects.count() == 4
    assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status)
    assert set(SubOrder.objects.values_list("status", flat=True)) == set(
        SubOrder.Status
    )


def test_demo_courier_parcels_are_priced_by_weight(seeded):
    parcels = SubOrder.objects.filter(order__delivery_method="ekspedisi").values_list(
        "parcel_weight_grams",
        "delivery_fee",
        "order__zone__courier_first_kg_fee",
        "order__zone__courier_extra_kg_fee",
    )
    assert parcels
    for grams, fee, first_kg, per_kg in parcels:
        assert fee == first_kg + per_kg * extra_kg_started(grams)
    # The weight shows: parcels of the same zone cost different amounts.
    assert len({fee for _grams, fee, _first, _per in parcels}) > 2
    local = SubOrder.objects.filter(order__delivery_method="antar").values_list(
        "delivery_fee", "order__zone__fee"
    )
    assert local and all(fee == zone_fee for fee, zone_fee in local)


def test_reviews_of_completed_orders_and_the_stored_ratings(seeded):
    reviews = Review.objects.all()
    assert 0 < reviews.count() <= 120
    assert not reviews.exclude(line__suborder__status="selesai").exists()
    assert reviews.exclude(reply="").exists()
    for product in Product.objects.filter(rating_count__gt=0):
        ratings = list(product.reviews.values_list("rating", flat=True))
        assert product.rating_count == len(ratings)
        assert abs(float(product.rating_avg) - sum(ratings) / len(ratings)) < 0.005
    assert Product.objects.filter(rating_count__gt=0).count() == (
        reviews.values("product").distinct().count()
    )


def test_demo_nasabah_paid_a_craft_with_her_savings(seeded, django_user_model):
    user = django_user_model.objects.get(username="nasabah-demo")
    order = Order.objects.get(customer=user, payment_method="tabungan")
    assert order.status == Order.Status.PAID
    assert order.savings_amount == order.total
    debit = user.member.entries.get(kind="purchase")
    assert (debit.amount, debit.order_code) == (-order.total, order.code)
    body = client_for(user).get("/tabungan/").content.decode()
    assert f'<a href="/pesanan/{order.code}/">' in body
