"""Orders at scale: build 200,000 orders, then time the pages that must stay fast.

Wired into the runner by the lead:

    from benchmarks import orders
    orders.build(orders=200_000)
    rows = orders.measure(client)          # [(page, queries, median ms, p95 ms)]
    rows += orders.placement_throughput()  # PostgreSQL only

Rows are bulk-created (no events): the benchmark reads, it does not replay history.
"""

import random
import secrets
import statistics
import threading
import time
from datetime import timedelta
from unittest import mock

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Product
from orders.models import Order, OrderLine, SubOrder
from orders.services import OrderError, place_order
from posdaya.models import Membership

RUNS = 30
BATCH = 2000


def _timestamps(start, step_seconds):
    """Yield each moment twice: created_at, then updated_at, object by object."""
    moment = start
    while True:
        yield moment
        yield moment
        moment += timedelta(seconds=step_seconds)


def build(orders: int = 200_000, seed: int = 7, first: int = 0) -> int:
    """Bulk-create `orders` orders spread over two years on existing products.

    Codes are numbered from `first`, so a second call tops an earlier build up.
    Sub-orders not new nor cancelled are paid an hour after they were placed,
    so the induk income report has product income to add up.
    """
    products = list(
        Product.objects.filter(status=Product.Status.PUBLISHED).values(
            "pk", "posdaya_id", "price", "name"
        )
    )
    if not products:
        raise RuntimeError("Load products first (seed_demo).")
    by_posdaya: dict[int, list[dict]] = {}
    for product in products:
        by_posdaya.setdefault(product["posdaya_id"], []).append(product)
    branches = sorted(by_posdaya)
    rng = random.Random(seed + first)
    span = 2 * 365 * 24 * 3600
    clock = _timestamps(timezone.now() - timedelta(seconds=span), span / orders)
    statuses = ["selesai"] * 17 + ["baru", "diproses", "dibatalkan"]
    settled = ["selesai"] * 19 + ["dibatalkan"]
    settled_before = timezone.now() - timedelta(days=14)
    created = 0
    # auto_now_add/auto_now ask timezone.now() twice per row: orders follow the
    # clock; each sub-order gets its order's moment.
    source = [clock]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: next(source[0])):
        while created < orders:
            size = min(BATCH, orders - created)
            plans = []
            for i in range(size):
                chosen = rng.sample(branches, k=1 if rng.random() < 0.8 else 2)
                parts = {
                    b: {
                        p["pk"]: (p, rng.randint(1, 3))
                        for p in rng.sample(by_posdaya[b], k=min(2, len(by_posdaya[b])))
                    }
                    for b in chosen
                }
                plans.append((first + created + i, parts))
            source[0] = clock
            order_rows = Order.objects.bulk_create(
                Order(
                    code=f"BX-{number:09d}",
                    secret=secrets.token_urlsafe(24),
                    checkout_token=f"bench-{number}",
                    name="Pembeli Uji",
                    phone="6281200000000",
                    delivery_method="ambil",
                    payment_method="transfer",
                    status="selesai",
                    items_total=sum(
                        p["price"] * q
                        for part in parts.values()
                        for p, q in part.values()
                    ),
                    delivery_total=0,
                    total=sum(
                        p["price"] * q
                        for part in parts.values()
                        for p, q in part.values()
                    ),
                )
                for number, parts in plans
            )
            sub_plans = []
            for order, (_number, parts) in zip(order_rows, plans, strict=True):
                for branch, part in parts.items():
                    subtotal = sum(p["price"] * q for p, q in part.values())
                    # Older orders have long been completed (or cancelled);
                    # only the last fortnight still has work in progress.
                    status = (
                        rng.choice(statuses)
                        if order.created_at >= settled_before
                        else rng.choice(settled)
                    )
                    sub = SubOrder(
                        order=order,
                        posdaya_id=branch,
                        status=status,
                        items_total=subtotal,
                        total=subtotal,
                        created_at=order.created_at,
                        paid_at=(
                            None
                            if status in ("baru", "dibatalkan")
                            else order.created_at + timedelta(hours=1)
                        ),
                    )
                    sub_plans.append((sub, part))
            source[0] = iter(
                [s.created_at for s, _ in sub_plans for _twice in range(2)]
            )
            subs = SubOrder.objects.bulk_create([s for s, _ in sub_plans])
            OrderLine.objects.bulk_create(
                OrderLine(
                    suborder=sub,
                    product_id=p["pk"],
                    product_name=p["name"],
                    unit_price=p["price"],
                    quantity=q,
                    line_total=p["price"] * q,
                )
                for sub, (_s, part) in zip(subs, sub_plans, strict=True)
                for p, q in part.values()
            )
            created += size
    align_suborder_times()
    return created


