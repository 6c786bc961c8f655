"""The shared caches as configured: never a process's own memory outside tests.

Without REDIS_URL every cache is the database's (its tables made by migrate);
production refuses a per-process cache (pasar/checks.py, run by `check`,
`migrate` and pasar/wsgi.py); allauth's counts and the catalogue version are
right on the database cache across connections (PostgreSQL thread tests).
"""

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml
from allauth.core.internal import ratelimit
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from catalog.services import update_product
from pasar import checks, pagecache
from pasar.settings import base

from ..conftest import race
from ..factories import PASSWORD, ProductFactory, UserFactory
from .test_deploy import KEY, ROOT, run_manage

# Made by pasar/migrations/0003_cache_tables.py.
CACHE_TABLES = {"pasar_cache", "pasar_page_cache"}

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DATABASE_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pasar_cache",
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pasar_page_cache",
    },
}
REFUSED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps([settings.CACHES, settings.SESSION_ENGINE]))"
)


def configured(**env) -> tuple[dict, str]:
    result = run_manage("shell", "-c", SHOW, DJANGO_SECRET_KEY=KEY, **env)
    assert result.returncode == 0, result.stderr[-3000:]
    caches_, engine = json.loads(result.stdout.strip().splitlines()[-1])
    return caches_, engine


def test_without_redis_every_cache_is_the_database_cache():
    caches_, engine = configured(REDIS_URL="")
    assert {alias: c["BACKEND"] for alias, c in caches_.items()} == {
        "default": "django.core.cache.backends.db.DatabaseCache",
        "pages": "django.core.cache.backends.db.DatabaseCache",
    }
    assert {c["LOCATION"] for c in caches_.values()} == CACHE_TABLES
    assert caches_["pages"]["OPTIONS"] == {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 3}
    assert engine == "django.contrib.sessions.backends.db"


def test_with_redis_every_cache_is_redis():
    caches_, engine = configured(REDIS_URL="redis://127.0.0.1:6379/5")
    assert {alias: c["BACKEND"] for alias, c in caches_.items()} == {
        "default": "django_redis.cache.RedisCache",
        "pages": "django_redis.cache.RedisCache",
    }
    assert caches_["pages"]["KEY_PREFIX"] == "pages"
    assert engine == "django.contrib.sessions.backends.cached_db"


def per_process(*command: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="tests.pasar.per_process_settings",
        DJANGO_SECRET_KEY=KEY,
    )
    return subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_a_per_process_cache_in_check_and_in_gunicorn():
    checked = per_process("manage.py", "check")
    assert checked.returncode == 1
    assert "pasar.E001" in checked.stderr
    assert "CACHES['default']" in checked.stderr
    # gunicorn runs no checks: its entry point does.
    served = per_process("-c", "import pasar.wsgi")
    assert served.returncode == 1
    assert "ImproperlyConfigured" in served.stderr
    assert "pasar.E001" in served.stderr


def errors(**overrides) -> list[tuple[str, str]]:
    with override_settings(DEBUG=False, **overrides):
        return [(e.id, e.obj) for e in checks.check_shared_state()]


class OwnLocMem(LocMemCache):
    pass


@pytest.mark.parametrize(
    ("backend", "found"),
    [
        (LOCMEM, [("pasar.E001", "CACHES['default']")]),
        (f"{__name__}.OwnLocMem", [("pasar.E001", "CACHES['default']")]),
        (
            "django.core.cache.backends.dummy.DummyCache",
            [("pasar.E001", "CACHES['default']")],
        ),
        (
            "django.core.cache.backends.filebased.FileBasedCache",
            [("pasar.E002", "CACHES['default']")],
        ),
        ("django.core.cache.backends.db.DatabaseCache", []),
        ("django_redis.cache.RedisCache", []),
    ],
)
def test_the_check_refuses_caches_a_process_or_server_keeps_alone(backend, found):
    caches_ = {**DATABASE_CACHES, "default": {"BACKEND": backend, "LOCATION": "x"}}
    assert errors(CACHES=caches_) == found


