"""PostgreSQL only: concurrent withdrawals, and the trigger on the ledger tables."""

import threading
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from banksampah.models import Member, SavingsEntry, Withdrawal
from banksampah.services import BankSampahError, record_withdrawal

from .conftest import deposit

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and triggers"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_never_overdraw(member, pet):
    deposit(member, (pet, "10"))  # Rp 30.000
    threads, results = 24, []
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def withdraw():
        try:
            barrier.wait()
            record_withdrawal(
                member=Member.objects.get(pk=member.pk),
                amount=4000,
                by=None,
                idempotency_key=uuid.uuid4(),
            )
            outcome = "ok"
        except BankSampahError:
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=withdraw) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results.count("ok") == 7  # 7 x 4000 = 28.000 <= 30.000
    assert results.count("refused") == 17
    member.refresh_from_db()
    assert member.balance == 2000
    assert Withdrawal.objects.aggregate(s=Sum("amount"))["s"] == 28_000
    entries = SavingsEntry.objects.filter(member=member).order_by("id")
    assert entries.aggregate(s=Sum("amount"))["s"] == 2000
    running = 0
    for entry in entries:
        running += entry.amount
        assert entry.balance_after == running


@postgres_only
@pytest.mark.django_db
def test_database_refuses_update_and_delete_on_ledgers(member, pet):
    deposit(member, (pet, "1"))
    for sql in (
        "UPDATE banksampah_savingsentry SET amount = 999999",
        "DELETE FROM banksampah_savingsentry",
        "UPDATE banksampah_wastestockmovement SET weight = 5",
        "DELETE FROM banksampah_wastestockmovement",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert SavingsEntry.objects.get().amount == 3000
