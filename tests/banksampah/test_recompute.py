"""`recompute_balances` finds a cached balance that drifted from the entries."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from banksampah.models import Member
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