def test_the_check_leaves_debug_and_a_per_process_pages_cache_alone():
    with override_settings(DEBUG=True, CACHES={"default": {"BACKEND": LOCMEM}}):
        assert checks.check_shared_state() == []
    # Pages are keyed by the shared catalogue version: a worker's own copy
    # goes out of date with everyone's.
    pages = {**DATABASE_CACHES, "pages": {"BACKEND": LOCMEM}}
    assert errors(CACHES=pages) == []
    no_pages = {"default": DATABASE_CACHES["default"]}
    assert errors(CACHES=no_pages, PASAR_PAGE_CACHE=True) == [("pasar.E004", "CACHES")]


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_the_check_refuses_sessions_in_a_per_process_cache(engine):
    caches_ = {**DATABASE_CACHES, "sessions": {"BACKEND": LOCMEM}}
    assert errors(
        CACHES=caches_, SESSION_ENGINE=engine, SESSION_CACHE_ALIAS="sessions"
    ) == [("pasar.E001", "CACHES['sessions']")]
    file_sessions = "django.contrib.sessions.backends.file"
    assert errors(CACHES=DATABASE_CACHES, SESSION_ENGINE=file_sessions) == [
        ("pasar.E003", "SESSION_ENGINE")
    ]


@pytest.mark.django_db
def test_cached_db_sessions_in_each_worker_s_memory_outlive_sign_out():
    """Why cached_db counts: the database is not the only truth it reads."""
    user = UserFactory()
    worker_a, worker_b = LocMemCache("worker-a", {}), LocMemCache("worker-b", {})

    def session(worker, key=None):
        store = SessionStore(key)
        store._cache = worker
        return store

    signed_in = session(worker_a)
    signed_in["_auth_user_id"] = str(user.pk)
    signed_in.save()
    key = signed_in.session_key
    assert session(worker_b, key)["_auth_user_id"] == str(user.pk)  # B keeps it
    session(worker_a, key).flush()  # signed out on worker A
    assert session(worker_a, key).get("_auth_user_id") is None
    assert session(worker_b, key).get("_auth_user_id") == str(user.pk)


def test_the_test_settings_alone_may_keep_caches_in_memory(settings):
    assert settings.SILENCED_SYSTEM_CHECKS == ["pasar.E001"]
    assert {c["BACKEND"] for c in settings.CACHES.values()} == {LOCMEM}


# --- the database cache: tables, queries, counts -------------------------------


@pytest.mark.django_db
def test_migrate_makes_the_cache_tables_and_running_it_again_is_harmless():
    import importlib

    migration = importlib.import_module("pasar.migrations.0003_cache_tables")
    assert set(migration.TABLES) == CACHE_TABLES
    assert set(connection.introspection.table_names()) >= CACHE_TABLES
    # Run again on tables that exist (as after `createcachetable`): no error.
    migration.create_cache_tables(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(
            cursor, "pasar_page_cache"
        )
    assert [column.name for column in columns] == ["cache_key", "value", "expires"]


@pytest.fixture
def database_caches(settings):
    """The production caches (no REDIS_URL) on the test database."""
    settings.CACHES = {
        alias: {**options, "OPTIONS": base.CACHES[alias]["OPTIONS"]}
        for alias, options in DATABASE_CACHES.items()
    }
    settings.PASAR_PAGE_CACHE = True
    for alias in settings.CACHES:
        caches[alias].clear()
    yield settings
    for alias in settings.CACHES:
        caches[alias].clear()


def rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_page_hit_on_the_database_cache_is_two_queries(
    database_caches, django_assert_num_queries
):
    product = ProductFactory(name="Tas Kopi", slug="tas-kopi", price=25000)
    Client().get(product.get_absolute_url())
    assert rows("pasar_page_cache") == 2  # the page, and its product fragment
    with django_assert_num_queries(2):  # the page, then its versions
        page = Client().get(product.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    assert "Rp\xa025.000" in page.content.decode()


@pytest.mark.django_db
def test_a_fragment_hit_on_the_database_cache_is_three_queries(
    database_caches, django_assert_num_queries
):
    """A visitor with a session: her session, the fragment, its versions."""
    product = ProductFactory(name="Tas Kopi", slug="tas-kopi", price=25000)
    guest = Client()
    guest.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    guest.get(product.get_absolute_url())
    with django_assert_num_queries(3):
        page = guest.get(product.get_absolute_url())
    assert "X-Page-Cache" not in page
    assert "Rp\xa025.000" in page.content.decode()
    assert "data-cart-count>1<" in page.content.decode()


@pytest.fixture
def rate_limits(database_caches):
    database_caches.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    return database_caches


@pytest.mark.django_db
def test_a_flood_of_pages_never_culls_the_sign_in_counts(rate_limits):
    """Culling deletes the lowest keys first: allauth's sort before pages."""
    rate_limits.CACHES = {
        "default": {**DATABASE_CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 30}},
        "pages": {**DATABASE_CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 10}},
    }
    ProductFactory(name="Tas Kopi", slug="tas-kopi")
    UserFactory(username="siti")
    for _ in range(5):
        Client().post("/akun/login/", {"login": "siti", "password": "salah"})
    for i in range(40):  # forty distinct searches: forty real normal forms
        assert Client().get(f"/produk/?q=kata{i}").status_code == 200
    assert rows("pasar_page_cache") <= 11
    response = Client().post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert REFUSED in response.content.decode()