def align_suborder_times() -> None:
    """Give each benchmark sub-order its order's moment; paid an hour later.

    auto_now_add takes its value from the patched clock, which cannot tell
    which object asks; one UPDATE afterwards puts every sub-order on its order.
    """
    placed = Subquery(
        Order.objects.filter(pk=OuterRef("order_id")).values("created_at")[:1]
    )
    SubOrder.objects.filter(order__code__startswith="BX-").update(
        created_at=placed,
        updated_at=placed,
        paid_at=Case(
            When(paid_at__isnull=True, then=Value(None)),
            default=ExpressionWrapper(
                placed + Value(timedelta(hours=1)), output_field=DateTimeField()
            ),
        ),
    )


def _time(client, method, url, data=None, prepare=None, runs=RUNS):
    timings, queries = [], 0
    for _ in range(runs):
        if prepare:
            data = prepare()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
        queries = len(ctx)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return queries, round(statistics.median(timings), 1), round(p95, 1)


def _fill_cart(client, product_ids):
    session = client.session
    session["cart"] = {str(pk): 1 for pk in product_ids}
    session.save()


def measure(client: Client | None = None) -> list[tuple]:
    """Return (page, queries, median ms, p95 ms) rows for the order pages."""
    client = client or Client()
    ids = list(
        Product.objects.filter(status=Product.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    )
    Product.objects.filter(pk__in=ids).update(stock=F("stock") + 10 * RUNS)
    rows = []
    _fill_cart(client, ids)
    rows.append(("cart, 10 lines", *_time(client, "get", "/keranjang/")))
    rows.append(("checkout page, 10 lines", *_time(client, "get", "/checkout/")))

    def confirm_data():
        _fill_cart(client, ids)
        total = sum(Product.objects.filter(pk__in=ids).values_list("price", flat=True))
        return {
            "name": "Pembeli Uji",
            "phone": "081200000000",
            "delivery_method": "ambil",
            "payment_method": "transfer",
            "checkout_token": secrets.token_urlsafe(24),
            "expected_total": total,
            "confirm": "1",
        }

    rows.append(
        (
            "checkout placement, 10 lines",
            *_time(client, "post", "/checkout/", prepare=confirm_data),
        )
    )
    busiest = (
        SubOrder.objects.values("posdaya_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    membership = (
        Membership.objects.filter(
            posdaya_id=busiest["posdaya_id"], role=Membership.Role.PENGELOLA
        )
        .select_related("user", "posdaya")
        .first()
    )
    staff = Client()
    staff.force_login(membership.user)
    base = f"/dasbor/{membership.posdaya.slug}/pesanan/"
    total = Order.objects.count()
    rows.append((f"POSDAYA order list ({total:,} orders)", *_time(staff, "get", base)))
    rows.append(
        (
            f"POSDAYA order list, state baru ({total:,} orders)",
            *_time(staff, "get", base + "?status=baru"),
        )
    )
    # The last page by keyset: after the sub-order that ends the one before.
    last_page = max(1, -(-busiest["n"] // 25))
    newest_first = (
        SubOrder.objects.filter(posdaya_id=busiest["posdaya_id"])
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    cursor = newest_first[(last_page - 1) * 25 - 1] if last_page > 1 else ""
    rows.append(
        (
            f"POSDAYA order list, last page ({total:,} orders)",
            *_time(staff, "get", f"{base}?setelah={cursor}"),
        )
    )
    return rows


def placement_throughput(threads: int = 8, per_thread: int = 25) -> list[tuple]:
    """Place orders from `threads` concurrent clients; PostgreSQL only.

    Returns one row: (label, orders placed, refused, orders per second).
    """
    if connection.vendor != "postgresql":
        return [("placement throughput", "skipped: needs PostgreSQL", "", "")]
    ids = list(
        Product.objects.filter(status=Product.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    Product.objects.filter(pk__in=ids).update(stock=F("stock") + threads * per_thread)
    placed, refused = [0] * threads, [0] * threads
    barrier = threading.Barrier(threads)

    def worker(index):
        rng = random.Random(index)
        try:
            barrier.wait()
            for _ in range(per_thread):
                picks = rng.sample(ids, k=min(3, len(ids)))
                try:
                    place_order(
                        quantities=dict.fromkeys(picks, 1),
                        customer=None,
                        name="Pembeli Uji",
                        phone="6281200000000",
                        delivery_method="ambil",
                        payment_method="transfer",
                        checkout_token=secrets.token_urlsafe(24),
                    )
                    placed[index] += 1
                except OrderError:
                    refused[index] += 1
        finally:
            connection.close()

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    return [
        (
            f"placement throughput ({threads} clients, 3 lines, hot products)",
            sum(placed),
            sum(refused),
            round(sum(placed) / elapsed, 1),
        )
    ]
