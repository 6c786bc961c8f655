"""Bank sampah at scale: 5,000 members and 1,000,000 savings entries.

`build()` bulk-creates the data (balances and running balances consistent, so
`recompute_balances` agrees); `measure(client)` times a passbook page, a
deposit confirmation and the weekly branch report. The runner
(benchmarks/run.py) wires these in.
"""

import datetime as dt
import statistics
import time
import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

BATCH = 5_000
SLUG = "bahagia"  # one of the 16 POSDAYA (posdaya.demo), the busiest branch


def build(members: int = 5000, entries: int = 1_000_000) -> None:
    """Give one POSDAYA `members` members and `entries` savings entries."""
    from django.contrib.auth import get_user_model

    from banksampah.models import (
        Deposit,
        Member,
        MemberSequence,
        SavingsEntry,
        WasteCategory,
        WastePrice,
    )
    from posdaya.models import Membership, Posdaya

    posdaya = Posdaya.objects.get(slug=SLUG)
    if Member.objects.filter(posdaya=posdaya).exists():
        return
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username="bench-petugas")
        Membership.objects.get_or_create(
            user=user, posdaya=posdaya, role=Membership.Role.PETUGAS
        )
        category, _ = WasteCategory.objects.get_or_create(
            slug="plastik-pet",
            defaults={"name": "Botol plastik PET", "group": "plastik"},
        )
        if not WastePrice.objects.filter(category=category).exists():
            WastePrice.objects.create(
                category=category,
                valid_from=dt.date(2020, 1, 1),
                buy_price=3000,
                sell_price=4000,
            )
        Member.objects.bulk_create(
            [
                Member(
                    posdaya=posdaya,
                    sequence=n,
                    account_number=f"BNC-99-{n:04d}",
                    name=f"Nasabah {n}",
                    joined_on=dt.date(2020, 1, 1),
                )
                for n in range(1, members + 1)
            ],
            batch_size=BATCH,
        )
        MemberSequence.objects.update_or_create(
            posdaya=posdaya, defaults={"last_number": members}
        )
    member_ids = list(
        Member.objects.filter(posdaya=posdaya)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    per_member = entries // len(member_ids)
    start_day = today - dt.timedelta(days=per_member * 3)
    # Entries as deposits of Rp 3.000 with every fourth a withdrawal of 2.000;
    # deposit rows are created for 1 in 10 credits so reports have data.
    balances = dict.fromkeys(member_ids, 0)
    batch: list = []
    for i in range(per_member):
        day = start_day + dt.timedelta(days=i * 3)
        withdrawal = i % 4 == 3
        # One member in ten has a Deposit row for each credit, linked from its
        # ledger entry as real deposits are (the reversal checks follow it).
        deposits = (
            {}
            if withdrawal
            else {
                d.member_id: d
                for d in Deposit.objects.bulk_create(
                    Deposit(
                        posdaya=posdaya,
                        member_id=pk,
                        idempotency_key=uuid.uuid4(),
                        weighed_on=day,
                        total_amount=3000,
                    )
                    for pk in member_ids
                    if pk % 10 == 0
                )
            }
        )
        for pk in member_ids:
            if withdrawal:
                amount, kind = -2000, SavingsEntry.Kind.WITHDRAWAL
            else:
                amount, kind = 3000, SavingsEntry.Kind.DEPOSIT
            balances[pk] += amount
            batch.append(
                SavingsEntry(
                    member_id=pk,
                    kind=kind,
                    amount=amount,
                    balance_after=balances[pk],
                    deposit=deposits.get(pk),
                )
            )
            if len(batch) >= BATCH:
                SavingsEntry.objects.bulk_create(batch)
                batch = []
    SavingsEntry.objects.bulk_create(batch)
    members_to_update = [Member(pk=pk, balance=b) for pk, b in balances.items()]
    Member.objects.bulk_update(members_to_update, ["balance"], batch_size=BATCH)


def _time(fn, repeat: int):
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return queries, statistics.median(timings), p95


def measure(client, repeat: int = 20) -> list[tuple[str, int, float, float]]:
    """Return (page, queries, median ms, p95 ms) for the three hot paths."""
    from django.contrib.auth import get_user_model

    from banksampah.models import Member, WasteCategory

    user = get_user_model().objects.get(username="bench-petugas")
    client.force_login(user)
    members = Member.objects.filter(posdaya__slug=SLUG).order_by("pk")
    member = members[members.count() // 2]
    category = WasteCategory.objects.get(slug="plastik-pet")
    base = f"/dasbor/{SLUG}/bank-sampah/"

    def passbook():
        response = client.get(base + f"nasabah/{member.pk}/?page=3")
        assert response.status_code == 200

    def confirm():
        response = client.post(
            base + "setoran/baru/",
            {
                "member": member.pk,
                "key": str(uuid.uuid4()),
                "action": "confirm",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-category": str(category.pk),
                "lines-0-weight": str(Decimal("1.250")),
            },
        )
        assert response.status_code == 302, response.status_code

    def report():
        response = client.get(base + "laporan/")
        assert response.status_code == 200

    rows = []
    for name, fn in (
        ("passbook page (staff)", passbook),
        ("deposit confirmation", confirm),
        ("weekly branch report", report),
    ):
        queries, median, p95 = _time(fn, repeat)
        rows.append((name, queries, round(median, 1), round(p95, 1)))
    return rows
