#!/usr/bin/env python
"""Build scale data and time the public pages in-process.

    .venv/bin/python benchmarks/run.py --products 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pasar_bench \\
        .venv/bin/python benchmarks/run.py --products 100000

Uses its own database: the SQLite file benchmarks/results/bench.sqlite3 unless
DATABASE_URL is set. Data already there is reused (built once, topped up to the
requested size). Each section is a pair of functions (build the data, list the
pages) in SECTIONS, so orders and bank sampah can add theirs. Prints a table and
writes it to benchmarks/results/<date>-<db>.md.
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


SECTIONS = {
    # name: (build(products), pages()); orders and bank sampah add theirs here.
    "catalog": (build_catalog, catalog_pages),
}


# ---- measuring -----------------------------------------------------------------


def measure(url: str, requests: int) -> tuple[int, float, float]:
    """Return (queries, median ms, p95 ms) of GET `url` over `requests` runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
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
    p95 = statistics.quantiles(timings, n=20)[18] if len(timings) > 1 else timings[0]
    return count, statistics.median(timings), p95


def database_label() -> tuple[str, str]:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        return "postgresql", f"PostgreSQL {version}"
    import sqlite3

    return connection.vendor, f"SQLite {sqlite3.sqlite_version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help="comma-separated"
    )
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    sections = [name.strip() for name in args.sections.split(",") if name.strip()]
    for name in sections:
        SECTIONS[name][0](args.products)
    with connection.cursor() as cursor:
        # Fresh planner statistics after the bulk load (and, on PostgreSQL, the
        # visibility map that index-only counts need), as a settled database has.
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )

    from catalog.models import Product

    db_key, db_name = database_label()
    rows = []
    # Measure as in production: DEBUG off, plain static storage (no manifest).
    with override_settings(
        DEBUG=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
    ):
        for name in sections:
            for label, url in SECTIONS[name][1]():
                queries, median, p95 = measure(url, args.requests)
                rows.append((name, label, queries, median, p95))
                print(f"  {label:<34} {queries:>3} q {median:8.1f} ms {p95:8.1f} ms")

    today = timezone.localdate().isoformat()
    command = "DATABASE_URL=… " if db_key == "postgresql" else ""
    command += f".venv/bin/python benchmarks/run.py --products {args.products}"
    lines = [
        f"### {today}, {db_name}, {Product.objects.count():,} products "
        f"({args.requests} requests per page)",
        "",
        f"`{command}`",
        "",
        "| section | page | queries | median ms | p95 ms |",
        "|---|---|---:|---:|---:|",
        *(
            f"| {section} | {label} | {queries} | {median:.1f} | {p95:.1f} |"
            for section, label, queries, median, p95 in rows
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
