"""`recompute_balances` finds a cached balance that drifted from its ledger."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands

from banksampah.models import Member, WasteStock
from banksampah.services import record_withdrawal

from .conftest import deposit

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("recompute_balances", *args, stdout=out)
    return out.getvalue()


def test_clean_ledger_reports_no_difference(member, pet):
    deposit(member, (pet, "3"))
    record_withdrawal(member=member, amount=2000, by=None)
    assert run() == "All balances match the entries.\n"


def test_drift_is_reported_with_error_and_fixed(member, pet):
    deposit(member, (pet, "3"))  # 9000
    Member.objects.filter(pk=member.pk).update(balance=9500)
    with pytest.raises(CommandError, match="1 balance"):
        run()
    output = run("--fix")
    assert (
        "BHG-07-0001: cached 9500, entries sum 9000, last running balance 9000"
        in output
    )
    member.refresh_from_db()
    assert member.balance == 9000
    assert run() == "All balances match the entries.\n"


def test_waste_stock_drift_is_reported_with_error_and_fixed(member, pet, kardus):
    deposit(member, (pet, "3"), (kardus, "1.5"))
    WasteStock.objects.filter(category=kardus).update(weight=Decimal("2.250"))
    with pytest.raises(CommandError, match=r"^1 balance"):
        run()
    output = run("--fix")
    assert output == (
        "waste stock BHG kardus: cached 2.250, movements sum 1.500, "
        "last running weight 1.500\n"
        "Fixed 1 cached balance(s).\n"
    )
    stock = dict(WasteStock.objects.values_list("category__slug", "weight"))
    assert stock == {"plastik-pet": Decimal("3.000"), "kardus": Decimal("1.500")}
    assert run() == "All balances match the entries.\n"


def test_every_difference_is_counted_and_nothing_is_fixed_without_fix(member, pet):
    deposit(member, (pet, "3"))  # Rp 9.000, 3 kg
    Member.objects.filter(pk=member.pk).update(balance=1)
    WasteStock.objects.update(weight=Decimal("0.001"))
    out = StringIO()
    with pytest.raises(CommandError, match=r"^2 balance\(s\) differ from the entries"):
        call_command("recompute_balances", stdout=out)
    assert out.getvalue() == (
        "BHG-07-0001: cached 1, entries sum 9000, last running balance 9000\n"
        "waste stock BHG plastik-pet: cached 0.001, movements sum 3.000, "
        "last running weight 3.000\n"
    )
    member.refresh_from_db()
    assert member.balance == 1
    assert WasteStock.objects.get().weight == Decimal("0.001")


def test_the_command_lives_with_the_wiring():
    assert get_commands()["recompute_balances"] == "pasar.site"
