#!/usr/bin/env python
"""Build scale data, time the key pages in-process, then under load.

    make bench                      # everything, SQLite (benchmarks/results/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pasar_bench make bench
    make bench BENCH_ARGS="--skip load,throughput --requests 10"

Uses its own database: the SQLite file benchmarks/results/bench.sqlite3 unless
DATABASE_URL is set. Defaults are the issue's sizes: 100,000 products, 200,000
orders, 5,000 members with 1,000,000 savings entries. Data already there is
reused (products and orders are topped up to the requested size; bank sampah
is built once: drop the database to change its size).

Sections: catalog, orders, banksampah and induk are timed in-process with
django.test.Client (queries, median, p95; whole-page cache off); throughput
places orders from concurrent clients (PostgreSQL); load runs gunicorn under
wrk beside the framework floor (benchmarks/load.py; whole-page cache on).
Prints a table and writes it to benchmarks/results/<date>-<db>.md.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))

BATCH = 5000
IMAGED_PRODUCTS = 300


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasar.settings.dev")
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(RESULTS / "media"))
    import django

    django.setup()
    from django.conf import settings

    # Placed orders send emails: keep them off the terminal.
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    }
    # One client and one phone number place every measured order: no checkout
    # throttle and no cap on open unpaid orders per phone or visitor (0: off;
    # with one phone its advisory lock would serialise every placement).
    settings.PASAR_RATE_LIMITS = {}
    settings.PASAR_MAX_OPEN_ORDERS_PER_PHONE = 0
    settings.PASAR_MAX_OPEN_ORDERS_PER_VISITOR = 0


# ---- catalog -------------------------------------------------------------------


def build_catalog(products: int) -> None:
    """Top the catalog up to `products` rows over the 16 POSDAYA."""
    import random

    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    import catalog.demo
    import posdaya.demo
    from catalog.models import Category, Product, ProductImage
    from posdaya.models import Posdaya

    posdaya.demo.seed()
    catalog.demo.seed()  # categories, waste categories, 120 products with photos
    existing = Product.objects.count()
    if existing >= products:
        return
    rng = random.Random(42)
    branches = list(Posdaya.objects.order_by("pk"))
    categories = {c.slug: c for c in Category.objects.all()}
    kinds = list(catalog.demo.PRODUCT_KINDS.items())
    adjectives = [
        "Motif Batik",
        "Warna Cerah",
        "Ukuran Besar",
        "Mini",
        "Premium",
        "Klasik",
        "Polos",
        "Motif Bunga",
        "Edisi Lebaran",
        "Set Hemat",
    ]
    now = timezone.now()
    todo = products - existing
    print(f"building {todo} products…", flush=True)
    start = existing
    while todo > 0:
        size = min(BATCH, todo)
        rows = []
        for offset in range(size):
            number = start + offset
            slug_cat, (names, description, (low, high), _) = kinds[number % len(kinds)]
            name = f"{rng.choice(names)} {rng.choice(adjectives)}"
            status = (
                "published" if rng.random() < 0.9 else rng.choice(["draft", "archived"])
            )
            rows.append(
                Product(
                    posdaya=branches[number % len(branches)],
                    category=categories[slug_cat],
                    name=name,
                    slug=f"{slugify(name)}-b{number}",
                    description=description,
                    price=rng.randrange(low, high + 1, 1000),
                    stock=0 if rng.random() < 0.1 else rng.randint(1, 50),
                    weight_grams=rng.choice([100, 250, 500, 1000]),
                    status=status,
                    sold_count=rng.randint(0, 500),
                    published_at=(
                        now - timedelta(minutes=rng.randint(0, 60 * 24 * 720))
                        if status != "draft"
                        else None
                    ),
                )
            )
        with transaction.atomic():
            Product.objects.bulk_create(rows, batch_size=1000)
        start += size
        todo -= size
        print(f"  {start} products", flush=True)
    # Photos on a few hundred products, sharing the files of the demo photos.
    photos = list(ProductImage.objects.order_by("pk")[:20])
    targets = Product.objects.filter(images__isnull=True).order_by("-pk")[
        :IMAGED_PRODUCTS
    ]
    ProductImage.objects.bulk_create(
        ProductImage(
            product=product,
            original=photo.original.name,
            small=photo.small.name,
            large=photo.large.name,
            small_width=photo.small_width,
            small_height=photo.small_height,
            large_width=photo.large_width,
            large_height=photo.large_height,
            alt_text=product.name,
            position=0,
        )
        for product, photo in zip(
            targets,
            (photos[i % len(photos)] for i in range(IMAGED_PRODUCTS)),
            strict=False,
        )
    )


def catalog_pages() -> list[tuple[str, str]]:
    """Return the public catalog pages to time: (label, URL)."""
    from catalog.selectors import public_products

    product = public_products().filter(images__isnull=False).order_by("-pk").first()
    return [
        ("home", "/"),
        ("/produk/", "/produk/"),
        ("/produk/?q=tas", "/produk/?q=tas"),
        ("/produk/?q=dompett (typo)", "/produk/?q=dompett"),
        ("/produk/?q=tas+plastik", "/produk/?q=tas+plastik"),
        ("/produk/?q=tas&urut=termurah", "/produk/?q=tas&urut=termurah"),
        (
            "/produk/?q=tas&kategori=tas&harga_max=80000",
            "/produk/?q=tas&kategori=tas&harga_max=80000",
        ),
        ("/produk/?q=tas&page=15", "/produk/?q=tas&page=15"),
        ("/produk/?q=sepatu (nothing found)", "/produk/?q=sepatu"),
        (
            "/produk/ filters + sort",
            "/produk/?kategori=tas&posdaya=bahagia&harga_min=20000"
            "&harga_max=150000&tersedia=1&urut=termurah",
        ),
        (
            "/produk/?harga_min=20000&harga_max=150000",
            "/produk/?harga_min=20000&harga_max=150000",
        ),
        ("/produk/?tersedia=1&urut=termahal", "/produk/?tersedia=1&urut=termahal"),
        (
            "/produk/?posdaya=bahagia&urut=termurah",
            "/produk/?posdaya=bahagia&urut=termurah",
        ),
        ("/produk/?urut=terlaris&page=40", "/produk/?urut=terlaris&page=40"),
        ("/kategori/tas/", "/kategori/tas/"),
        ("product page", product.get_absolute_url()),
        ("POSDAYA page", "/posdaya/bahagia/"),
    ]


# ---- orders, bank sampah, induk -------------------------------------------------


def build_orders(args) -> None:
    """Top the benchmark orders (codes BX-…) up to --orders."""
    from benchmarks import orders
    from orders.models import Order

    existing = Order.objects.filter(code__startswith="BX-").count()
    if existing < args.orders:
        print(f"building {args.orders - existing} orders…", flush=True)
        orders.build(orders=args.orders - existing, first=existing)


def build_banksampah(args) -> None:
    """Members and savings entries at POSDAYA Bahagia (built once)."""
    from django.contrib.auth import get_user_model

    from banksampah.models import Member
    from benchmarks import banksampah

    if args.members and args.entries:
        print(f"building {args.members} members, {args.entries} entries…", flush=True)
        banksampah.build(members=args.members, entries=args.entries)
    # /tabungan/: a nasabah account linked to a member with many entries.
    user, _ = get_user_model().objects.get_or_create(username="bench-nasabah")
    if not Member.objects.filter(user=user).exists():
        member = (
            Member.objects.filter(posdaya__slug=banksampah.SLUG, user__isnull=True)
            .order_by("pk")
            .first()
        )
        if member is not None:
            Member.objects.filter(pk=member.pk).update(user=user)


def build_induk(args) -> None:
    """Weekly pengepul sales at each of the 16 POSDAYA over two years (waste income)."""
    import datetime as dt
    import random

    from django.utils import timezone

    from banksampah.models import PengepulSale
    from posdaya.models import Posdaya

    if PengepulSale.objects.filter(buyer_name="Pengepul Benchmark").exists():
        return
    rng = random.Random(11)
    today = timezone.localdate()
    PengepulSale.objects.bulk_create(
        (
            PengepulSale(
                posdaya=branch,
                buyer_name="Pengepul Benchmark",
                sold_on=today - dt.timedelta(days=7 * week + rng.randint(0, 6)),
                total_amount=rng.randrange(50_000, 1_500_000, 500),
            )
            for branch in Posdaya.objects.order_by("pk")
            for week in range(104)
        ),
        batch_size=BATCH,
    )


def _signed_in(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def orders_rows(args) -> list[tuple]:
    from benchmarks import orders

    return orders.measure()


def banksampah_rows(args) -> list[tuple]:
    from django.test import Client

    from banksampah.models import Member, SavingsEntry
    from benchmarks import banksampah

    member = Member.objects.get(user__username="bench-nasabah")
    entries = SavingsEntry.objects.filter(member=member).count()
    rows = [
        (
            f"/tabungan/ (nasabah, {entries} entries)",
            *measure("/tabungan/", args.requests, _signed_in("bench-nasabah")),
        )
    ]
    return rows + banksampah.measure(Client(), repeat=args.requests)


def induk_rows(args) -> list[tuple]:
    """The weekly income report, 16 POSDAYA × 12 weeks: the page and the selector."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pasar.dates import this_week
    from pasar.site import reports
    from posdaya.models import Posdaya

    monday, _sunday = this_week()
    end = monday - dt.timedelta(days=1)  # the last complete week
    start = end - dt.timedelta(weeks=12) + dt.timedelta(days=1)
    branches = Posdaya.objects.count()
    url = f"/dasbor/induk/?dari={start:%Y-%m-%d}&sampai={end:%Y-%m-%d}"
    koordinator = _signed_in("koordinator")
    rows = [
        (
            f"induk report page, {branches} POSDAYA × 12 closed weeks",
            *measure(url, args.requests, koordinator),
        ),
        (
            # The page as it opens: the last 12 weeks, this (open) one live.
            f"induk report page, {branches} POSDAYA × 12 weeks with this one",
            *measure("/dasbor/induk/", args.requests, koordinator),
        ),
    ]
    timings = []
    for _ in range(args.requests + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = reports.income_per_week(start=start, end=end)
            timings.append((time.perf_counter() - started) * 1000)
    assert len(report.rows) == branches and len(report.weeks) == 12
    rows.append(
        (
            "income_per_week() selector alone",
            len(queries),
            *_median_p95(timings[1:]),
        )
    )
    return rows


def search_rows(args) -> list[tuple]:
    """The search selector alone: matching, ranking, the count and one page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog import selectors

    rows = []
    for query in ("tas", "tas plastik", "dompett"):
        timings = []
        for _ in range(args.requests + 2):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = selectors.search_products(selectors.public_products(), query)
                result.products.count()
                page = list(result.products[:24])
                timings.append((time.perf_counter() - started) * 1000)
        assert page
        rows.append(
            (
                f"search_products({query!r}) + count + page",
                len(queries),
                *_median_p95(timings[2:]),
            )
        )
    return rows


SESSION_PAGES = (
    "home",
    "/produk/",
    "/produk/?q=tas",
    "/produk/ filters + sort",
    "/kategori/tas/",
    "product page",
    "POSDAYA page",
)


def session_rows(args) -> list[tuple]:
    """The pages a guest with a cart gets, page cache on: fragments + base.html."""
    from django.test import Client
    from django.test.utils import override_settings

    from catalog.selectors import public_products

    guest = Client()
    product = public_products().filter(stock__gt=0).order_by("-pk").first()
    guest.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    rows = []
    with override_settings(PASAR_PAGE_CACHE=True):
        for label, url in catalog_pages():
            if label in SESSION_PAGES:
                figures = measure(url, args.requests, client=guest)
                rows.append((f"{label}, guest with a cart, cache on", *figures))
    return rows


def catalog_rows(args) -> list[tuple]:
    pages = [(label, *measure(url, args.requests)) for label, url in catalog_pages()]
    return pages + search_rows(args) + session_rows(args)


SECTIONS = {
    # name: (build(args), rows(args) -> [(page, queries, median ms, p95 ms)])
    "catalog": (lambda args: build_catalog(args.products), catalog_rows),
    "orders": (build_orders, orders_rows),
    "banksampah": (build_banksampah, banksampah_rows),
    "induk": (build_induk, induk_rows),
}
# Not in-process: placement from concurrent clients, and gunicorn under wrk.
EXTRA = ("throughput", "load")


# ---- measuring -----------------------------------------------------------------


def _median_p95(timings: list[float]) -> tuple[float, float]:
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) > 1 else timings[0]
    return statistics.median(timings), p95


def measure(url: str, requests: int, client=None) -> tuple[int, float, float]:
    """Return (queries, median ms, p95 ms) of GET `url` over `requests` runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = client or Client()
    # The log is a deque of 9000: once full, CaptureQueriesContext counts 0.
    connection.queries_log.clear()
    for _ in range(2):  # warm caches, templates, connection
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next request clears the log it reads
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return count, *_median_p95(timings)


def database_label() -> tuple[str, str]:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        return "postgresql", f"PostgreSQL {version}"
    import sqlite3

    return connection.vendor, f"SQLite {sqlite3.sqlite_version}"


SHOPPER = ("bench-pembeli", "bench-pembeli-sandi-1")


def load_rows(args) -> list[dict]:
    """The public pages under gunicorn + wrk, beside the floors, by 3 visitors.

    A visitor without a cookie (whole-page cache), a guest with a cart and a
    signed-in shopper with a cart (fragments, base.html rendered per request).
    """
    import functools

    from django.contrib.auth import get_user_model

    from benchmarks import load
    from catalog.selectors import public_products

    product = (
        public_products()
        .filter(images__isnull=False, stock__gt=0)
        .order_by("-pk")
        .first()
    )
    username, password = SHOPPER
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    credentials = {
        "product_path": product.get_absolute_url(),
        "username": username,
        "password": password,
    }
    extra = {"REDIS_URL": args.redis_url} if args.redis_url else None
    return load.run_load(
        database_url=os.environ["DATABASE_URL"],
        pages={
            "home": "/",
            "/produk/": "/produk/",
            "/produk/ filtered": "/produk/?kategori=tas&urut=termurah",
            "/kategori/tas/": "/kategori/tas/",
            "POSDAYA storefront": "/posdaya/bahagia/",
            "product page": product.get_absolute_url(),
            "/produk/?q=tas": "/produk/?q=tas",
            "/produk/?q=dompett (typo)": "/produk/?q=dompett",
        },
        seconds=args.load_seconds,
        visitors={
            "guest with a cart": functools.partial(
                load.guest_with_a_cart, **credentials
            ),
            "signed in": functools.partial(load.signed_in_shopper, **credentials),
        },
        rounds=args.load_rounds,
        env_extra=extra,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="per page")
    parser.add_argument("--threads", type=int, default=8, help="placing clients")
    parser.add_argument("--load-seconds", type=int, default=8, help="per wrk run")
    parser.add_argument(
        "--load-rounds", type=int, default=3, help="interleaved load rounds"
    )
    parser.add_argument(
        "--redis-url", default="", help="load with this Redis as the cache"
    )
    every = [*SECTIONS, *EXTRA]
    parser.add_argument(
        "--sections",
        default=",".join(every),
        help="comma-separated: " + ",".join(every),
    )
    parser.add_argument("--skip", default="", help="sections to leave out")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    skip = {name.strip() for name in args.skip.split(",")}
    sections = [
        name.strip()
        for name in args.sections.split(",")
        if name.strip() and name.strip() not in skip
    ]
    unknown = set(sections) - set(every)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    began = time.monotonic()
    call_command("migrate", verbosity=0)
    # The data each section reads: orders need products, bank sampah the
    # POSDAYA, the induk report both. Data already there is reused.
    needs = {
        "catalog": {"catalog"},
        "orders": {"catalog", "orders"},
        "banksampah": {"catalog", "banksampah"},
        "induk": {"catalog", "orders", "banksampah", "induk"},
        "throughput": {"catalog"},
        "load": {"catalog"},
    }
    wanted = set().union(*(needs[name] for name in sections))
    for name in SECTIONS:
        if name in wanted:
            SECTIONS[name][0](args)
    with connection.cursor() as cursor:
        # Fresh planner statistics after the bulk load (and, on PostgreSQL, the
        # visibility map that index-only counts need), as a settled database has.
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )
        if connection.vendor == "sqlite":
            # SQLite's ANALYZE counts NULLs as one value: an index on a column
            # that is NULL in every row (reversal_of, withdrawal, by, …) looks
            # as if a lookup matched the whole table, and the planner scanned
            # the 1M-entry ledger per passbook row instead (8 s a page). Drop
            # every statistic whose leading column holds a single value (those
            # NULL columns; one POSDAYA or one status in the scale data): it
            # says nothing about a lookup of a real value, and SQLite then
            # assumes its default of a few rows per key.
            cursor.execute(
                "DELETE FROM sqlite_stat1 WHERE stat LIKE '% %' AND"
                " substr(stat, 1, instr(stat, ' ') - 1) ="
                " substr(substr(stat, instr(stat, ' ') + 1), 1,"
                " instr(substr(stat, instr(stat, ' ') + 1) || ' ', ' ') - 1)"
                " AND substr(stat, 1, instr(stat, ' ') - 1) + 0 > 1"
            )
            cursor.execute("ANALYZE sqlite_schema")  # reload the statistics
    built = time.monotonic() - began
    print(f"data ready in {built:.0f} s", flush=True)

    from banksampah.models import SavingsEntry
    from catalog.models import Product
    from orders.models import Order

    db_key, db_name = database_label()
    rows = []
    # Measure as in production: DEBUG off, plain static storage (no manifest),
    # and without the anonymous whole-page cache, so the page work is timed.
    with override_settings(
        DEBUG=False,
        PASAR_PAGE_CACHE=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
    ):
        for name in sections:
            if name not in SECTIONS:
                continue
            for label, queries, median, p95 in SECTIONS[name][1](args):
                rows.append((name, label, queries, median, p95))
                print(f"  {label:<48} {queries:>3} q {median:8.1f} ms {p95:8.1f} ms")

    throughput = []
    if "throughput" in sections:
        from benchmarks import orders

        throughput = orders.placement_throughput(threads=args.threads)
        print("  ", throughput, flush=True)
    load = []
    if "load" in sections:
        if connection.vendor == "sqlite":
            # gunicorn's workers open the file themselves: let go of it.
            connection.close()
        load = load_rows(args)
        for row in load:
            print(
                f"  {row['page']:<36} {row['visitor']:<18} "
                f"{row['rps']:>8.1f} req/s  ×{row['ratio']:.2f}"
            )

    today = timezone.localdate().isoformat()
    command = "DATABASE_URL=… " if db_key == "postgresql" else ""
    command += "make bench"
    if sys.argv[1:]:
        command += f" BENCH_ARGS='{' '.join(sys.argv[1:])}'"
    lines = [
        f"### {today}, {db_name}",
        "",
        f"`{command}`: {Product.objects.count():,} products, "
        f"{Order.objects.count():,} orders, {SavingsEntry.objects.count():,} "
        f"savings entries; data ready in {built:.0f} s, whole run "
        f"{time.monotonic() - began:.0f} s.",
        "",
    ]
    if rows:
        lines += [
            f"In-process (django.test.Client, DEBUG off, whole-page cache off: "
            f"the page's own work), {args.requests} requests per page:",
            "",
            "| section | page | queries | median ms | p95 ms |",
            "|---|---|---:|---:|---:|",
            *(
                f"| {section} | {label} | {queries} | {median:.1f} | {p95:.1f} |"
                for section, label, queries, median, p95 in rows
            ),
            "",
        ]
    if throughput:
        lines += [
            "Order placement, concurrent clients (threads, one connection each):",
            "",
            "| run | placed | refused | orders/s |",
            "|---|---:|---:|---:|",
            *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in throughput),
            "",
        ]
    if load:
        visitors = list(dict.fromkeys(row["visitor"] for row in load))
        by_page: dict = {}
        for row in load:
            by_page.setdefault(row["page"], {})[row["visitor"]] = row
        cache_name = "Redis" if args.redis_url else "the database cache"
        lines += [
            f"Under load (gunicorn, 3 sync workers, production settings, "
            f"persistent connections, page cache on, {cache_name}; wrk -t2 -c8 "
            f"-d{args.load_seconds}s on 127.0.0.1, {args.load_rounds} interleaved "
            f"rounds, each page's ratio to the floor of its round, medians):",
            "",
            "| page | " + " | ".join(f"{v} rps | ratio" for v in visitors) + " |",
            "|---|" + "---:|---:|" * len(visitors),
            *(
                f"| {page} | "
                + " | ".join(
                    f"{cells[v]['rps']:.0f} | {cells[v]['ratio']:.2f}"
                    if v in cells
                    else " | "
                    for v in visitors
                )
                + " |"
                for page, cells in by_page.items()
            ),
            "",
        ]
    table = "\n".join(lines)
    print()
    print(table)
    out = RESULTS / f"{today}-{db_key}.md"
    out.write_text(table)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
