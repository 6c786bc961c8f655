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
from django.db.models import Count, F
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


def build(orders: int = 200_000, seed: int = 7) -> int:
    """Bulk-create `orders` orders spread over two years on existing products."""
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
    rng = random.Random(seed)
    span = 2 * 365 * 24 * 3600
    clock = _timestamps(timezone.now() - timedelta(seconds=span), span / orders)
    statuses = ["selesai"] * 17 + ["baru", "diproses", "dibatalkan"]
    created = 0
    with mock.patch("django.utils.timezone.now", side_effect=lambda: next(clock)):
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
                plans.append((created + i, parts))
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
                    sub = SubOrder(
                        order=order,
                        posdaya_id=branch,
                        status=rng.choice(statuses),
                        items_total=subtotal,
                        total=subtotal,
                        created_at=order.created_at,
                    )
                    sub_plans.append((sub, part))
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
    return created


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
    last_page = max(1, -(-busiest["n"] // 25))
    rows.append(
        (
            f"POSDAYA order list, last page ({total:,} orders)",
            *_time(staff, "get", f"{base}?page={last_page}"),
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