@pytest.mark.django_db
def test_sign_in_counts_live_in_the_shared_table(rate_limits):
    UserFactory(username="siti")
    for _ in range(5):
        Client().post("/akun/login/", {"login": "siti", "password": "salah"})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pasar_cache WHERE cache_key LIKE %s",
            ["%allauth:rl:allauth.account:login_failed%"],
        )
        assert cursor.fetchone()[0] == 2  # per address and per account
    response = Client().post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert REFUSED in response.content.decode()


# --- across connections (each thread its own, as each worker) ----------------


def across_connections(test):
    """Mark a thread test: PostgreSQL, each thread its own connection."""
    marks = [
        pytest.mark.postgres,
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="threads need PostgreSQL"
        ),
        pytest.mark.django_db(transaction=True),
    ]
    for mark in marks:
        test = mark(test)
    return test


def consume_once():
    request = RequestFactory().post("/akun/login/", REMOTE_ADDR="10.9.9.9")
    return bool(
        ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config={"login_failed": "5/5m/key"},
            key="testserver:siti",
        )
    )


@across_connections
def test_allauth_counts_exactly_on_the_database_cache_across_connections(
    database_caches,
):
    results, failures = race(consume_once, threads=12)
    assert failures == []
    assert sorted(results) == [False] * 7 + [True] * 5
    key = [k for k in cache_keys() if ":login_failed:5/300.0/key:" in k]
    assert len(key) == 1
    assert len(cache.get(key[0].split(":", 2)[2])) == 5


def cache_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM pasar_cache")
        return [row[0] for row in cursor.fetchall()]


@across_connections
def test_concurrent_bumps_each_write_an_unused_version(database_caches):
    first = pagecache.catalogue_version()
    results, failures = race(pagecache.bump_catalogue_version, threads=8)
    assert failures == []
    assert len(set(results)) == 8
    assert first not in results
    assert pagecache.catalogue_version() in results


@across_connections
def test_a_price_change_in_one_connection_retires_pages_for_all(database_caches):
    product = ProductFactory(name="Tas Kopi", slug="tas-kopi", price=25000)
    pengelola = UserFactory(username="pengelola")
    Client().get(product.get_absolute_url())
    assert Client().get(product.get_absolute_url())["X-Page-Cache"] == "hit"

    def raise_price():
        update_product(
            product=product,
            by=pengelola,
            category=product.category,
            name=product.name,
            price=27500,
        )

    race(raise_price, threads=1)
    page = Client().get(product.get_absolute_url())
    assert "X-Page-Cache" not in page
    assert "Rp\xa027.500" in page.content.decode()


def test_compose_caps_redis_and_evicts_the_least_recently_used():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    assert command[:5] == [
        "redis-server",
        "--maxmemory",
        "256mb",
        "--maxmemory-policy",
        "allkeys-lru",
    ]
    assert compose["services"]["web"]["environment"]["REDIS_URL"] == (
        "redis://redis:6379/0"
    )
