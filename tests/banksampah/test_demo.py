"""The bank sampah demo: consistent ledgers, the nasabah-demo passbook, income."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from banksampah.models import DepositLine, Member, PengepulSale, WastePrice
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_history_is_consistent_and_shows_the_paper_numbers(django_user_model):
    call_command("seed_demo", "--quiet-accounts", stdout=StringIO())
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
