"""Demo data: waste categories and prices, members, eight weeks of deposits.

Every row goes through the services (so ledgers, stock and balances are what
real use would produce), each with the moment it happened (`at=`): members
join, weekends are weighed with `record_deposits` (a day in bulk, so
`seed_demo` stays fast), withdrawals, production and sales follow. Idempotent:
a POSDAYA that already has members is skipped. Deterministic: one
`random.Random` per POSDAYA with a fixed seed.
"""

import datetime as dt
import random
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from posdaya.models import Posdaya

from . import selectors
from .models import Member, WasteCategory, WastePrice, Withdrawal
from .services import (
    DEFAULT_WASTE_CATEGORIES,
    DepositInput,
    SaleLine,
    WeighedLine,
    claim_member,
    issue_claim_code,
    record_deposits,
    record_production_use,
    record_sale,
    record_withdrawal,
    register_member,
    save_waste_category,
    set_waste_price,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
CASH = Withdrawal.Method.CASH

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


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def seed_categories(today: dt.date) -> dict[str, WasteCategory]:
    """Create the categories and their two dated prices (idempotent).

    Through the koordinator's services, so the prices are audited like any.
    """
    base_day = today - dt.timedelta(weeks=10, days=today.weekday())
    change_day = today - dt.timedelta(weeks=4, days=today.weekday())
    existing = {
        category.slug: category
        for category in WasteCategory.objects.filter(
            slug__in=[row[0] for row in DEFAULT_WASTE_CATEGORIES]
        )
    }
    priced = set(
        WastePrice.objects.filter(valid_from__in=[base_day, change_day]).values_list(
            "category_id", "valid_from"
        )
    )
    categories = {}
    for order, row in enumerate(DEFAULT_WASTE_CATEGORIES, 1):
        slug, name, group, unit, buy, sell = row
        category = existing.get(slug) or save_waste_category(
            by=None, slug=slug, name=name, group=group, unit=unit, order=order
        )
        categories[slug] = category
        dated = [(base_day, buy, sell)]
        if slug in PRICE_CHANGES:
            dated.append((change_day, *PRICE_CHANGES[slug]))
        for valid_from, buy_price, sell_price in dated:
            if (category.pk, valid_from) not in priced:
                set_waste_price(
                    category=category,
                    valid_from=valid_from,
                    buy_price=buy_price,
                    sell_price=sell_price,
                    by=None,
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


def seed_posdaya(posdaya, index, categories, today, petugas, member_user):
    rng = random.Random(7_000 + index)
    count = rng.randint(20, 40)
    members = []
    for n in range(count):
        if n == 0 and member_user is not None:
            name = "Ibu Sri Wahyuni"
        else:
            name = f"Ibu {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        joined = today - dt.timedelta(weeks=rng.randint(10, 60))
        members.append(
            register_member(
                posdaya=posdaya,
                name=name,
                whatsapp=f"62813{index:02d}{n:03d}{rng.randint(1000, 9999)}",
                address=f"Jl. {rng.choice(LAST_NAMES)} No. {rng.randint(1, 80)}",
                rt=f"{rng.randint(1, 9):02d}",
                rw=posdaya.rw,
                joined_on=joined,
                at=_at(joined, 9),
            )
        )
    if member_user is not None:
        # Linked the way a real member links her book: the petugas issues a
        # claim code, the member enters it once signed in.
        issued = issue_claim_code(member=members[0], by=petugas)
        claim_member(user=member_user, code=issued.code)
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(8, 0, -1):
        saturday = monday - dt.timedelta(days=2 + 7 * (week - 1))
        for offset, day in enumerate((saturday, saturday + dt.timedelta(days=1))):
            visitors = rng.sample(members, min(len(members), rng.randint(12, 15)))
            if offset == 0 and member_user is not None and members[0] not in visitors:
                visitors.append(members[0])
            record_deposits(
                posdaya=posdaya,
                deposits=[
                    DepositInput(
                        member=member,
                        lines=_weigh(rng, categories),
                        idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                    )
                    for member in visitors
                ],
                by=petugas,
                weighed_on=day,
                at=_at(day, 8),
            )
        sunday = saturday + dt.timedelta(days=1)
        closing = _at(sunday, 11, 30)
        for member in rng.sample(members, 2):
            member.refresh_from_db(fields=["balance"])
            amount = (member.balance * rng.randint(40, 90) // 100) // 5000 * 5000
            if amount > 0:
                record_withdrawal(
                    member=member,
                    amount=amount,
                    method=rng.choice([CASH, CASH, Withdrawal.Method.TRANSFER]),
                    by=petugas,
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                    withdrawn_on=sunday,
                    at=closing,
                )
        if member_user is not None and week == 3:
            record_withdrawal(
                member=members[0],
                amount=20_000,
                note="Untuk belanja dapur",
                by=petugas,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                withdrawn_on=sunday,
                at=closing,
            )
        _sell_and_use(rng, posdaya, categories, sunday + dt.timedelta(days=1), petugas)


def _sell_and_use(rng, posdaya, categories, day, petugas):
    """Monday: sachets go to the crafts group, most of the rest to a pengepul."""
    stock = {
        row.category_id: row.weight
        for row in selectors.waste_stock_per_category(posdaya)
    }
    at = _at(day, 10)
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
            at=at,
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
            at=at,
        )


def seed() -> None:
    """Create categories, prices and each POSDAYA's bank sampah history."""
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        categories = seed_categories(today)
    member_user = User.objects.filter(username="nasabah-demo").first()
    if member_user is not None and Member.objects.filter(user=member_user).exists():
        member_user = None
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
                member_user if posdaya.slug == "bahagia" else None,
            )
