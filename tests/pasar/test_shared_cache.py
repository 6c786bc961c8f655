"""As deployed: gunicorn with two workers, production settings, no Redis.

Every worker must answer from the same cache: a price raised by a pengelola
and stock returned by `expire_orders` (both in another process, as on another
server) show on every worker's next page, and the sign-in lockout counts the
failures every worker saw. Runs on SQLite and PostgreSQL alike (a fresh
database of the suite's kind, migrated with production settings).
"""

import textwrap

import pytest

from benchmarks.load import Gunicorn, collect_static, server_environment

from .servers import (
    AccessLog,
    Shopper,
    free_port,
    fresh_database_url,
    in_pairs,
    manage,
)

PASSWORD = "kata-sandi-benar-77"
REFUSED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
WORKERS = 2

SEED = textwrap.dedent(
    f"""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from catalog.models import Category, Product
    from orders.services import place_order
    from posdaya.models import Membership, Posdaya
    posdaya = Posdaya.objects.create(
        name="POSDAYA Bahagia", slug="bahagia", code="BHG", rw="07",
        address="Jl. Melati", whatsapp="6281234567890",
    )
    category = Category.objects.create(name="Tas", slug="tas")
    for slug, name, price in [("tas-kopi", "Tas Kopi", 25000),
                              ("dompet-kopi", "Dompet Kopi", 15000)]:
        Product.objects.create(
            posdaya=posdaya, category=category, name=name, slug=slug,
            description="Anyaman.", price=price, stock=10, status="published",
            published_at=timezone.now(),
        )
    users = get_user_model().objects
    pengelola = users.create_user("pengelola", password="{PASSWORD}")
    Membership.objects.create(user=pengelola, posdaya=posdaya, role="pengelola")
    users.create_user("siti", "siti@example.org", "{PASSWORD}")
    users.create_user("ani", "ani@example.org", "{PASSWORD}")
    # Due at once (PASAR_ORDER_EXPIRY_HOURS=0): expire_orders returns its stock.
    place_order(
        quantities={{Product.objects.get(slug="dompet-kopi").pk: 3}}, customer=None,
        name="Budi", phone="6281298765432", delivery_method="ambil",
        payment_method="transfer", checkout_token="seed-order-1",
    )
    """
)

RAISE_PRICE = textwrap.dedent(
    """
    from django.contrib.auth import get_user_model
    from catalog.models import Product
    from catalog.services import update_product
    product = Product.objects.get(slug="tas-kopi")
    update_product(
        product=product, by=get_user_model().objects.get(username="pengelola"),
        category=product.category, name=product.name, price=27500,
        description=product.description, weight_grams=product.weight_grams,
    )
    """
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two gunicorn workers as the README deploys them, without REDIS_URL."""
    directory = tmp_path_factory.mktemp("site")
    with fresh_database_url(directory) as database_url:
        env = server_environment(
            database_url,
            {
                "PASAR_BENCH_FLOOR": "0",
                "PASAR_SERVE_MEDIA": "0",
                # Each sign-in attempt comes from its own address, so only the
                # per-account limit (5 in 5 minutes) applies.
                "PASAR_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
                "DJANGO_STATIC_ROOT": str(directory / "static"),
                "MEDIA_ROOT": str(directory / "media"),
                "PASAR_PRIVATE_MEDIA_ROOT": str(directory / "private"),
            },
        )
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput", "-v0")
        manage({**env, "PASAR_ORDER_EXPIRY_HOURS": "0"}, "shell", "-c", SEED)
        collect_static(env)
        log = AccessLog(directory / "access.log")
        with Gunicorn(env, free_port(), WORKERS, extra_args=log.arguments()) as server:
            yield server, log, env


def visit(site, path: str) -> tuple[str, str, str]:
    """GET `path` without cookies; return (worker pid, page, X-Page-Cache)."""
    server, log, _env = site
    headers = log.probe()
    response = Shopper().get(server.url(path), headers=headers)
    assert response.status_code == 200
    return log.worker(headers), response.text, response.headers.get("X-Page-Cache")


def warm_every_worker(site, path: str, expected: str) -> None:
    """Visit until every worker has answered `path` (and so may have kept it)."""
    workers = set()
    for worker, page, _hit in in_pairs(lambda _i: visit(site, path), 200):
        assert expected in page
        workers.add(worker)
        if len(workers) == WORKERS:
            return
    raise AssertionError(f"only {len(workers)} worker(s) answered")


def every_worker_shows(site, path: str, expected: str, stale: str) -> dict:
    """Visit until each worker answered at least 5 times; all must be fresh."""
    answers: dict[str, list[bool]] = {}
    for worker, page, _hit in in_pairs(lambda _i: visit(site, path), 200):
        answers.setdefault(worker, []).append(expected in page and stale not in page)
        if len(answers) == WORKERS and min(map(len, answers.values())) >= 5:
            break
    assert len(answers) == WORKERS
    return {worker: all(fresh) for worker, fresh in answers.items()}


def test_a_raised_price_shows_on_every_worker_at_once(site):
    warm_every_worker(site, "/produk/tas-kopi/", "Rp\xa025.000")
    # The pengelola's change, in a process of its own (another worker, another
    # server): the services bump the catalogue version after commit.
    manage(site[2], "shell", "-c", RAISE_PRICE)
    fresh = every_worker_shows(
        site, "/produk/tas-kopi/", "Rp\xa027.500", "Rp\xa025.000"
    )
    assert fresh == dict.fromkeys(fresh, True)


def test_stock_returned_by_expire_orders_shows_on_every_worker(site):
    warm_every_worker(site, "/produk/dompet-kopi/", "Tersedia (7)")
    assert "1 order(s) expired." in manage(site[2], "expire_orders")
    fresh = every_worker_shows(
        site, "/produk/dompet-kopi/", "Tersedia (10)", "Tersedia (7)"
    )
    assert fresh == dict.fromkeys(fresh, True)


def sign_in(site, username: str, password: str, address: str):
    """One sign-in from a fresh browser at `address`; return (worker, response)."""
    server, log, _env = site
    browser = Shopper()
    browser.headers["X-Real-IP"] = address
    assert browser.get(server.url("/akun/login/")).status_code == 200
    headers = log.probe()
    response = browser.post(
        server.url("/akun/login/"),
        data={
            "csrfmiddlewaretoken": browser.csrf(),
            "login": username,
            "password": password,
        },
        headers=headers,
        allow_redirects=False,
    )
    return log.worker(headers), response


def test_sign_in_lockout_counts_the_failures_of_every_worker(site):
    # Eight wrong passwords: fewer than five per worker if each kept its own count.
    for attempt in range(8):
        _worker, response = sign_in(site, "siti", "salah-tebak", f"10.1.0.{attempt}")
        assert response.status_code in (200, 429)
    # The right password is now refused by every worker (5 per account in 5 min).
    answers: dict[str, list[bool]] = {}
    attempts = in_pairs(
        lambda attempt: sign_in(site, "siti", PASSWORD, f"10.2.0.{attempt}"), 40
    )
    for worker, response in attempts:
        refused = response.status_code in (200, 429) and REFUSED in response.text
        answers.setdefault(worker, []).append(refused)
        if len(answers) == WORKERS and min(map(len, answers.values())) >= 2:
            break
    assert len(answers) == WORKERS
    assert {worker: all(refusals) for worker, refusals in answers.items()} == (
        dict.fromkeys(answers, True)
    )
    # The lockout is per account: another one still signs in.
    _worker, response = sign_in(site, "ani", PASSWORD, "10.3.0.1")
    assert response.status_code == 302
