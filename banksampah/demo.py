"""Demo data: waste categories and prices, members, eight weeks of weighings.

Everything goes through the services (so ledgers, stock and balances are what
real use would produce), with the clock set back to each weighing day.
Idempotent: a POSDAYA that already has members is skipped. Deterministic: one
`random.Random` per POSDAYA with a fixed seed.
"""

import datetime as dt
import random
import uuid
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pasar.money import rupiah_for_weight
from posdaya.models import Posdaya

from .models import (
    Deposit,
    DepositLine,
    Member,
    SavingsEntry,
    WasteCategory,
    WastePrice,
    WasteStock,
    WasteStockMovement,
)
from .selectors import prices_in_force
from .services import (
    DEFAULT_WASTE_CATEGORIES,
    SaleLine,
    WeighedLine,
    record_production_use,
    record_sale,
    record_withdrawal,
    register_member,
)

JAKARTA = ZoneInfo("Asia/Jakarta")

# Kilograms (or litres) a household typically brings of each kind.
TYPICAL_AMOUNT = {
    "plastik-pet": 2.0,
    "gelas-plastik": 1.2,
    "kemasan-sachet": 0.8,
    "kresek": 0.8,
    "kardus": 3.0,
    "kertas-hvs": 1.5,
    "koran": 1.5,
    "besi": 1.5,
    "aluminium": 0.4,
    "botol-kaca": 2.0,
    "minyak-jelantah": 1.5,
}
# The price change ~4 weeks ago that shows snapshots on old receipts.
PRICE_CHANGES = {
    "plastik-pet": (3200, 4200),
    "kardus": (1400, 1900),
    "aluminium": (10500, 13500),
}

FIRST_NAMES = [
    "Siti",
    "Sri",
    "Nur",
    "Dewi",
    "Ani",
    "Yuli",
    "Rina",
    "Tuti",
    "Endang",
    "Wati",
    "Lilis",
    "Euis",
    "Neneng",
    "Ratna",
    "Iis",
    "Yanti",
    "Mulyani",
    "Rohmah",
    "Fatimah",
    "Aisyah",
    "Kartini",
    "Suryani",
    "Hartini",
    "Maryam",
    "Nining",
]
LAST_NAMES = [
    "Aminah",
    "Wahyuni",
    "Hasanah",
    "Lestari",
    "Rahayu",
    "Susanti",
    "Handayani",
    "Kurniasih",
    "Nurhayati",
    "Purwanti",
    "Setiawati",
    "Maemunah",
    "Rosita",
    "Komariah",
    "Sulastri",
    "Marlina",
    "Safitri",
    "Yuliani",
]
PENGEPUL = ["Pak Darto", "Pak Udin (pengepul Babelan)", "CV Sumber Rejeki", "Pak Jaja"]


