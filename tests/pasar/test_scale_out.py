"""Scale-out: two gunicorn servers, one PostgreSQL database, one Redis.

A shopper's requests alternate between the two servers: the cart filled on one
is seen on the other, checkout is started on one and confirmed on the other, and
both show the order. Sessions (cached_db) and the cache live in Redis and the
database, not in a process, so any server can answer any request.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from benchmarks.load import Gunicorn, collect_static, server_environment

from .servers import ROOT, Shopper, free_port, fresh_database_url

REDIS_PORT = 6379
# A database of its own, emptied at the start (another number per checkout).
REDIS_DB = int(os.environ.get("PASAR_TEST_REDIS_DB", "7"))

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
    ),
    pytest.mark.django_db,
]

SEED = """
from django.utils import timezone
from catalog.models import Category, Product
from posdaya.models import Posdaya
posdaya = Posdaya.objects.create(
    name="POSDAYA Bahagia", slug="bahagia", code="BHG", rw="07",
    address="Jl. Melati", whatsapp="6281234567890",
)
category = Category.objects.create(name="Tas", slug="tas")
Product.objects.create(
    posdaya=posdaya, category=category, name="Tas Kopi Skala", slug="tas-kopi-skala",
    description="Tas anyaman.", price=25000, stock=10, status="published",
    published_at=timezone.now(),
)
"""


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def redis_url():
    if not port_open(REDIS_PORT):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
        subprocess.run(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not port_open(REDIS_PORT) and time.monotonic() < deadline:
            time.sleep(0.1)
    import redis

    client = redis.Redis(host="127.0.0.1", port=REDIS_PORT, db=REDIS_DB)
    client.flushdb()
    yield f"redis://127.0.0.1:{REDIS_PORT}/{REDIS_DB}", client
    client.flushdb()


@pytest.fixture
def scale_database(tmp_path):
    """A fresh database on the test server, migrated, with one product."""
    with fresh_database_url(tmp_path) as url:
        yield url


def test_cart_checkout_and_order_page_across_two_servers(
    redis_url, scale_database, tmp_path
):
    url, redis_client = redis_url
    env = server_environment(
        scale_database,
        {
            "REDIS_URL": url,
            "PASAR_BENCH_FLOOR": "0",
            "PASAR_SERVE_MEDIA": "0",
            # Static files collected apart: the worktree's staticfiles/ may be
            # read by another test run at the same moment.
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PASAR_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        },
    )
    for command in (["migrate", "--noinput", "-v0"], ["shell", "-c", SEED]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True
        )
    collect_static(env)

    with contextlib.ExitStack() as servers:
        a = servers.enter_context(Gunicorn(env, free_port(), workers=1))
        b = servers.enter_context(Gunicorn(env, free_port(), workers=1))
        shopper = Shopper()

        page = shopper.get(a.url("/produk/tas-kopi-skala/"))
        assert page.status_code == 200
        product_id = re.search(r'name="product" value="(\d+)"', page.text).group(1)

        added = shopper.post(
            b.url("/keranjang/tambah/"),
            data={
                "csrfmiddlewaretoken": shopper.csrf(),
                "product": product_id,
                "quantity": "2",
            },
            allow_redirects=False,
        )
        assert added.status_code == 302

        cart = shopper.get(a.url("/keranjang/"))
        assert "Tas Kopi Skala" in cart.text
        assert "Rp\xa050.000" in cart.text

        checkout = shopper.get(b.url("/checkout/"))
        assert checkout.status_code == 200
        token = re.search(r'name="checkout_token" value="([^"]+)"', checkout.text)
        form = {
            "csrfmiddlewaretoken": shopper.csrf(),
            "name": "Budi Skala",
            "phone": "081298765432",
            "email": "",
            "delivery_method": "ambil",
            "payment_method": "transfer",
            "checkout_token": token.group(1),
        }
        summary = shopper.post(a.url("/checkout/"), data=form)
        assert summary.status_code == 200
        total = re.search(r'name="expected_total" value="(\d+)"', summary.text)
        assert total.group(1) == "50000"

        placed = shopper.post(
            b.url("/checkout/"),
            data={**form, "expected_total": total.group(1), "confirm": "1"},
            allow_redirects=False,
        )
        assert placed.status_code == 302
        order_path = placed.headers["Location"]
        assert order_path.startswith("/pesanan/")
        code = order_path.split("/")[2]

        for server in (a, b):
            order_page = shopper.get(server.url(order_path))
            assert order_page.status_code == 200
            assert code in order_page.text
            assert "Menunggu pembayaran" in order_page.text
        # The cart was emptied once, for both servers.
        assert "Tas Kopi Skala" not in shopper.get(b.url("/keranjang/")).text

        # The session lives in Redis (and the database), not in a process.
        session_key = shopper.cookies.get("sessionid")
        assert any(key.endswith(session_key.encode()) for key in redis_client.keys("*"))

    with psycopg.connect(scale_database.replace("postgres://", "postgresql://")) as db:
        orders = db.execute("SELECT code, name, total FROM orders_order").fetchall()
    assert orders == [(code, "Budi Skala", 50000)]