@contextmanager
def _clock(moment: dt.datetime):
    """Pretend it is `moment`, so timestamps of the demo history look real."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def seed_categories(today: dt.date) -> dict[str, WasteCategory]:
    """Create the categories and their two dated prices (idempotent)."""
    base_day = today - dt.timedelta(weeks=10, days=today.weekday())
    change_day = today - dt.timedelta(weeks=4, days=today.weekday())
    categories = {}
    for order, row in enumerate(DEFAULT_WASTE_CATEGORIES, 1):
        slug, name, group, unit, buy, sell = row
        category, _ = WasteCategory.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "group": group, "unit": unit, "order": order},
        )
        categories[slug] = category
        WastePrice.objects.get_or_create(
            category=category,
            valid_from=base_day,
            defaults={"buy_price": buy, "sell_price": sell},
        )
        if slug in PRICE_CHANGES:
            new_buy, new_sell = PRICE_CHANGES[slug]
            WastePrice.objects.get_or_create(
                category=category,
                valid_from=change_day,
                defaults={"buy_price": new_buy, "sell_price": new_sell},
            )
    return categories


def _weigh(rng, categories):
    """Pick 1–4 lines a household might bring."""
    picks = rng.sample(list(TYPICAL_AMOUNT.items()), rng.randint(1, 4))
    lines = []
    for slug, typical in picks:
        weight = Decimal(str(round(rng.uniform(1.0, 4.0) * typical, 1))).quantize(
            Decimal("0.001")
        )
        if weight > 0:
            lines.append(WeighedLine(category=categories[slug], weight=weight))
    return lines


def seed_posdaya(posdaya, index, categories, today, petugas, nasabah_user):
    rng = random.Random(7_000 + index)
    count = rng.randint(20, 40)
    members = []
    for n in range(count):
        if n == 0 and nasabah_user is not None:
            name = "Ibu Sri Wahyuni"
        else:
            name = f"Ibu {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        joined = today - dt.timedelta(weeks=rng.randint(10, 60))
        with _clock(_at(joined, 9)):
            members.append(
                register_member(
                    posdaya=posdaya,
                    name=name,
                    whatsapp=f"62813{index:02d}{n:03d}{rng.randint(1000, 9999)}",
                    address=f"Jl. {rng.choice(LAST_NAMES)} No. {rng.randint(1, 80)}",
                    rt=f"{rng.randint(1, 9):02d}",
                    rw=posdaya.rw,
                    joined_on=joined,
                    user=nasabah_user if n == 0 else None,
                )
            )
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(8, 0, -1):
        saturday = monday - dt.timedelta(days=2 + 7 * (week - 1))
        touched: dict[int, Member] = {}
        stock = {
            row.category_id: row
            for row in WasteStock.objects.filter(posdaya=posdaya).select_for_update()
        }
        for offset, day in enumerate((saturday, saturday + dt.timedelta(days=1))):
            visitors = rng.sample(members, min(len(members), rng.randint(12, 15)))
            if offset == 0 and nasabah_user is not None and members[0] not in visitors:
                visitors.append(members[0])
            visits = [
                (member, _weigh(rng, categories), uuid.UUID(int=rng.getrandbits(128)))
                for member in visitors
            ]
            with _clock(_at(day, 8)):
                _record_weighing_day(posdaya, day, visits, petugas, stock)
            touched.update({member.pk: member for member, _l, _k in visits})
        # The weekend's balances and stock, written once (same values the
        # services would have written after each deposit).
        Member.objects.bulk_update(list(touched.values()), ["balance"])
        WasteStock.objects.bulk_update(list(stock.values()), ["weight"])
        sunday = saturday + dt.timedelta(days=1)
        with _clock(_at(sunday, 11, 30)):
            for member in rng.sample(members, 2):
                member.refresh_from_db(fields=["balance"])
                amount = (member.balance * rng.randint(40, 90) // 100) // 5000 * 5000
                if amount > 0:
                    record_withdrawal(
                        member=member,
                        amount=amount,
                        method=rng.choice(["tunai", "tunai", "transfer"]),
                        by=petugas,
                        idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                        withdrawn_on=sunday,
                    )
            if nasabah_user is not None and week == 3:
                record_withdrawal(
                    member=members[0],
                    amount=20_000,
                    note="Untuk belanja dapur",
                    by=petugas,
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                    withdrawn_on=sunday,
                )
        _sell_and_use(rng, posdaya, categories, sunday + dt.timedelta(days=1), petugas)


def _record_weighing_day(posdaya, day, visits, petugas, stock):
    """Record a day's deposits in bulk: exactly the rows `record_deposit` writes.

    Same price snapshot, rounding, running balances and stock movements, in
    the same order; a handful of queries instead of twenty per deposit, which
    keeps `seed_demo` fast. Only used by the demo, inside its transaction.
    """
    prices = prices_in_force(on_date=day)
    deposits, priced_visits = [], []
    for member, lines, key in visits:
        priced = [
            (
                line,
                prices[line.category.pk].buy_price,
                rupiah_for_weight(line.weight, prices[line.category.pk].buy_price),
            )
            for line in lines
        ]
        deposits.append(
            Deposit(
                posdaya=posdaya,
                member=member,
                idempotency_key=key,
                weighed_on=day,
                total_amount=sum(amount for _line, _price, amount in priced),
                by=petugas,
            )
        )
        priced_visits.append((member, priced))
    Deposit.objects.bulk_create(deposits)
    missing = [
        WasteStock(posdaya=posdaya, category_id=pk)
        for pk in {line.category.pk for _m, ls, _k in visits for line in ls}
        if pk not in stock
    ]
    WasteStock.objects.bulk_create(missing)
    for row in WasteStock.objects.filter(
        posdaya=posdaya, category_id__in=[row.category_id for row in missing]
    ):
        stock[row.category_id] = row
    lines, entries, movements = [], [], []
    for deposit, (member, priced) in zip(deposits, priced_visits, strict=True):
        for line, price, amount in priced:
            lines.append(
                DepositLine(
                    deposit=deposit,
                    category=line.category,
                    weight=line.weight,
                    unit_price=price,
                    amount=amount,
                )
            )
        if deposit.total_amount > 0:
            member.balance += deposit.total_amount
            entries.append(
                SavingsEntry(
                    member=member,
                    kind=SavingsEntry.Kind.DEPOSIT,
                    amount=deposit.total_amount,
                    balance_after=member.balance,
                    by=petugas,
                    deposit=deposit,
                )
            )
        for line, _price, _amount in sorted(priced, key=lambda p: p[0].category.pk):
            row = stock[line.category.pk]
            row.weight += line.weight
            movements.append(
                WasteStockMovement(
                    posdaya=posdaya,
                    category=line.category,
                    kind=WasteStockMovement.Kind.IN_DEPOSIT,
                    weight=line.weight,
                    weight_after=row.weight,
                    by=petugas,
                    deposit=deposit,
                )
            )
    DepositLine.objects.bulk_create(lines)
    SavingsEntry.objects.bulk_create(entries)
    WasteStockMovement.objects.bulk_create(movements)
    Member.objects.bulk_update(
        {m.pk: m for m, _p in priced_visits}.values(), ["balance"]
    )
    WasteStock.objects.bulk_update(list(stock.values()), ["weight"])


def _sell_and_use(rng, posdaya, categories, day, petugas):
    """Monday: sachets go to the crafts group, most of the rest to a pengepul."""
    stock = {
        row.category_id: row.weight
        for row in WasteStock.objects.filter(posdaya=posdaya)
    }
    with _clock(_at(day, 10)):
        sachet = categories["kemasan-sachet"]
        used = (stock.get(sachet.pk, Decimal(0)) * Decimal("0.8")).quantize(
            Decimal("0.001")
        )
        if used > 0:
            record_production_use(
                posdaya=posdaya,
                category=sachet,
                weight=used,
                note="Bahan tas dan dompet anyaman",
                by=petugas,
                used_on=day,
            )
        lines = []
        for slug, category in categories.items():
            if slug == "kemasan-sachet":
                continue
            weight = (stock.get(category.pk, Decimal(0)) * Decimal("0.95")).quantize(
                Decimal("0.001")
            )
            if weight > 0:
                lines.append(SaleLine(category=category, weight=weight))
        if lines:
            record_sale(
                posdaya=posdaya,
                buyer_name=rng.choice(PENGEPUL),
                lines=lines,
                by=petugas,
                sold_on=day,
            )


def seed() -> None:
    """Create categories, prices and each POSDAYA's bank sampah history."""
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        categories = seed_categories(today)
    nasabah = User.objects.filter(username="nasabah-demo").first()
    if nasabah is not None and Member.objects.filter(user=nasabah).exists():
        nasabah = None
    for index, posdaya in enumerate(Posdaya.objects.order_by("pk")):
        if Member.objects.filter(posdaya=posdaya).exists():
            continue
        petugas = User.objects.filter(username=f"petugas-{posdaya.slug}").first()
        with transaction.atomic():
            seed_posdaya(
                posdaya,
                index,
                categories,
                today,
                petugas,
                nasabah if posdaya.slug == "bahagia" else None,
            )
